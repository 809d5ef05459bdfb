import { Temporal } from 'temporal-polyfill';
import { findIana } from 'windows-iana';
import { GraphError } from './errors';

const cache = new Map<string, string | null>();
/** "Asia/Toshkent" is the dateTimeTimeZone page's spelling; the tz database has Asia/Tashkent. */
const SPELLINGS: Record<string, string> = { 'Asia/Toshkent': 'Asia/Tashkent' };

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
  else if (SPELLINGS[name]) zone = SPELLINGS[name] ?? null;
  else if (isIana(name)) zone = name;
  else {
    const iana = findIana(name)[0];
    if (iana && isIana(iana)) zone = iana;
  }
  cache.set(name, zone);
  return zone;
}

const unsupportedZone = (name: string | undefined | null): GraphError =>
  new GraphError(
    400,
    'TimeZoneNotSupportedException',
    `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name ?? ''}'.`,
  );

/** Resolves a zone name the emulator already stored (any name it once accepted). */
export function requireZone(name: string | undefined | null): string {
  const zone = name ? resolveZone(name) : null;
  if (!zone) throw unsupportedZone(name);
  return zone;
}

/**
 * The IANA names the dateTimeTimeZone page lists besides Windows names
 * (microsoft-graph-docs-contrib: api-reference/v1.0/resources/datetimetimezone.md: "The TimeZone
 * property can be set to any of the time zones supported by Windows, as well as the following
 * time zones names"). Where the page gives two spellings ("Europe/Kyiv (Kiev)") both are taken.
 */
export const DOCUMENTED_IANA_ZONES: ReadonlySet<string> = new Set(
  `Etc/GMT+12 Etc/GMT+11 Pacific/Honolulu America/Anchorage America/Santa_Isabel
  America/Los_Angeles America/Phoenix America/Chihuahua America/Denver America/Guatemala
  America/Chicago America/Mexico_City America/Regina America/Bogota America/New_York
  America/Indiana/Indianapolis America/Caracas America/Asuncion America/Halifax America/Cuiaba
  America/La_Paz America/Santiago America/St_Johns America/Sao_Paulo
  America/Argentina/Buenos_Aires America/Cayenne America/Godthab America/Montevideo
  America/Bahia Etc/GMT+2 Atlantic/Azores Atlantic/Cape_Verde Africa/Casablanca Etc/GMT
  Europe/London Atlantic/Reykjavik Europe/Berlin Europe/Budapest Europe/Paris Europe/Warsaw
  Africa/Lagos Africa/Windhoek Europe/Bucharest Asia/Beirut Africa/Cairo Asia/Damascus
  Africa/Johannesburg Europe/Kyiv Europe/Kiev Europe/Istanbul Asia/Jerusalem Asia/Amman
  Asia/Baghdad Europe/Kaliningrad Asia/Riyadh Africa/Nairobi Asia/Tehran Asia/Dubai Asia/Baku
  Europe/Moscow Indian/Mauritius Asia/Tbilisi Asia/Yerevan Asia/Kabul Asia/Karachi
  Asia/Toshkent Asia/Tashkent Asia/Kolkata Asia/Colombo Asia/Kathmandu Asia/Astana Asia/Almaty
  Asia/Dhaka Asia/Yekaterinburg Asia/Yangon Asia/Rangoon Asia/Bangkok Asia/Novosibirsk
  Asia/Shanghai Asia/Krasnoyarsk Asia/Singapore Australia/Perth Asia/Taipei Asia/Ulaanbaatar
  Asia/Irkutsk Asia/Tokyo Asia/Seoul Australia/Adelaide Australia/Darwin Australia/Brisbane
  Australia/Sydney Pacific/Port_Moresby Australia/Hobart Asia/Yakutsk Pacific/Guadalcanal
  Asia/Vladivostok Pacific/Auckland Etc/GMT-12 Pacific/Fiji Asia/Magadan Pacific/Tongatapu
  Pacific/Apia Pacific/Kiritimati`
    .split(/\s+/)
    .filter(Boolean),
);

/** A Windows zone id ("FLE Standard Time", "UTC"), as windows-iana (CLDR) knows them. */
export const isWindowsZone = (name: string): boolean => findIana(name).length > 0;

/**
 * A zone a create or update may carry: a Windows name or a name on the documented list; any
 * other name is refused with 400 TimeZoneNotSupportedException (the code and message Graph
 * answers, microsoftgraph/microsoft-graph-docs issue #4758). `Europe/Helsinki` is refused.
 */
export function requireWritableZone(name: string | undefined | null): string {
  if (!name || !(isWindowsZone(name) || DOCUMENTED_IANA_ZONES.has(name)))
    throw unsupportedZone(name);
  return requireZone(name);
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?$/;

/**
 * Parsed wall times, kept: every calendarView and delta round re-reads each stored event's and
 * series master's times (PlainDateTime is immutable, so one value serves every caller). Bounded:
 * emptied when full.
 */
const parsedLocal = new Map<string, Temporal.PlainDateTime>();
const MAX_PARSED_LOCAL = 10_000;

/** Parses a `dateTimeTimeZone.dateTime` (a wall-clock time without offset). */
export function parseLocal(dateTime: string): Temporal.PlainDateTime {
  const kept = parsedLocal.get(dateTime);
  if (kept) return kept;
  const parsed = parseLocalAfresh(dateTime);
  if (parsedLocal.size >= MAX_PARSED_LOCAL) parsedLocal.clear();
  parsedLocal.set(dateTime, parsed);
  return parsed;
}

function parseLocalAfresh(dateTime: string): Temporal.PlainDateTime {
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
