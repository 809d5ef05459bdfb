import type { OutputZone } from './serialize';
import { resolveZone } from './timezones';

export interface Preferences {
  zone: OutputZone;
  maxPageSize?: number | undefined;
  applied: string[];
}

/** Parses `Prefer` (several headers or comma-separated values; quoted values may hold commas). */
export function parsePrefer(header: string | string[] | undefined): Preferences {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  const parts = raw.match(/(?:[^,"]+|"[^"]*")+/g) ?? [];
  const prefs: Preferences = { zone: { name: 'UTC', iana: 'UTC' }, applied: [] };
  for (const part of parts) {
    const m = /^\s*([\w.]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (!m) continue;
    const key = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? '';
    if (key === 'outlook.timezone') {
      // An unknown zone is ignored (UTC stays) and not echoed in Preference-Applied.
      const iana = resolveZone(value);
      if (iana) {
        prefs.zone = { name: value, iana };
        prefs.applied.push(`outlook.timezone="${value}"`);
      }
    } else if (key === 'odata.maxpagesize' && /^\d+$/.test(value) && Number(value) > 0) {
      prefs.maxPageSize = Number(value);
      prefs.applied.push(`odata.maxpagesize=${value}`);
    } else if (key === 'idtype' && /^immutableid$/i.test(value)) {
      // Ids here never change on move, so they already are immutable ids.
      prefs.applied.push('IdType="ImmutableId"');
    }
  }
  return prefs;
}
