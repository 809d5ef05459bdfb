/**
 * SPEC M3: the duplicate finder for appointments. Two items on one side are duplicates when they
 * would match the same item on the other side (M1's key: subject, start, end, recurrence), or
 * when they carry the same partner's stamp. The person sees each group and keeps one — or merges
 * the others into it: fields the kept one leaves empty are filled from them, attendees are joined.
 * Pure: the engine reads the items and applies the answer (engine/duplicates.ts).
 */
import type { CrmActivity, OutlookEvent } from '../sides';
import type { CalendarItem, Participant } from '../model';
import { normaliseItem } from '../normalise';
import { matchKey } from './matching';

export type DuplicateSide = 'outlook' | 'crm';

export interface DuplicateMember {
  readonly id: string;
  readonly item: CalendarItem;
  readonly lastModified: string;
}

export interface DuplicateGroup {
  /** Stable for the same members: the UI and the answer name a group by it. */
  readonly id: string;
  readonly side: DuplicateSide;
  readonly why: 'sameItem' | 'sameStamp';
  /** Oldest first: the first one is the natural one to keep. */
  readonly members: readonly DuplicateMember[];
}

function grouped<T>(items: readonly T[], keyOf: (t: T) => string | null): T[][] {
  const buckets = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const bucket = buckets.get(key);
    if (bucket) bucket.push(item);
    else buckets.set(key, [item]);
  }
  return [...buckets.values()].filter((b) => b.length > 1);
}

function group(
  side: DuplicateSide,
  why: DuplicateGroup['why'],
  members: readonly DuplicateMember[],
): DuplicateGroup {
  const sorted = [...members].sort(
    (a, b) => a.lastModified.localeCompare(b.lastModified) || a.id.localeCompare(b.id),
  );
  return { id: `${side}:${sorted.map((m) => m.id).join('+')}`, side, why, members: sorted };
}

/** Whole items only: occurrences travel with their series, cancelled ones are gone. */
const wholeEvent = (e: OutlookEvent) =>
  e.kind !== 'occurrence' && e.kind !== 'exception' && !e.item.isCancelled;

export function findAppointmentDuplicates(
  outlook: readonly OutlookEvent[],
  crm: readonly CrmActivity[],
): DuplicateGroup[] {
  const events = outlook.filter(wholeEvent);
  const activities = crm.filter((a) => !a.cancelled);
  const member = (x: OutlookEvent | CrmActivity): DuplicateMember => ({
    id: x.id,
    item: x.item,
    lastModified: x.lastModified,
  });
  const groups: DuplicateGroup[] = [];
  const inStampGroup = new Set<string>();
  for (const same of grouped(events, (e) => e.crmId)) {
    same.forEach((e) => inStampGroup.add(e.id));
    groups.push(group('outlook', 'sameStamp', same.map(member)));
  }
  for (const same of grouped(events, (e) => (inStampGroup.has(e.id) ? null : matchKey(e.item)))) {
    groups.push(group('outlook', 'sameItem', same.map(member)));
  }
  for (const same of grouped(activities, (a) => matchKey(a.item))) {
    groups.push(group('crm', 'sameItem', same.map(member)));
  }
  return groups;
}

const participantKey = (p: Participant) => p.email ?? p.crmId ?? p.name ?? '';

/** The kept item with what it lacks filled from the others: nothing it has is overwritten. */
export function mergeDuplicates(keep: CalendarItem, others: readonly CalendarItem[]): CalendarItem {
  const firstOf = (pick: (i: CalendarItem) => string) =>
    others.map(pick).find((v) => v.trim() !== '') ?? '';
  const seen = new Set(keep.participants.map(participantKey));
  const participants = [...keep.participants];
  for (const p of others.flatMap((o) => o.participants)) {
    const key = participantKey(p);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    participants.push(p);
  }
  return normaliseItem({
    ...keep,
    location: keep.location.trim() !== '' ? keep.location : firstOf((i) => i.location),
    description: keep.description.trim() !== '' ? keep.description : firstOf((i) => i.description),
    reminderMinutes:
      keep.reminderMinutes ??
      others.find((o) => o.reminderMinutes !== null)?.reminderMinutes ??
      null,
    participants,
  });
}
