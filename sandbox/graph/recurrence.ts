import type { DayOfWeek, PatternedRecurrence, WeekIndex } from '@microsoft/microsoft-graph-types';
import { Temporal } from 'temporal-polyfill';

/**
 * Expands a Graph patternedRecurrence into occurrence dates, written directly on Temporal so
 * the emulator stays an oracle independent of the product's RRULE mapper.
 * Semantics follow Graph/Exchange:
 * - weekly: every `interval` weeks, weeks start on `firstDayOfWeek`, on each of `daysOfWeek`;
 * - absolute monthly/yearly: `dayOfMonth` larger than the month → the month's last day
 *   (EWS DayOfMonth: "If for a particular month this value is larger than the number of days in
 *   the month, the last day of the month is assumed"), unlike RFC 5545 which skips the month;
 * - relative monthly/yearly: the `index`-th day of the month that is one of `daysOfWeek`
 *   (several days + "last" = e.g. last weekday);
 * - range: the first occurrence is on or after `startDate`; `endDate` is inclusive;
 *   `numbered` counts occurrences, cancelled ones included.
 */
const DOW: Record<DayOfWeek, number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
};
const INDEX: Record<WeekIndex, number> = { first: 0, second: 1, third: 2, fourth: 3, last: -1 };
/** Guards against patterns that never match (e.g. a Feb 31 that clamps is fine; this is a cap). */
const MAX_EMPTY_PERIODS = 10_000;

function clampDay(ym: Temporal.PlainYearMonth, day: number): Temporal.PlainDate {
  return ym.toPlainDate({ day: Math.min(day, ym.daysInMonth) });
}

function relativeDay(
  ym: Temporal.PlainYearMonth,
  days: number[],
  index: WeekIndex,
): Temporal.PlainDate | null {
  const matches: Temporal.PlainDate[] = [];
  for (let d = 1; d <= ym.daysInMonth; d++) {
    const date = ym.toPlainDate({ day: d });
    if (days.includes(date.dayOfWeek)) matches.push(date);
  }
  const i = INDEX[index];
  return (i < 0 ? matches[matches.length - 1] : matches[i]) ?? null;
}

/** Candidate dates of one period (day, week, month or year number `k`), ascending. */
function periodDates(
  rec: PatternedRecurrence,
  start: Temporal.PlainDate,
  k: number,
): Temporal.PlainDate[] {
  const p = rec.pattern ?? {};
  const interval = p.interval ?? 1;
  const days = (p.daysOfWeek ?? []).map((d) => DOW[d]);
  const index = p.index ?? 'first';
  switch (p.type) {
    case 'daily':
      return [start.add({ days: k * interval })];
    case 'weekly': {
      const fdow = DOW[p.firstDayOfWeek ?? 'sunday'];
      const weekStart = start.subtract({ days: (start.dayOfWeek - fdow + 7) % 7 });
      const base = weekStart.add({ weeks: k * interval });
      const out: Temporal.PlainDate[] = [];
      for (let i = 0; i < 7; i++) {
        const d = base.add({ days: i });
        if (days.includes(d.dayOfWeek)) out.push(d);
      }
      return out;
    }
    case 'absoluteMonthly':
      return [clampDay(start.toPlainYearMonth().add({ months: k * interval }), p.dayOfMonth ?? 1)];
    case 'relativeMonthly': {
      const d = relativeDay(start.toPlainYearMonth().add({ months: k * interval }), days, index);
      return d ? [d] : [];
    }
    case 'absoluteYearly': {
      const ym = Temporal.PlainYearMonth.from({
        year: start.year + k * interval,
        month: p.month ?? 1,
      });
      return [clampDay(ym, p.dayOfMonth ?? 1)];
    }
    case 'relativeYearly': {
      const ym = Temporal.PlainYearMonth.from({
        year: start.year + k * interval,
        month: p.month ?? 1,
      });
      const d = relativeDay(ym, days, index);
      return d ? [d] : [];
    }
    default:
      return [];
  }
}

/** Occurrence dates in ascending order; infinite for `noEnd` (the caller stops). */
function* expand(rec: PatternedRecurrence): Generator<Temporal.PlainDate> {
  const range = rec.range ?? {};
  const start = Temporal.PlainDate.from(range.startDate ?? '1970-01-01');
  const end =
    range.type === 'endDate' && range.endDate ? Temporal.PlainDate.from(range.endDate) : null;
  const limit = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Infinity;
  let produced = 0;
  let empty = 0;
  for (let k = 0; produced < limit; k++) {
    const dates = periodDates(rec, start, k).filter(
      (d) => Temporal.PlainDate.compare(d, start) >= 0,
    );
    empty = dates.length === 0 ? empty + 1 : 0;
    if (empty > MAX_EMPTY_PERIODS) return;
    for (const d of dates) {
      if (end && Temporal.PlainDate.compare(d, end) > 0) return;
      if (d.year > 9999) return;
      yield d;
      if (++produced >= limit) return;
    }
  }
}

/**
 * A pattern's dates as far as anyone has asked, kept: every delta page looks each of its
 * occurrence ids up (`isOccurrenceDate`), and every calendarView and delta round expands every
 * series from its start — re-expanding a year-long daily series for each of its 400 occurrences
 * made the emulator quadratic (issue 13: the series corpus 21 → 10 s alone). Keyed by the
 * pattern's JSON, so an edited pattern is a new entry; bounded in patterns and in dates each.
 */
interface Expansion {
  /** Ascending. */
  readonly dates: Temporal.PlainDate[];
  readonly source: Iterator<Temporal.PlainDate>;
  done: boolean;
}
const MAX_KEPT_PATTERNS = 500;
/** Past this many dates a pattern is expanded afresh, not kept (a far-future lookup). */
const MAX_KEPT_DATES = 5_000;
const expansions = new Map<string, Expansion>();

function expansionOf(rec: PatternedRecurrence): Expansion {
  const key = JSON.stringify(rec);
  const kept = expansions.get(key);
  if (kept) {
    expansions.delete(key);
    expansions.set(key, kept);
    return kept;
  }
  const made: Expansion = { dates: [], source: expand(rec), done: false };
  expansions.set(key, made);
  if (expansions.size > MAX_KEPT_PATTERNS) {
    const oldest = expansions.keys().next();
    if (!oldest.done) expansions.delete(oldest.value);
  }
  return made;
}

/** Extends the kept dates by one; false when the pattern has no more (or too many to keep). */
function grow(e: Expansion): boolean {
  if (e.done || e.dates.length >= MAX_KEPT_DATES) return false;
  const next = e.source.next();
  if (next.done) {
    e.done = true;
    return false;
  }
  e.dates.push(next.value);
  return true;
}

/** Occurrence dates in ascending order; infinite for `noEnd` (the caller stops). */
export function* occurrenceDates(rec: PatternedRecurrence): Generator<Temporal.PlainDate> {
  const e = expansionOf(rec);
  let i = 0;
  for (; i < e.dates.length || grow(e); i++) yield e.dates[i] as Temporal.PlainDate;
  if (e.done) return;
  // Beyond what is kept: expand afresh from the start, past the kept dates.
  let skipped = 0;
  for (const d of expand(rec)) if (skipped++ >= i) yield d;
}

/** Whether `date` is in `dates` (ascending): a binary search. */
function kept(dates: readonly Temporal.PlainDate[], date: Temporal.PlainDate): boolean {
  let low = 0;
  let high = dates.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const c = Temporal.PlainDate.compare(dates[middle] as Temporal.PlainDate, date);
    if (c === 0) return true;
    if (c < 0) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Whether `date` is one of the series' occurrence dates. */
export function isOccurrenceDate(rec: PatternedRecurrence, date: Temporal.PlainDate): boolean {
  const e = expansionOf(rec);
  do {
    const last = e.dates[e.dates.length - 1];
    if (last && Temporal.PlainDate.compare(last, date) >= 0) return kept(e.dates, date);
    if (e.done) return false;
  } while (grow(e));
  // Further than is kept: look afresh.
  for (const d of occurrenceDates(rec)) {
    const c = Temporal.PlainDate.compare(d, date);
    if (c === 0) return true;
    if (c > 0) return false;
  }
  return false;
}
