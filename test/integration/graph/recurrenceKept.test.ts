/**
 * The emulator keeps a pattern's expanded dates (sandbox/graph/recurrence.ts, issue 13): what it
 * answers must not depend on what was asked before — interleaved readers, lookups past the dates
 * it keeps, and a pattern edited in place.
 */
import type { PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { Temporal } from 'temporal-polyfill';
import { isOccurrenceDate, occurrenceDates } from '../../../sandbox/graph/recurrence';

const daily = (interval: number, startDate = '2026-01-01'): PatternedRecurrence => ({
  pattern: { type: 'daily', interval },
  range: { type: 'noEnd', startDate },
});

function take(rec: PatternedRecurrence, n: number): string[] {
  const out: string[] = [];
  for (const d of occurrenceDates(rec)) {
    out.push(d.toString());
    if (out.length === n) break;
  }
  return out;
}

it('two readers of one pattern, interleaved, each read every date once and in order', () => {
  const rec = daily(3, '2026-02-01');
  const a = occurrenceDates(rec);
  const b = occurrenceDates(rec);
  const fromA: string[] = [];
  const fromB: string[] = [];
  for (let i = 0; i < 50; i++) {
    fromA.push(String(a.next().value));
    if (i % 2 === 0) fromB.push(String(b.next().value));
  }
  const expected = Array.from({ length: 50 }, (_, i) =>
    Temporal.PlainDate.from('2026-02-01')
      .add({ days: 3 * i })
      .toString(),
  );
  expect(fromA).toEqual(expected);
  expect(fromB).toEqual(expected.slice(0, 25));
});

it('dates past the ones kept (a daily series read 30 years on) are still right', () => {
  const rec = daily(2, '2026-01-01');
  const dates = take(rec, 12_000);
  expect(new Set(dates).size).toBe(12_000);
  expect(dates[11_999]).toBe(
    Temporal.PlainDate.from('2026-01-01')
      .add({ days: 2 * 11_999 })
      .toString(),
  );
  expect(isOccurrenceDate(rec, Temporal.PlainDate.from('2091-01-01'))).toBe(
    Temporal.PlainDate.from('2026-01-01').until('2091-01-01').days % 2 === 0,
  );
  expect(isOccurrenceDate(rec, Temporal.PlainDate.from('2060-06-02'))).toBe(
    Temporal.PlainDate.from('2026-01-01').until('2060-06-02').days % 2 === 0,
  );
  expect(isOccurrenceDate(rec, Temporal.PlainDate.from('2060-06-03'))).toBe(
    Temporal.PlainDate.from('2026-01-01').until('2060-06-03').days % 2 === 0,
  );
});

it('a date before the series, after its end, or between its dates is not an occurrence', () => {
  const rec: PatternedRecurrence = {
    pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
    range: { type: 'endDate', startDate: '2026-03-02', endDate: '2026-03-30' },
  };
  const is = (date: string) => isOccurrenceDate(rec, Temporal.PlainDate.from(date));
  expect(is('2026-02-23')).toBe(false);
  expect(is('2026-03-02')).toBe(true);
  expect(is('2026-03-03')).toBe(false);
  expect(is('2026-03-30')).toBe(true);
  expect(is('2026-04-06')).toBe(false);
  expect(take(rec, 10)).toEqual([
    '2026-03-02',
    '2026-03-09',
    '2026-03-16',
    '2026-03-23',
    '2026-03-30',
  ]);
});

it('a pattern edited in place is expanded anew', () => {
  const rec = daily(1, '2026-05-01');
  expect(isOccurrenceDate(rec, Temporal.PlainDate.from('2026-05-02'))).toBe(true);
  rec.pattern = { type: 'daily', interval: 2 };
  expect(isOccurrenceDate(rec, Temporal.PlainDate.from('2026-05-02'))).toBe(false);
  expect(take(rec, 3)).toEqual(['2026-05-01', '2026-05-03', '2026-05-05']);
});
