/**
 * The per-field 3-way merge (DESIGN.md "The sync core"). A change is a difference from the base —
 * the snapshot both sides agreed on at the last sync. One side changed a field → take it; both
 * changed it to the same value → nothing to do; both changed it differently → the conflict policy
 * picks, and the losing value is returned so the caller can put it in the trash (SPEC D4).
 */
import { stableStringify } from './hash';
import type { CalendarItem, Instant } from './model';
import { normaliseItem } from './normalise';

/** The fields that sync; CRM-only fields never take part (SPEC F2). */
export const SYNCED_FIELDS = [
  'subject',
  'time',
  'location',
  'description',
  'isPrivate',
  'showAs',
  'reminderMinutes',
  'participants',
  'recurrence',
  'isCancelled',
] as const satisfies readonly (keyof CalendarItem)[];

export type SyncedField = (typeof SYNCED_FIELDS)[number];

/** Newest-wins by default; a setting may make one side always win. */
export type ConflictPolicy = 'newest-wins' | 'outlook-wins' | 'crm-wins';

export type Side = 'outlook' | 'crm';

export interface MergeInput {
  readonly base: CalendarItem;
  readonly outlook: CalendarItem;
  readonly crm: CalendarItem;
  /** When each side last changed the item: newest-wins compares these. */
  readonly outlookModified: Instant;
  readonly crmModified: Instant;
  readonly policy: ConflictPolicy;
}

/** A value sync overwrote: kept so the person can see it and take it back (SPEC D4). */
export interface LostValue {
  readonly field: SyncedField;
  readonly side: Side;
  readonly value: CalendarItem[SyncedField];
}

export interface MergeResult {
  readonly merged: CalendarItem;
  readonly outlookNeedsUpdate: boolean;
  readonly crmNeedsUpdate: boolean;
  readonly conflicts: readonly SyncedField[];
  readonly lost: readonly LostValue[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function assign<F extends SyncedField>(
  target: Mutable<CalendarItem>,
  field: F,
  value: CalendarItem[F],
): void {
  target[field] = value;
}

function winnerOf(input: MergeInput): Side {
  if (input.policy === 'outlook-wins') return 'outlook';
  if (input.policy === 'crm-wins') return 'crm';
  // ISO instants in UTC compare as strings. A tie goes to Outlook: the person's own calendar.
  return input.crmModified > input.outlookModified ? 'crm' : 'outlook';
}

export function mergeItems(input: MergeInput): MergeResult {
  const base = normaliseItem(input.base);
  const sides = { outlook: normaliseItem(input.outlook), crm: normaliseItem(input.crm) };
  const merged: Mutable<CalendarItem> = { ...base };
  const conflicts: SyncedField[] = [];
  const lost: LostValue[] = [];
  let outlookNeedsUpdate = false;
  let crmNeedsUpdate = false;

  for (const field of SYNCED_FIELDS) {
    const b = stableStringify(base[field]);
    const o = stableStringify(sides.outlook[field]);
    const c = stableStringify(sides.crm[field]);
    let take: Side;
    if (o === c) take = 'outlook';
    else if (o === b) take = 'crm';
    else if (c === b) take = 'outlook';
    else {
      take = winnerOf(input);
      conflicts.push(field);
      const loser: Side = take === 'outlook' ? 'crm' : 'outlook';
      lost.push({ field, side: loser, value: sides[loser][field] });
    }
    assign(merged, field, sides[take][field]);
    if (stableStringify(sides[take][field]) !== o) outlookNeedsUpdate = true;
    if (stableStringify(sides[take][field]) !== c) crmNeedsUpdate = true;
  }
  return {
    merged,
    outlookNeedsUpdate,
    crmNeedsUpdate,
    conflicts,
    lost,
  };
}

/** `current` with `fields` taken from `source`: a side changes only those (SPEC F6). */
export function withFields(
  current: CalendarItem,
  source: CalendarItem,
  fields: readonly SyncedField[],
): CalendarItem {
  const out: Mutable<CalendarItem> = { ...current };
  for (const field of fields) assign(out, field, source[field]);
  return out;
}
