/** Wall-clock arithmetic for the demo data, with Intl only (no Temporal on the server). */

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The UTC offset of `zone` at `utcMs`, in ms (e.g. +2 h for Helsinki in winter). */
function offsetAt(zone: string, utcMs: number): number {
  const parts = formatterOf(zone).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return asUtc - Math.floor(utcMs / 60_000) * 60_000;
}

/** The instant of a local wall time in `zone` (two passes settle DST edges). */
export function zonedToUtc(
  zone: string,
  y: number,
  m: number,
  d: number,
  hour: number,
  minute = 0,
): number {
  const naive = Date.UTC(y, m - 1, d, hour, minute);
  const first = naive - offsetAt(zone, naive);
  return naive - offsetAt(zone, first);
}

export interface LocalDate {
  y: number;
  m: number;
  d: number;
}

export function localDateOf(zone: string, utcMs: number): LocalDate {
  const t = new Date(utcMs + offsetAt(zone, utcMs));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: LocalDate): number =>
  new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();

const pad = (n: number) => String(n).padStart(2, '0');
export const formatDate = (date: LocalDate): string => `${date.y}-${pad(date.m)}-${pad(date.d)}`;
export const formatLocal = (date: LocalDate, hour: number, minute = 0): string =>
  `${formatDate(date)}T${pad(hour)}:${pad(minute)}:00`;
export const utcString = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
