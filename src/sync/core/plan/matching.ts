/**
 * SPEC M1: the first sync links pairs that already exist on both sides instead of copying them —
 * same subject, start, end and recurrence. A hash join on that key: linear, never O(n²).
 */
import { stableStringify } from '../hash';
import type { CalendarItem } from '../model';
import { normaliseItem } from '../normalise';

export function matchKey(item: CalendarItem): string {
  const n = normaliseItem(item);
  const time =
    n.time.kind === 'timed' ? [n.time.start, n.time.end] : [n.time.startDate, n.time.endDate];
  return stableStringify([
    n.subject.toLowerCase(),
    n.time.kind,
    ...time,
    n.recurrence?.rrule ?? '',
  ]);
}

/**
 * Pairs each left item with an unused right item of the same key. Several candidates with one key
 * pair in order; the rest stay unpaired (the duplicate finder shows them, SPEC M3).
 */
export function hashJoin<L, R>(
  left: readonly L[],
  right: readonly R[],
  keyOfLeft: (l: L) => string,
  keyOfRight: (r: R) => string,
): { pairs: [L, R][]; leftAlone: L[]; rightAlone: R[] } {
  const buckets = new Map<string, R[]>();
  for (const r of right) {
    const key = keyOfRight(r);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(r);
    else buckets.set(key, [r]);
  }
  const pairs: [L, R][] = [];
  const leftAlone: L[] = [];
  for (const l of left) {
    const r = buckets.get(keyOfLeft(l))?.shift();
    if (r === undefined) leftAlone.push(l);
    else pairs.push([l, r]);
  }
  const rightAlone = [...buckets.values()].flat();
  return { pairs, leftAlone, rightAlone };
}

/**
 * Issue 15, item 4: the CRM contract's ids are 1–64 characters from A–Z, a–z, 0–9, `_` and `-`
 * (docs/crm-sync-api.yaml, every `…Id` schema). A stamp that is anything else — `äää`, a blank,
 * a path — names no activity: asking for it would only be refused (400), never answered 404, so
 * it is never asked for and only its item is set aside.
 */
const CRM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isCrmId(value: string): boolean {
  return CRM_ID.test(value);
}
