/**
 * What the sync service's Status views read and change (src/service/statusViews.ts: SPEC D4, E2,
 * E4) beyond the store port: a few bounded reads and the person's two actions, which both
 * server-side stores (SQLite, PostgreSQL) implement, so the service runs on either (issue 18,
 * item 1). The rules are the pane's (store/actions.ts): here they are written once for both.
 */
import type { Instant } from '../core/model';
import type { OutboxRow, PendingRow, QuarantineRow, RunRow, TrashRow } from './rows';
import type { LinkKind, SyncStore } from './syncStore';

export interface StatusStore {
  /** The newest `limit` runs, newest first (by start, then id). */
  recentRuns(limit: number): Promise<RunRow[]>;
  /** The newest `limit` trash rows, newest first (by time, then id). */
  recentTrash(limit: number): Promise<TrashRow[]>;
  /** The items set aside (SPEC E4), bounded by the store. */
  setAsideRows(): Promise<QuarantineRow[]>;
  /** The keys of the items set aside or waiting to be read again (pending), bounded. */
  unresolvedKeys(): Promise<Set<string>>;
  /** The outbox as it is, oldest first, at most `limit` — read only, no attempt counted. */
  intents(limit: number): Promise<OutboxRow[]>;
  /** SPEC E4 "retry": out of the quarantine, and read again by id at the next run. */
  retryItem(itemKey: string): Promise<void>;
  /**
   * SPEC D4 "undone": asks the next run to write the trashed value back. False when the row is
   * gone, already restored or already asked for.
   */
  requestRestore(trashId: number, at: Instant): Promise<boolean>;
}

/** A store the sync service runs a mailbox on: the port, the Status reads, and closing it. */
export interface ServiceStore extends SyncStore, StatusStore {
  close(): void;
}

/**
 * SPEC E4 "retry": the pending row of an item key — `o:`/`c:` a calendar item, `k:o:`/`k:c:` a
 * contact — so that the next run reads the item again by its id.
 */
export function retryPending(itemKey: string): { kind: LinkKind; row: PendingRow } {
  const kind: LinkKind = itemKey.startsWith('k:') ? 'contacts' : 'calendar';
  const bare = kind === 'contacts' ? itemKey.slice(2) : itemKey;
  const id = bare.slice(2);
  const row = bare.startsWith('c:') ? { itemKey, crmId: id } : { itemKey, outlookId: id };
  return { kind, row };
}

/** SPEC D4: a trash row whose restore is done or already asked for is not asked again. */
export function restoreAsked(row: TrashRow): boolean {
  return row.restore?.state === 'done' || row.restore?.state === 'requested';
}

/** A restore the person asks for now. */
export function askedRestore(at: Instant) {
  return { state: 'requested', requestedAt: at } as const;
}
