import { findIana, findWindows } from 'windows-iana';
import type { IanaZone } from '../model';
import { isIanaZone } from './zoned';

/**
 * Graph reports an event's own zone in `originalStartTimeZone` as a Windows name ("FLE Standard
 * Time"), an IANA name (when the client sent one), or a custom "tzone://Microsoft/…" id. One
 * Windows zone stands for several IANA zones with the same rules — windows-iana lists
 * Europe/Kiev first and Europe/Helsinki fifth for "FLE Standard Time" — so the person's own zone
 * wins when it is a candidate: a Helsinki user's meeting stays in Helsinki.
 */
export function toIanaZone(name: string | null | undefined, preferred: IanaZone): IanaZone | null {
  if (!name) return null;
  if (/^(utc|gmt|z|etc\/utc|tzone:\/\/microsoft\/utc|coordinated universal time)$/i.test(name)) {
    return 'UTC';
  }
  if (name.includes('/') && isIanaZone(name)) return name;
  const candidates: readonly string[] = findIana(name).filter(isIanaZone);
  if (candidates.length === 0) return null;
  if (candidates.includes(preferred)) return preferred;
  const first = candidates[0];
  if (first === undefined) return null;
  const current = RENAMED[first];
  return current && isIanaZone(current) ? current : first;
}

/**
 * CLDR's windowsZones (which windows-iana follows) lists some zones under names IANA has since
 * replaced; a person who picks a zone today picks the current name.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
};

const FORMER_NAME: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(RENAMED).map(([old, current]) => [current, old]),
);

/**
 * The Windows name Graph is sent for an IANA zone (issue 12, item 4). Graph's dateTimeTimeZone
 * (microsoft-graph-docs-contrib api-reference/v1.0/resources/datetimetimezone.md) lists the
 * Windows names and only about a hundred IANA names, and warns that create and update "might not
 * support all" of the latter: `Europe/Helsinki` is not among them. Every Windows name is, so the
 * product always writes one. UTC stays "UTC". Null: no Windows zone has these rules (the caller
 * writes the times in UTC instead).
 */
export function toWindowsZone(zone: IanaZone): string | null {
  if (/^(utc|etc\/utc|etc\/gmt|gmt|z)$/i.test(zone)) return 'UTC';
  const names: readonly string[] = [zone, FORMER_NAME[zone] ?? ''];
  for (const name of names) {
    if (!name) continue;
    const found = findWindows(name)[0];
    if (found) return found;
  }
  return null;
}

/**
 * `item` with the zone of `reference` when the two are one zone to Outlook (the same Windows
 * zone, so the same rules). Outlook keeps only the Windows name of a zone off Graph's documented
 * IANA list (toWindowsZone): an item written in Europe/Rome reads back as the Windows zone's
 * candidate (Europe/Berlin). That is no edit, and comparing through this keeps it from being one.
 */
export function withZoneOf<T extends { readonly time: { readonly timeZone: IanaZone } }>(
  item: T,
  reference: { readonly time: { readonly timeZone: IanaZone } },
): T {
  const [mine, theirs] = [item.time.timeZone, reference.time.timeZone];
  if (mine === theirs) return item;
  const windows = toWindowsZone(mine);
  if (windows === null || windows !== toWindowsZone(theirs)) return item;
  return { ...item, time: { ...item.time, timeZone: theirs } };
}
