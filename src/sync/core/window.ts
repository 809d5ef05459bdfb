/**
 * Sync windows (SPEC W1, W2): whole days in the person's zone, from `daysBack` days before today
 * to the end of the day `daysAhead` days after it. An item is in a window when it overlaps it.
 * Leaving a window is never a deletion (W3): that rule lives in the planner.
 */
import { Temporal } from 'temporal-polyfill';
import type { CalendarItem, Instant, IanaZone } from './model';
import type { DirectionSettings } from './settings';

export interface Window {
  readonly start: Instant;
  readonly end: Instant;
}

function startOfDay(date: Temporal.PlainDate, zone: IanaZone): Instant {
  return date.toZonedDateTime(zone).toInstant().toString();
}

export function windowFor(direction: DirectionSettings, now: Instant, zone: IanaZone): Window {
  const today = Temporal.Instant.from(now).toZonedDateTimeISO(zone).toPlainDate();
  return {
    start: startOfDay(today.subtract({ days: direction.daysBack }), zone),
    end: startOfDay(today.add({ days: direction.daysAhead + 1 }), zone),
  };
}

/** The union of both directions' windows: what the engine reads from each side. */
export function readWindow(a: Window, b: Window): Window {
  return { start: a.start < b.start ? a.start : b.start, end: a.end > b.end ? a.end : b.end };
}

/** The item's extent as instants; all-day dates count in the person's zone. */
export function extentOf(item: CalendarItem, zone: IanaZone): Window {
  if (item.time.kind === 'timed') return { start: item.time.start, end: item.time.end };
  return {
    start: startOfDay(Temporal.PlainDate.from(item.time.startDate), zone),
    end: startOfDay(Temporal.PlainDate.from(item.time.endDate), zone),
  };
}

const DAY_MS = 86_400_000;
/**
 * Issue 14: the last instant any bound is reckoned in, 9999-12-31T23:59:59Z (the last an RFC 3339
 * year holds, and within what `Date` can print). A bound beyond it is no bound: the series is
 * taken as endless, which only ever widens what counts as in a window.
 */
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
const instantOf = (ms: number): Instant => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** The longest step of each frequency: a bound that never cuts a series short. */
const LONGEST_STEP_DAYS: Readonly<Record<string, number>> = {
  DAILY: 1,
  WEEKLY: 7,
  MONTHLY: 31,
  YEARLY: 366,
};

/**
 * An instant no occurrence of the series ends after, or null for an endless one. A bound, not
 * the last occurrence: UNTIL is a date (its day ends it), COUNT occurrences of a rule take at
 * most COUNT × INTERVAL of its longest steps; a moved occurrence may end later still.
 */
export function seriesEndBound(item: CalendarItem, zone: IanaZone): Instant | null {
  const r = item.recurrence;
  if (r === null) return null;
  const extent = extentOf(item, zone);
  const length = Date.parse(extent.end) - Date.parse(extent.start);
  const parts = new Map(
    r.rrule.split(';').map((p) => {
      const [k = '', v = ''] = p.split('=');
      return [k.trim().toUpperCase(), v.trim().toUpperCase()] as const;
    }),
  );
  let last: number | null = null;
  const until = /^(\d{4})(\d{2})(\d{2})/.exec(parts.get('UNTIL') ?? '');
  const count = Number(parts.get('COUNT') ?? NaN);
  if (until) last = Date.parse(`${until[1]}-${until[2]}-${until[3]}T00:00:00Z`) + 2 * DAY_MS;
  else if (Number.isInteger(count) && count > 0) {
    const step = LONGEST_STEP_DAYS[parts.get('FREQ') ?? ''];
    if (step === undefined) return null;
    const interval = Math.max(1, Number(parts.get('INTERVAL') ?? 1) || 1);
    // FREQ=YEARLY;INTERVAL=30;COUNT=9999 reaches ~300,000 years: past LAST_MS, endless below.
    last = Date.parse(extent.start) + (count * interval * step + 1) * DAY_MS;
  }
  if (last === null || Number.isNaN(last)) return null;
  const moved = Object.values(r.overrides ?? {}).flatMap((o) => (o.end ? [Date.parse(o.end)] : []));
  const end = Math.max(
    last + (Number.isNaN(length) ? 0 : length),
    ...moved.filter(Number.isFinite),
  );
  return Number.isFinite(end) && end <= LAST_MS ? instantOf(end) : null;
}

/**
 * Whether the item overlaps the window. A series counts from its first start to its end bound
 * (seriesEndBound): one that ended before the window stays out, an endless one never ends.
 */
export function inWindow(item: CalendarItem, window: Window, zone: IanaZone): boolean {
  if (!timeIsValid(item)) return true; // no extent to compare: never taken for out of the window
  const extent = extentOf(item, zone);
  if (item.recurrence !== null) {
    const end = seriesEndBound(item, zone);
    return extent.start < window.end && (end === null || end > window.start);
  }
  return extent.start < window.end && extent.end > window.start;
}

/** X1: an item whose times are corrupt is not synced. */
export function timeIsValid(item: CalendarItem): boolean {
  if (item.time.kind === 'timed') {
    const ok = (v: string) => !Number.isNaN(Date.parse(v));
    return ok(item.time.start) && ok(item.time.end) && item.time.end >= item.time.start;
  }
  const dates = /^\d{4}-\d{2}-\d{2}$/;
  const { startDate, endDate } = item.time;
  return dates.test(startDate) && dates.test(endDate) && endDate > startDate && isDate(startDate);
}

/** Whether `YYYY-MM-DD` names a day of the calendar (2026-02-30 does not). */
function isDate(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}
