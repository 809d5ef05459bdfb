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
 * UNTIL as the date of the last occurrence it allows, in the series' zone: `20261231` (date
 * form, inclusive), `20261231T235959Z` (UTC) or `20261231T235959` (floating, already local).
 * RFC 5545 §3.3.10: UNTIL bounds occurrences inclusively by their start. With the series' local
 * start time given, an UNTIL earlier in its local day than that time ends the series the day
 * before (issue 12, item 8: "UNTIL at 19:00 local for a 20:00 series" has its last occurrence on
 * the previous day); without it the UNTIL's own date is taken.
 */
export function untilToDate(value: string, zone: IanaZone, startTime?: string): PlainDate | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) return date;
  const local = m[7]
    ? Temporal.Instant.from(`${date}T${m[4]}:${m[5]}:${m[6]}Z`)
        .toZonedDateTimeISO(zone)
        .toPlainDateTime()
    : Temporal.PlainDateTime.from(`${date}T${m[4]}:${m[5]}:${m[6]}`);
  const day = local.toPlainDate();
  if (startTime === undefined) return day.toString();
  const until = local.toPlainTime();
  const earlier = Temporal.PlainTime.compare(until, Temporal.PlainTime.from(startTime)) < 0;
  return (earlier ? day.subtract({ days: 1 }) : day).toString();
}

/**
 * A series' last date as RFC 5545 requires UNTIL for a DTSTART with a zone (§3.3.10: "MUST be
 * specified as a date with UTC time"): the UTC instant of the last occurrence's start, the
 * series' local start time on `endDate` in `zone`. A strict reader keeps that occurrence.
 */
export function untilOfTimedSeries(endDate: PlainDate, startTime: string, zone: IanaZone): string {
  const instant = Temporal.PlainDateTime.from(`${endDate}T${startTime}`)
    .toZonedDateTime(zone, { disambiguation: 'compatible' })
    .toInstant()
    .toString();
  return `${instant.slice(0, 19).replace(/[-:]/g, '')}Z`;
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
