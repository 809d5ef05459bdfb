import fc from 'fast-check';
import { graphToRRule, rruleToGraph } from '../../../src/sync/core/recurrence/graphPattern';
import type {
  GraphDayOfWeek,
  GraphRecurrence,
  GraphRecurrencePattern,
  GraphRecurrenceRange,
} from '../../../src/sync/core/recurrence/types';

const ctx = { startDate: '2026-01-05', timeZone: 'Europe/Helsinki' }; // a Monday
const base = { startDate: ctx.startDate, recurrenceTimeZone: ctx.timeZone };
const noEnd: GraphRecurrenceRange = { type: 'noEnd', ...base };
const rec = (pattern: GraphRecurrencePattern, range: GraphRecurrenceRange = noEnd) => ({
  pattern,
  range,
});

describe('Graph patternedRecurrence → RRULE → Graph', () => {
  it.each<[string, GraphRecurrence, string]>([
    ['daily', rec({ type: 'daily', interval: 2 }), 'FREQ=DAILY;INTERVAL=2'],
    [
      'weekly',
      rec({
        type: 'weekly',
        interval: 1,
        daysOfWeek: ['monday', 'thursday'],
        firstDayOfWeek: 'monday',
      }),
      'FREQ=WEEKLY;BYDAY=MO,TH;WKST=MO',
    ],
    [
      'absoluteMonthly 15',
      rec({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 }),
      'FREQ=MONTHLY;BYMONTHDAY=15',
    ],
    [
      'absoluteMonthly 31 (Outlook clamps to the last day)',
      rec({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }),
      'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1',
    ],
    [
      'absoluteMonthly 30',
      rec({ type: 'absoluteMonthly', interval: 3, dayOfMonth: 30 }),
      'FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1;INTERVAL=3',
    ],
    [
      'relativeMonthly 2nd Wednesday',
      rec({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['wednesday'], index: 'second' }),
      'FREQ=MONTHLY;BYDAY=WE;BYSETPOS=2',
    ],
    [
      'relativeMonthly last weekday',
      rec({
        type: 'relativeMonthly',
        interval: 1,
        daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        index: 'last',
      }),
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    ],
    [
      'absoluteYearly',
      rec({ type: 'absoluteYearly', interval: 1, month: 6, dayOfMonth: 21 }),
      'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=21',
    ],
    [
      'absoluteYearly Feb 29',
      rec({ type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 }),
      'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1',
    ],
    [
      'relativeYearly',
      rec({
        type: 'relativeYearly',
        interval: 1,
        month: 11,
        daysOfWeek: ['thursday'],
        index: 'fourth',
      }),
      'FREQ=YEARLY;BYMONTH=11;BYDAY=TH;BYSETPOS=4',
    ],
    [
      'numbered',
      rec({ type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 10, ...base }),
      'FREQ=DAILY;COUNT=10',
    ],
    [
      'endDate',
      rec({ type: 'daily', interval: 1 }, { type: 'endDate', endDate: '2026-03-31', ...base }),
      'FREQ=DAILY;UNTIL=20260331',
    ],
  ])('%s', (_label, graph, rrule) => {
    expect(graphToRRule(graph)).toEqual({ ok: true, value: rrule, notes: [] });
    expect(rruleToGraph(rrule, ctx)).toEqual({ ok: true, value: graph, notes: [] });
  });

  it('reads RFC 5545 spellings Outlook has too', () => {
    const g = (r: string) => {
      const res = rruleToGraph(r, ctx);
      return res.ok ? res.value.pattern : res.unsupported;
    };
    expect(g('FREQ=MONTHLY;BYDAY=-1FR')).toEqual({
      type: 'relativeMonthly',
      interval: 1,
      daysOfWeek: ['friday'],
      index: 'last',
    });
    expect(g('FREQ=MONTHLY;BYMONTHDAY=-1')).toEqual({
      type: 'absoluteMonthly',
      interval: 1,
      dayOfMonth: 31,
    });
    expect(g('FREQ=WEEKLY')).toMatchObject({
      type: 'weekly',
      daysOfWeek: ['monday'],
      firstDayOfWeek: 'monday',
    });
    expect(g('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR')).toMatchObject({ type: 'weekly', interval: 1 });
    expect(g('FREQ=MONTHLY')).toEqual({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 5 });
    expect(g('FREQ=YEARLY')).toEqual({
      type: 'absoluteYearly',
      interval: 1,
      dayOfMonth: 5,
      month: 1,
    });
  });

  it('UNTIL in UTC becomes the date in the series zone', () => {
    const res = rruleToGraph('FREQ=DAILY;UNTIL=20260331T223000Z', ctx);
    expect(res.ok && res.value.range).toMatchObject({ type: 'endDate', endDate: '2026-04-01' });
  });

  it('reports what Outlook would run differently: a bare BYMONTHDAY=31 would also hit short months', () => {
    const res = rruleToGraph('FREQ=MONTHLY;BYMONTHDAY=31', ctx);
    expect(res).toEqual({
      ok: false,
      unsupported: [
        'MONTHLY BYMONTHDAY=31: Outlook would also repeat on the last day of shorter months',
      ],
    });
    // Where every month named has the day, nothing differs.
    expect(rruleToGraph('FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30', ctx)).toMatchObject({
      ok: true,
      notes: [],
    });
    expect(rruleToGraph('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', ctx)).toMatchObject({ ok: false });
  });

  it.each([
    ['FREQ=HOURLY', 'FREQ=HOURLY with these parts'],
    ['FREQ=DAILY;BYHOUR=9,15', 'RRULE part BYHOUR'],
    ['FREQ=YEARLY;BYWEEKNO=20', 'RRULE part BYWEEKNO'],
    ['FREQ=MONTHLY;BYDAY=MO', 'MONTHLY BYDAY without a first–fourth or last position'],
    ['FREQ=MONTHLY;BYDAY=5MO', 'MONTHLY BYDAY without a first–fourth or last position'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'MONTHLY BYMONTHDAY=1,15'],
    ['FREQ=YEARLY;BYMONTH=1,7', 'FREQ=YEARLY with these parts'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20260101', 'both COUNT and UNTIL'],
  ])('lists what Outlook cannot express: %s', (rrule, reason) => {
    const res = rruleToGraph(rrule, ctx);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.unsupported).toContain(reason);
  });

  it('reports a Graph pattern missing its required parts instead of guessing', () => {
    const res = graphToRRule(rec({ type: 'weekly', interval: 1 }));
    expect(res).toEqual({ ok: false, unsupported: ['weekly pattern without daysOfWeek'] });
  });

  it('round-trips every Graph pattern it writes (property)', () => {
    const day = fc.constantFrom<GraphDayOfWeek>(
      'sunday',
      'monday',
      'tuesday',
      'wednesday',
      'thursday',
      'friday',
      'saturday',
    );
    const days = fc.uniqueArray(day, { minLength: 1, maxLength: 7 });
    const interval = fc.integer({ min: 1, max: 12 });
    const index = fc.constantFrom('first', 'second', 'third', 'fourth', 'last' as const);
    const pattern = fc.oneof(
      interval.map((i) => ({ type: 'daily' as const, interval: i })),
      fc.record({
        type: fc.constant('weekly' as const),
        interval,
        daysOfWeek: days,
        firstDayOfWeek: day,
      }),
      fc.record({
        type: fc.constant('absoluteMonthly' as const),
        interval,
        dayOfMonth: fc.integer({ min: 1, max: 31 }),
      }),
      fc.record({
        type: fc.constant('relativeMonthly' as const),
        interval,
        daysOfWeek: days,
        index,
      }),
      fc.record({
        type: fc.constant('absoluteYearly' as const),
        interval,
        month: fc.constant(3),
        dayOfMonth: fc.integer({ min: 1, max: 31 }),
      }),
      fc.record({
        type: fc.constant('relativeYearly' as const),
        interval,
        month: fc.integer({ min: 1, max: 12 }),
        daysOfWeek: days,
        index,
      }),
    );
    fc.assert(
      fc.property(pattern, (p: GraphRecurrencePattern) => {
        // Canonical weekday order is RRULE's: compare as sets.
        const graph = rec(p);
        const rrule = graphToRRule(graph);
        if (!rrule.ok) return false;
        const back = rruleToGraph(rrule.value, ctx);
        if (!back.ok) return false;
        const sortDays = (x: GraphRecurrencePattern) => ({
          ...x,
          daysOfWeek: x.daysOfWeek ? [...x.daysOfWeek].sort() : undefined,
        });
        expect(sortDays(back.value.pattern)).toEqual(sortDays(p));
        return true;
      }),
    );
  });
});
