/**
 * Issue 12, item 8: series ends are exact both ways. RFC 5545 §3.3.10: with a zoned DTSTART,
 * UNTIL MUST be a UTC date-time, and it bounds occurrences by their start, inclusively.
 */
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { recurrenceSchema } from '../../../src/outlook/graphSchemas';
import { recurrenceFromGraph } from '../../../src/outlook/mapping/recurrence';
import { rruleToGraph } from '../../../src/sync/core/recurrence/graphPattern';
import { strictUntil } from '../../integration/series/occurrences';

const daily = (endDate: string) =>
  recurrenceSchema.parse({
    pattern: { type: 'daily', interval: 1 },
    range: { type: 'endDate', startDate: '2026-12-01', endDate },
  });

/** Occurrences as a strict reader sees them: DTSTART in its real zone, UNTIL as written. */
function strictDates(rrule: string, first: string, zone: string): string[] {
  const rule = new RRuleTemporal({
    rruleString: rrule,
    dtstart: Temporal.PlainDateTime.from(first).toZonedDateTime(zone),
  });
  return rule.all().map((z) => z.toPlainDate().toString());
}

describe('series ends exact both ways', () => {
  it('a daily 09:00 series ending on a date keeps its last occurrence under a strict RFC 5545 reader', () => {
    const { rrule } = recurrenceFromGraph(daily('2026-12-10'), {
      startTime: '09:00:00',
      zone: 'Europe/Helsinki',
    });
    expect(rrule).toBe('FREQ=DAILY;UNTIL=20261210T070000Z');
    const dates = strictDates(rrule, '2026-12-01T09:00:00', 'Europe/Helsinki');
    expect(dates).toHaveLength(10);
    expect(dates.at(-1)).toBe('2026-12-10');
    // The oracle accepts it; the date-only form it replaces is refused as RFC 5545 forbids.
    expect(() => strictUntil(rrule, false, 'Europe/Helsinki')).not.toThrow();
    expect(() => strictUntil('FREQ=DAILY;UNTIL=20261210', false, 'Europe/Helsinki')).toThrow(
      /must be UTC/,
    );
  });

  it('an all-day series keeps a date UNTIL', () => {
    expect(recurrenceFromGraph(daily('2026-12-10')).rrule).toBe('FREQ=DAILY;UNTIL=20261210');
  });

  it('`UNTIL` at 19:00 local for a 20:00 series ends Outlook a day earlier', () => {
    // 19:00 in Helsinki on 10 December is 17:00 UTC: the 20:00 occurrence that day is past it.
    const result = rruleToGraph('FREQ=DAILY;UNTIL=20261210T170000Z', {
      startDate: '2026-12-01',
      timeZone: 'Europe/Helsinki',
      startTime: '20:00:00',
    });
    expect(result.ok && result.value.range).toMatchObject({
      type: 'endDate',
      endDate: '2026-12-09',
    });
    const strict = strictDates(
      'FREQ=DAILY;UNTIL=20261210T170000Z',
      '2026-12-01T20:00:00',
      'Europe/Helsinki',
    );
    expect(strict.at(-1)).toBe('2026-12-09');
  });

  it('an UNTIL at the very start of the last occurrence keeps it (inclusive)', () => {
    const result = rruleToGraph('FREQ=DAILY;UNTIL=20261210T180000Z', {
      startDate: '2026-12-01',
      timeZone: 'Europe/Helsinki',
      startTime: '20:00:00',
    });
    expect(result.ok && result.value.range).toMatchObject({ endDate: '2026-12-10' });
  });
});
