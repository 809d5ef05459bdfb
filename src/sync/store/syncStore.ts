/**
 * The store port (issue 13): everything the engine keeps between runs, as named transactions.
 * The engine talks to this and to nothing else that stores: the Dexie store
 * (store/dexieSyncStore.ts) is one implementation, a server-side one (SQLite, PostgreSQL) for the
 * always-on sync service another, and both must pass test/contract/syncStore.contract.ts.
 *
 * A store is a cache of the truth, not the truth: the stamps on the items rebuild every link
 * (docs/REQUIREMENTS.md "Design notes"). Item keys are `o:<id>`/`c:<id>` for calendar items and
 * `k:o:<id>`/`k:c:<id>` for contacts; outbox, trash, runs, records and quarantine are shared by
 * every item kind, links, pending rows and cursors are each kind's own.
 */
import type { ContactLink } from '../core/contacts/types';
import type { Instant } from '../core/model';
import type { Link } from '../core/plan/types';
import type { LinkRepair } from './linkRows';
import type {
  CursorRow,
  OutboxRow,
  PendingRow,
  RunRow,
  SyncRecordRow,
  TrashRestore,
  TrashRow,
} from './rows';

/** The item kinds whose links a store keeps (SPEC K2: contacts are the second). */
export type LinkKind = 'calendar' | 'contacts';
export type LinkOf<K extends LinkKind> = K extends 'calendar' ? Link : ContactLink;

/** The ids a batch read of links asks for: Outlook ids, CRM ids, or both. */
export interface LinkIds {
  readonly outlookIds?: readonly string[];
  readonly crmIds?: readonly string[];
}

/** The outcome of one operation on one item, recorded in one transaction. */
export type Outcome =
  /** `recorded`: whether the success goes into the item's history (a rebase does not). */
  | { readonly ok: true; readonly recorded: boolean }
  | {
      readonly ok: false;
      readonly code: string;
      /** The ids to read again at the next run: the cursors have moved past the change. */
      readonly pending: PendingRow;
      /** Whether the failure counts towards setting the item aside (a lost race does not). */
      readonly counts: boolean;
    };

export interface OutcomeEntry {
  readonly kind: LinkKind;
  readonly itemKey: string;
  readonly at: Instant;
  /** How the item's history names the write. */
  readonly recordAs: SyncRecordRow['op'];
  readonly outcome: Outcome;
}

/** SPEC E1, R3: an item the plan left out, with the reason it gives the person. */
export interface SkipEntry {
  readonly itemKey: string;
  readonly at: Instant;
  readonly code: string;
  readonly detail?: readonly string[];
}

export interface SyncStore {
  // ─── Links, per kind ───────────────────────────────────────────────────────────────────────
  /**
   * The links a run can use. Rows are versioned (store/linkRows.ts): every reader and writer of
   * link rows goes through `readLinkRow`/`linkRow`, and a row that does not read as a link (an
   * older shape, snapshots missing) is no link — not here, not by id — but a pair to repair.
   */
  links<K extends LinkKind>(kind: K): Promise<LinkOf<K>[]>;
  /**
   * Issue 15, item 3: the stored pairs whose rows could not be read, by their ids, for the run
   * to repair from the stamps on both sides. A repair ends when a link of the same Outlook id is
   * committed (it replaces the row) or the row is dropped; the CRM id it names never blocks a
   * link of that CRM id elsewhere.
   */
  linksToRepair(kind: LinkKind): Promise<LinkRepair[]>;
  /**
   * Issue 16: `links` and `linksToRepair` together — what a run's gather asks for first; a store
   * may answer both from one read of the rows (Dexie does).
   */
  linksWithRepairs<K extends LinkKind>(
    kind: K,
  ): Promise<{ readonly links: LinkOf<K>[]; readonly repairs: LinkRepair[] }>;
  linkByOutlookId<K extends LinkKind>(kind: K, outlookId: string): Promise<LinkOf<K> | undefined>;
  linkByCrmId<K extends LinkKind>(kind: K, crmId: string): Promise<LinkOf<K> | undefined>;
  /**
   * The links holding any of these ids (as their Outlook id or their CRM id), each once, ordered
   * by Outlook id: one read for many items, as the pane's Status and item views name them. Rows
   * to repair are no links here either.
   */
  linksByIds<K extends LinkKind>(kind: K, ids: LinkIds): Promise<LinkOf<K>[]>;
  /** Commits a link: replaces the link of the same Outlook id. */
  commitLink<K extends LinkKind>(kind: K, link: LinkOf<K>): Promise<void>;
  dropLink(kind: LinkKind, outlookId: string): Promise<void>;

  // ─── Outbox (shared) ───────────────────────────────────────────────────────────────────────
  /** Stores an intent before anything is sent: a crash is repaired by replaying it. */
  addIntent(row: OutboxRow): Promise<void>;
  dropIntent(key: string): Promise<void>;
  /** Commits a create: its link written and its intent cleared, both or neither. */
  commitCreate<K extends LinkKind>(kind: K, intentKey: string, link: LinkOf<K>): Promise<void>;
  /**
   * An intent a replay found already done: `link` is written unless a link of either of its ids
   * exists already, and the intent cleared — both or neither.
   */
  commitReplayed<K extends LinkKind>(
    kind: K,
    intentKey: string,
    link: LinkOf<K> | undefined,
  ): Promise<void>;
  /** Takes the intents for a replay, oldest first, each attempt counted on its row. */
  takeIntents(): Promise<OutboxRow[]>;
  intentCount(): Promise<number>;

  // ─── Outcomes: history, quarantine, pending ────────────────────────────────────────────────
  /**
   * Records an outcome: on success the item's history, its quarantine cleared and its pending row
   * dropped; on failure its pending row, its history and (when it counts) its failure count.
   * @returns whether the item is now set aside (SPEC E4).
   */
  recordOutcome(entry: OutcomeEntry): Promise<boolean>;
  /**
   * Issue 16: the successes of several operations (each `outcome.ok`, each of another item)
   * recorded as `recordOutcome` would record each — a group of writes applied side by side is
   * settled at once (Dexie: in one transaction).
   */
  recordSuccesses(entries: readonly OutcomeEntry[]): Promise<void>;
  /** Counts one failure of an item; returns whether it is now set aside (SPEC E4). */
  noteFailure(itemKey: string, code: string, at: Instant): Promise<boolean>;
  /** SPEC E1, R3: an item the plan left out, with its reason; once per reason in a row. */
  recordSkipped(entry: SkipEntry): Promise<void>;
  quarantinedKeys(): Promise<Set<string>>;
  /** Sets an item aside until the person releases it (SPEC E2 "unlink"). */
  setAside(itemKey: string, code: string, at: Instant): Promise<void>;
  pending(kind: LinkKind): Promise<PendingRow[]>;

  // ─── Cursors ───────────────────────────────────────────────────────────────────────────────
  cursor(name: CursorRow['name']): Promise<CursorRow | undefined>;
  putCursor(row: CursorRow): Promise<void>;
  dropCursor(name: CursorRow['name']): Promise<void>;

  // ─── Runs, trash, occurrences ──────────────────────────────────────────────────────────────
  /** Stores a run as it starts; returns its id. */
  startRun(row: RunRow): Promise<number>;
  /** Stores the run as it ended (the row carries the id startRun gave). */
  finishRun(row: RunRow): Promise<void>;
  addTrash(row: TrashRow): Promise<void>;
  /** SPEC D4: trash rows the person asked back, oldest first. */
  requestedRestores(): Promise<TrashRow[]>;
  setRestore(trashId: number, restore: TrashRestore): Promise<void>;
  /** Remembers the series of each Outlook occurrence read (SPEC R1). */
  noteOccurrences(
    rows: readonly { readonly id: string; readonly seriesId: string }[],
  ): Promise<void>;
  /** Forgets the removed occurrences; returns the series they belonged to. */
  takeRemovedSeries(removedIds: readonly string[]): Promise<string[]>;
  /**
   * Issue 14, item 5: keeps the store bounded — runs, records and trash by age and by count
   * (store/retention.ts), a trash row the person asked back kept until its run wrote it. Every
   * step reads an index range, never a whole table. Returns how many rows went.
   */
  prune(now: Instant): Promise<number>;
  /**
   * Issue 14, item 4: the deletions and overwrites of the runs started at or after `since`,
   * counted from the last run whose brake the person confirmed (the brake's sliding window).
   */
  destructiveSince(since: Instant): Promise<number>;

  // ─── The pairing ───────────────────────────────────────────────────────────────────────────
  /**
   * Issue 14, item 4: forgets everything this store keeps — links, cursors, outbox, runs,
   * records, quarantine, trash. Called when the pairing ends (unpair, sign-out, forced removal):
   * a link kept past it would be taken for a deletion by the next pairing's first run.
   */
  clear(): Promise<void>;
  /**
   * Issue 14, item 5: the storage itself failed (quota, corruption, a version from a newer
   * build): the store is thrown away and made anew, empty. It is a cache of what the stamps
   * rebuild: the next run relinks every item from them (SPEC M2).
   */
  rebuild(): Promise<void>;
}
