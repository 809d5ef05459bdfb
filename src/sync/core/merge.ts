/**
 * The per-field 3-way merge (ARCHITECTURE.md). A change is a difference from the base —
 * the snapshot both sides agreed on at the last sync. One side changed a field → take it; both
 * changed it to the same value → nothing to do; both changed it differently → the conflict policy
 * picks, and the losing value is returned so the caller can put it in the trash (SPEC D4).
 */
import { stableStringify } from './hash';
import { conflictWinner, mergeRecord, type RecordLost, type RecordMergeInput } from './mergeRecord';
import { mergeSeries } from './mergeSeries';
import type { CalendarItem, Recurrence } from './model';
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

/**
 * The fields every side holds exactly as written. The others (description, participants,
 * recurrence, cancellation) a side may hold in its own way: Outlook converts HTML, has no CRM
 * contact people and spells an RRULE its own way. Without a shared history only the exact fields
 * can be compared across sides.
 */
export const EXACT_FIELDS = [
  'subject',
  'time',
  'location',
  'isPrivate',
  'showAs',
  'reminderMinutes',
] as const satisfies readonly SyncedField[];

/** Newest-wins by default; a setting may make one side always win. */
export type ConflictPolicy = 'newest-wins' | 'outlook-wins' | 'crm-wins';

export type Side = 'outlook' | 'crm';

/**
 * What each side held when the two last agreed, what each holds now, when each last changed the
 * item (newest-wins compares these) and the policy. Each side has its own base: a side that cannot
 * hold a field (Outlook has no CRM contact people, spells an RRULE its own way) keeps its own
 * spelling, and only a departure from it counts as that side's edit.
 */
export type MergeInput = Omit<RecordMergeInput<CalendarItem, SyncedField>, 'fields'>;

/** A value sync overwrote: kept so the person can see it and take it back (SPEC D4). */
export type LostValue = RecordLost<CalendarItem, SyncedField>;

/** Every synced field but the series: these merge as plain values (mergeRecord.ts). */
const VALUE_FIELDS = SYNCED_FIELDS.filter((f) => f !== 'recurrence');

export interface MergeResult {
  /** Fields whose Outlook value the CRM must take. */
  readonly toCrm: readonly SyncedField[];
  /** Fields whose CRM value Outlook must take. */
  readonly toOutlook: readonly SyncedField[];
  readonly conflicts: readonly SyncedField[];
  readonly lost: readonly LostValue[];
  /**
   * The series each side should hold (SPEC R1): a series is merged occurrence by occurrence, so
   * the value a side takes is its own with the other side's edits applied, not a copy. Used for
   * `recurrence` when it is in `toCrm` / `toOutlook`.
   */
  readonly recurrence: { readonly outlook: Recurrence | null; readonly crm: Recurrence | null };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function assign<F extends SyncedField>(
  target: Mutable<CalendarItem>,
  field: F,
  value: CalendarItem[F],
): void {
  target[field] = value;
}

// ISO instants in UTC compare as strings. A tie goes to Outlook: the person's own calendar.
const winnerOf = (input: MergeInput): Side =>
  conflictWinner(input.policy, input.outlookModified, input.crmModified);

export function mergeItems(input: MergeInput): MergeResult {
  const [ob, cb, o, c] = [input.outlookBase, input.crmBase, input.outlook, input.crm].map(
    normaliseItem,
  ) as [CalendarItem, CalendarItem, CalendarItem, CalendarItem];
  const toCrm: SyncedField[] = [];
  const toOutlook: SyncedField[] = [];
  const conflicts: SyncedField[] = [];
  const lost: LostValue[] = [];
  const series = mergeSeries({
    outlookBase: ob.recurrence,
    crmBase: cb.recurrence,
    outlook: o.recurrence,
    crm: c.recurrence,
    winner: winnerOf(input),
  });
  if (stableStringify(series.crm) !== stableStringify(c.recurrence)) toCrm.push('recurrence');
  if (stableStringify(series.outlook) !== stableStringify(o.recurrence)) {
    toOutlook.push('recurrence');
  }
  if (series.conflict) {
    conflicts.push('recurrence');
    const outlookWon = winnerOf(input) === 'outlook';
    lost.push({
      field: 'recurrence',
      side: outlookWon ? 'crm' : 'outlook',
      value: outlookWon ? c.recurrence : o.recurrence,
    });
  }
  const values = mergeRecord<CalendarItem, SyncedField>({
    ...input,
    fields: VALUE_FIELDS,
    outlookBase: ob,
    crmBase: cb,
    outlook: o,
    crm: c,
  });
  toCrm.push(...values.toCrm);
  toOutlook.push(...values.toOutlook);
  conflicts.push(...values.lost.map((l) => l.field));
  lost.push(...values.lost);
  return {
    toCrm,
    toOutlook,
    conflicts,
    lost,
    recurrence: { outlook: series.outlook, crm: series.crm },
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
