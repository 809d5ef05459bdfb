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

/**
 * Whether the item overlaps the window. A series counts when its rule may reach into the window:
 * the planner treats series conservatively (issue 5 expands them exactly).
 */
export function inWindow(item: CalendarItem, window: Window, zone: IanaZone): boolean {
  const extent = extentOf(item, zone);
  if (item.recurrence !== null) return extent.start < window.end;
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
