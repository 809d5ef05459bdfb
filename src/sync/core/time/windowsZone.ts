import { findIana } from 'windows-iana';
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
