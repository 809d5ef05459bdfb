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
    last = Date.parse(extent.start) + (count * interval * step + 1) * DAY_MS;
  }
  if (last === null) return null;
  const moved = Object.values(r.overrides ?? {}).flatMap((o) => (o.end ? [Date.parse(o.end)] : []));
  const end = Math.max(last + length, ...moved.filter((ms) => !Number.isNaN(ms)));
  return new Date(end).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Whether the item overlaps the window. A series counts from its first start to its end bound
 * (seriesEndBound): one that ended before the window stays out, an endless one never ends.
 */
export function inWindow(item: CalendarItem, window: Window, zone: IanaZone): boolean {
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
  return (
    dates.test(item.time.startDate) &&
    dates.test(item.time.endDate) &&
    item.time.endDate > item.time.startDate
  );
}
