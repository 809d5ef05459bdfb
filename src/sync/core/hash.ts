/**
 * A content hash of a normalised item: "changed" = the side's version moved AND this differs
 * (REQUIREMENTS.md, after vdirsyncer). Written by hand: it must be synchronous and pure
 * (WebCrypto's digest is async), and it only has to tell our own snapshots apart, not resist an
 * attacker.
 */
import type { CalendarItem } from './model';
import { normaliseItem } from './normalise';

/** JSON with object keys sorted, so equal values always serialise the same. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** cyrb53: a fast 53-bit string hash with good spread, as 14 hex digits. */
export function hashString(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, '0');
}

/** The hash of what syncs (normalised): equal items, equal hashes. */
export function itemHash(item: CalendarItem): string {
  return hashString(stableStringify(normaliseItem(item)));
}
