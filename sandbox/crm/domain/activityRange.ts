/**
 * The instant range an activity may occupy, stored in indexed columns so the window query
 * (GET /activities?from&to) is one indexed comparison. Series get a conservative bound:
 * the contract promises series whose occurrences *may* fall in the window.
 */
import type { Recurrence } from '../schemas/activity';
import { lastStartBound, parseRrule } from './rrule';

const DAY_MS = 86_400_000;
/** All-day dates are wall-clock days: widen by the largest UTC offsets (−12/+14 hours). */
const ZONE_SLACK_MS = 14 * 3_600_000;

interface Timing {
  allDay: boolean;
  start: string;
  end: string;
  recurrence: Recurrence | null;
}

function instant(value: string, allDay: boolean, edge: 'start' | 'end'): number {
  if (!allDay) return Date.parse(value);
  const midnight = Date.parse(`${value}T00:00:00Z`);
  return edge === 'start' ? midnight - ZONE_SLACK_MS : midnight + ZONE_SLACK_MS;
}

export function activityRange(t: Timing): { start: number; end: number | null } {
  const start = instant(t.start, t.allDay, 'start');
  const end = instant(t.end, t.allDay, 'end');
  if (!t.recurrence) return { start, end };
  const rule = parseRrule(t.recurrence.rrule);
  const last = typeof rule === 'string' ? null : lastStartBound(rule, start);
  let rangeStart = start;
  let rangeEnd = last === null ? null : last + (end - start) + DAY_MS;
  // A moved occurrence may leave the rule's span (SPEC R3: "single occurrences were moved").
  for (const o of Object.values(t.recurrence.overrides)) {
    for (const [value, edge] of [
      [o.start, 'start'],
      [o.end, 'end'],
    ] as const) {
      if (value === undefined) continue;
      const ms = instant(value, t.allDay, edge);
      rangeStart = Math.min(rangeStart, ms);
      if (rangeEnd !== null) rangeEnd = Math.max(rangeEnd, ms);
    }
  }
  return { start: rangeStart, end: rangeEnd };
}
