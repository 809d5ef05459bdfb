/**
 * The rows the sync store keeps, whatever keeps them (store/syncStore.ts is the port, the Dexie
 * database in store/schema.ts one implementation). Nothing here imports a storage library.
 */
import type { LostValue, SyncedField } from '../core/merge';
import type { ContactItem } from '../core/contacts/model';
import type { ContactLost, ContactOperation } from '../core/contacts/types';
import type { Operation } from '../core/plan/types';
import type { CalendarItem, Instant } from '../core/model';

export interface CursorRow {
  readonly name:
    | 'outlookDelta'
    | 'crmChanges'
    // SPEC K2: the contact kind's own cursors, and the id of the product's contact folder.
    | 'outlookContactsDelta'
    | 'crmContactChanges'
    | 'outlookContactFolder'
    // Issue 15: the calendar's type filters at the last run (core/settings.ts, filtersKey).
    | 'calendarFilters'
    // Issue 17: a run began writing and has not yet stored its cursors past its writes
    // (engine/run.ts, writesUnconfirmed).
    | 'writesUnconfirmed'
    // Issue 15: the contact sync mode (K2) at the last run.
    | 'contactMode'
    // Issue 16, item 5: when the contact step last asked for changes (engine/contacts/cadence.ts).
    | 'contactsSyncedAt';
  readonly value: string;
  /** The window the Outlook delta link was made for: a new window needs a new link. */
  readonly window?: { readonly start: Instant; readonly end: Instant };
  /**
   * Issue 15 item 5: ids the next run reads again along with the changes since `value` — what a
   * round read past the engine's own writes found that was not its own (engine/ownWrites.ts).
   * Absent: none.
   */
  readonly recheck?: readonly string[];
}

/** An intent stored before it is sent: replayed after a crash with the same idempotency key. */
export interface OutboxRow {
  readonly key: string;
  readonly operation: Operation | ContactOperation;
  readonly createdAt: Instant;
  readonly attempts: number;
}

export type RunState = 'running' | 'done' | 'failed' | 'braked';

/** SPEC E2: each run, what it changed, what failed and why. */
export interface RunRow {
  id?: number;
  readonly startedAt: Instant;
  finishedAt?: Instant;
  state: RunState;
  counts: Partial<Record<Operation['op'] | ContactOperation['op'], number>>;
  failures: { readonly itemKey: string; readonly code: string }[];
  brake?: string;
  /**
   * Issue 14, item 4: deletions and overwrites this run carried out — the mass-delete brake sums
   * them over a sliding window (core/plan/brake.ts), so a drip of deletions trips it too.
   */
  destructive?: number;
  /** The person confirmed this run's brake: the sliding window starts again after it. */
  confirmed?: boolean;
}

/** SPEC D4: what sync overwrote or deleted, to be seen and taken back. */
export interface TrashRow {
  id?: number;
  readonly at: Instant;
  readonly outlookId: string;
  readonly crmId: string;
  readonly lost: LostValue;
  /** The whole item, when sync deleted it. */
  readonly deleted?: CalendarItem;
  /**
   * Issue 12, item 2: the Outlook item as read just before a CRM-side edit overwrote `fields` of
   * it (the pre-image; `lost` names the first of them). A restore writes those fields back.
   */
  readonly overwritten?: {
    readonly item: CalendarItem;
    readonly fields: readonly SyncedField[];
  };
  /**
   * A contact's row (SPEC K2, K3): ids are the contact's, `lost` names it (field `subject`, the
   * contact's name) so lists that show activities show it too; what was lost is here.
   */
  readonly contact?: {
    readonly lost?: ContactLost;
    /** The whole contact, when sync deleted, archived or merged it away. */
    readonly deleted?: ContactItem;
    /**
     * Issue 14, item 4: every value of the operation that lost a conflict (`lost` is the first),
     * so one update is one row.
     */
    readonly lostAll?: readonly ContactLost[];
    /** Issue 14, item 4: the whole contact of each side an update wrote over, as read before. */
    readonly overwritten?: {
      readonly outlook?: ContactItem;
      readonly crm?: ContactItem;
    };
  };
  /** SPEC D4 "undone": the person asked for it back; the next run writes it (engine/restore.ts). */
  readonly restore?: TrashRestore;
  /**
   * `restore.state`, indexed (schema version 4): a run finds the asked-for rows by the index
   * instead of reading the whole trash (issue 14, item 5).
   */
  readonly restoreState?: TrashRestore['state'];
}

/** Where a restore stands; not indexed, so no new schema version. */
export type TrashRestore =
  | { readonly state: 'requested'; readonly requestedAt: Instant }
  | { readonly state: 'done'; readonly requestedAt: Instant; readonly at: Instant }
  | {
      readonly state: 'failed';
      readonly requestedAt: Instant;
      readonly at: Instant;
      readonly code: string;
    };

/** SPEC E4: an item that keeps failing is set aside and shown; the rest syncs on. */
export interface QuarantineRow {
  readonly itemKey: string;
  readonly failures: number;
  readonly lastCode: string;
  readonly since: Instant;
  readonly quarantined: boolean;
  /** Set aside by the person ("Unlink", SPEC E2) rather than by failures: kept until released. */
  readonly unlinkedAt?: Instant;
}

/**
 * Items whose last operation failed: the cursors have moved past their change, so the next run
 * reads them again by id. Without this a lost race (412) would lose the edit behind it.
 */
export interface PendingRow {
  readonly itemKey: string;
  readonly outlookId?: string;
  readonly crmId?: string;
}

/** SPEC E1: the last syncs of each item. */
export interface SyncRecordRow {
  id?: number;
  readonly itemKey: string;
  readonly at: Instant;
  /** The write, or `skip` for an item the plan set aside (its reason in `code`). */
  /** Contacts record in the same words (engine/contacts/apply.ts: archive is `cancelInCrm`). */
  readonly op: Operation['op'] | 'skip';
  readonly outcome: 'ok' | 'failed' | 'skipped';
  readonly code?: string;
  /** For a skipped item, what exactly (SPEC R3: the RRULE parts Outlook lacks). */
  readonly detail?: readonly string[];
}

/**
 * An Outlook occurrence or exception seen in a delta, and its series (SPEC R1). Graph reports a
 * cancelled occurrence only as `@removed` with its own opaque id: this is how the engine knows
 * which series to read again.
 */
export interface OccurrenceRow {
  readonly id: string;
  readonly seriesId: string;
}
