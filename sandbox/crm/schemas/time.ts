/**
 * Dates and instants. Regexes check the shape; `isRealDate` rejects calendar nonsense such as
 * 2026-02-30 or hour 25 that a shape check alone lets through.
 */
import { z } from 'zod';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

function isRealDate(y: number, m: number, d: number, h = 0, min = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, m - 1, d, h, min, s));
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === m - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === min &&
    y >= 1900 &&
    y <= 2200
  );
}

function realParts(re: RegExp, value: string): boolean {
  const m = re.exec(value);
  if (!m) return false;
  const n = m.slice(1, 7).map((p) => (p === undefined ? 0 : Number(p)));
  return isRealDate(n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3], n[4], n[5]);
}

export const DateTimeSchema = z
  .string()
  .regex(DATE_TIME, 'must be an RFC 3339 date-time with an offset, e.g. 2026-03-02T09:00:00Z')
  .refine((v) => realParts(DATE_TIME, v), 'is not a real calendar date and time')
  .describe('An instant: RFC 3339 date-time with `Z` or an offset (years 1900–2200).');

export const DateSchema = z
  .string()
  .regex(DATE, 'must be a date YYYY-MM-DD')
  .refine((v) => realParts(DATE, v), 'is not a real calendar date')
  .describe('A calendar date, YYYY-MM-DD.');

export const RecurrenceIdSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?$/)
  .refine(
    (v) => realParts(LOCAL_DATE_TIME, v) || realParts(DATE, v),
    'must be a local date-time YYYY-MM-DDThh:mm:ss (or a date for all-day series)',
  )
  .describe(
    'Identifies one occurrence of a series by its original start as local wall time in the ' +
      "series' time zone, without offset (like RFC 5545 RECURRENCE-ID;TZID=…): " +
      '`YYYY-MM-DDThh:mm:ss`, or `YYYY-MM-DD` for all-day series.',
  );

/**
 * Zones the tz database has answered for: asking Intl costs a formatter each time. Capped: Intl
 * also takes any spelling's case ("eUROPE/hELSINKI"), so a client could otherwise grow it.
 */
const knownZones = new Set<string>();
const MAX_KNOWN_ZONES = 2_000;

export function isValidTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (zone.length > 0 && knownZones.size < MAX_KNOWN_ZONES) knownZones.add(zone);
  return zone.length > 0;
}

export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, 'is not an IANA time zone')
  .describe('An IANA time zone name, e.g. Europe/Helsinki (checked against the tz database).');

/** Normalises an RFC 3339 instant to `YYYY-MM-DDThh:mm:ssZ` (UTC, whole seconds). */
export function toUtcString(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function parseInstant(value: string): number {
  return Date.parse(value);
}

/** Midnight UTC of a YYYY-MM-DD date, in ms. */
export function dateToUtcMs(value: string): number {
  return Date.parse(`${value}T00:00:00Z`);
}
