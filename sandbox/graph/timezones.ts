import { Temporal } from 'temporal-polyfill';
import { findIana } from 'windows-iana';
import { GraphError } from './errors';

const cache = new Map<string, string | null>();

function isIana(name: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Graph accepts Windows zone names ("W. Europe Standard Time") and IANA names
 * ("Europe/Helsinki") in `dateTimeTimeZone.timeZone` and in `Prefer: outlook.timezone`.
 * All IANA zones listed for one Windows zone share its rules, so the first one is used.
 */
export function resolveZone(name: string): string | null {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  let zone: string | null = null;
  if (/^(utc|gmt|z|etc\/utc|tzone:\/\/microsoft\/utc)$/i.test(name)) zone = 'UTC';
  else if (isIana(name)) zone = name;
  else {
    const iana = findIana(name)[0];
    if (iana && isIana(iana)) zone = iana;
  }
  cache.set(name, zone);
  return zone;
}

/** Graph's own error for an unknown zone name (TimeZoneNotSupportedException, 400). */
export function requireZone(name: string | undefined | null): string {
  const zone = name ? resolveZone(name) : null;
  if (!zone) {
    throw new GraphError(
      400,
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name ?? ''}'.`,
    );
  }
  return zone;
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?$/;

/** Parses a `dateTimeTimeZone.dateTime` (a wall-clock time without offset). */
export function parseLocal(dateTime: string): Temporal.PlainDateTime {
  if (!LOCAL_DATE_TIME.test(dateTime)) {
    throw new GraphError(
      400,
      'BadRequest',
      `Cannot convert the literal '${dateTime}' to the expected type 'Edm.DateTime'.`,
    );
  }
  try {
    return Temporal.PlainDateTime.from(dateTime, { overflow: 'reject' });
  } catch {
    throw new GraphError(400, 'BadRequest', `The date '${dateTime}' is not a valid date.`);
  }
}

export function toEpochMs(local: Temporal.PlainDateTime, zone: string): number {
  return local.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
}

/** Graph writes `dateTime` with seven fraction digits: "2024-03-05T09:00:00.0000000". */
export function formatLocal(local: Temporal.PlainDateTime): string {
  const base = local.toString({ smallestUnit: 'second' });
  const ms = String(local.millisecond).padStart(3, '0');
  return `${base}.${ms}0000`;
}

export function localIn(epochMs: number, zone: string): Temporal.PlainDateTime {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone).toPlainDateTime();
}

/** A query-string instant (calendarView's startDateTime): no offset means UTC, per Graph docs. */
export function parseQueryInstant(value: string, name: string): number {
  const dated = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value;
  const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(dated) ? dated : `${dated}Z`;
  try {
    return Temporal.Instant.from(withZone).epochMilliseconds;
  } catch {
    throw new GraphError(
      400,
      'ErrorInvalidParameter',
      `The value '${value}' of parameter '${name}' is invalid.`,
    );
  }
}
