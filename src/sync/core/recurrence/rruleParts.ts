import { Temporal } from 'temporal-polyfill';
import type { IanaZone, PlainDate } from '../model';
import { RRULE_DAYS, type GraphDayOfWeek } from './types';

/** An RRULE value split into its parts (RFC 5545 §3.3.10), names upper-cased. */
export type RRuleParts = ReadonlyMap<string, string>;

const KNOWN = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);

export function parseRRule(rrule: string): { parts: RRuleParts; unknown: string[] } {
  const parts = new Map<string, string>();
  const unknown: string[] = [];
  for (const piece of rrule.replace(/^RRULE:/i, '').split(';')) {
    if (piece.trim() === '') continue;
    const [k = '', v = ''] = piece.split('=', 2);
    const key = k.trim().toUpperCase();
    if (!KNOWN.has(key)) unknown.push(key);
    else parts.set(key, v.trim().toUpperCase());
  }
  return { parts, unknown };
}

const FROM_RRULE = new Map<string, GraphDayOfWeek>(
  Object.entries(RRULE_DAYS).map(([g, r]) => [r, g as GraphDayOfWeek]),
);

export interface ByDay {
  readonly day: GraphDayOfWeek;
  /** The ordinal prefix (`2WE` → 2, `-1FR` → -1), or null. */
  readonly ordinal: number | null;
}

/** `BYDAY=MO,2WE,-1FR`; null when an entry is not a weekday. */
export function parseByDay(value: string): ByDay[] | null {
  const out: ByDay[] = [];
  for (const entry of value.split(',')) {
    const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(entry);
    const day = m ? FROM_RRULE.get(m[2] ?? '') : undefined;
    if (!m || !day) return null;
    out.push({ day, ordinal: m[1] ? Number(m[1]) : null });
  }
  return out;
}

export function dayFromRRule(code: string): GraphDayOfWeek | undefined {
  return FROM_RRULE.get(code);
}

export function intList(value: string | undefined): number[] | null {
  if (value === undefined) return null;
  const nums = value.split(',').map(Number);
  return nums.every(Number.isInteger) ? nums : null;
}

/**
 * UNTIL as a date in the series' zone: `20261231` (date form), `20261231T235959Z` (UTC, converted
 * to the zone's date) or `20261231T235959` (floating, already local).
 */
export function untilToDate(value: string, zone: IanaZone): PlainDate | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!m[7]) return date;
  const iso = `${date}T${m[4]}:${m[5]}:${m[6]}Z`;
  return Temporal.Instant.from(iso).toZonedDateTimeISO(zone).toPlainDate().toString();
}

const WEEKDAYS: readonly GraphDayOfWeek[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

/** Weekday, day of month and month of the series' first date (RFC 5545 defaults from DTSTART). */
export function startParts(startDate: PlainDate): {
  weekday: GraphDayOfWeek;
  day: number;
  month: number;
} {
  const d = Temporal.PlainDate.from(startDate);
  return { weekday: WEEKDAYS[d.dayOfWeek - 1] ?? 'monday', day: d.day, month: d.month };
}
