/**
 * The store port (store/syncStore.ts) over SQLite (better-sqlite3), for the always-on sync service
 * (issue 17, item 5): one file per mailbox (open.ts), or in memory. It passes the same contract
 * suite as the Dexie store (test/contract/syncStore.contract.ts).
 *
 * This class is the port's face only: each named transaction is a function of the part that holds
 * its tables — links.ts, outbox.ts, outcomes.ts (history, quarantine, pending), history.ts
 * (cursors, runs, trash, occurrences), prune.ts — run over one StoreConnection (connection.ts),
 * which opens the file on first use and runs each transaction as `BEGIN IMMEDIATE`. The service's
 * Status reads (store/statusStore.ts) are status.ts's.
 */
import type { Instant } from '../../core/model';
import type { LinkRepair } from '../linkRows';
import type {
  CursorRow,
  OutboxRow,
  PendingRow,
  QuarantineRow,
  RunRow,
  TrashRestore,
  TrashRow,
} from '../rows';
import type { ServiceStore } from '../statusStore';
import type { LinkIds, LinkKind, LinkOf, OutcomeEntry, SkipEntry } from '../syncStore';
import { StoreConnection } from './connection';
import * as history from './history';
import * as links from './links';
import { DATA_TABLES } from './migrations';
import { type Db, IN_MEMORY, storeFileFor } from './open';
import * as outbox from './outbox';
import * as outcomes from './outcomes';
import { pruneSqlite } from './prune';
import * as status from './status';

export class SqliteSyncStore implements ServiceStore {
  private readonly sql: StoreConnection;

  /**
   * `path`: the store's file (storeFileFor), or IN_MEMORY. `clock` stamps the migrations'
   * history only; nothing the engine reads depends on it.
   */
  constructor(
    readonly path: string,
    clock: () => string = () => new Date().toISOString(),
  ) {
    this.sql = new StoreConnection(path, clock);
  }

  /** The store of one mailbox, in its own file under `dir`. */
  static forMailbox(dir: string, mailbox: string): SqliteSyncStore {
    return new SqliteSyncStore(storeFileFor(dir, mailbox));
  }

  /** A store in memory: gone when it is closed. */
  static inMemory(): SqliteSyncStore {
    return new SqliteSyncStore(IN_MEMORY);
  }

  /** The open database, opened and migrated on first use (tests look into its tables). */
  connection(): Db {
    return this.sql.connection();
  }

  /** Closes the file; the next call opens it again. An in-memory store forgets everything. */
  close(): void {
    this.sql.close();
  }

  // ─── Links (links.ts) ────────────────────────────────────────────────────────────────────────

  async links<K extends LinkKind>(kind: K): Promise<LinkOf<K>[]> {
    return links.links(this.sql, kind);
  }

  async linkByOutlookId<K extends LinkKind>(kind: K, id: string): Promise<LinkOf<K> | undefined> {
    return links.asLink(kind, links.linkRowWhere(this.sql, kind, 'outlook_id', id));
  }

  async linkByCrmId<K extends LinkKind>(kind: K, crmId: string): Promise<LinkOf<K> | undefined> {
    return links.asLink(kind, links.linkRowWhere(this.sql, kind, 'crm_id', crmId));
  }

  async linksByIds<K extends LinkKind>(kind: K, ids: LinkIds): Promise<LinkOf<K>[]> {
    return links.linksByIds(this.sql, kind, ids);
  }

  async linksToRepair(kind: LinkKind): Promise<LinkRepair[]> {
    return links.linksToRepair(this.sql, kind);
  }

  /** Two indexed reads of an in-process database: one read would save nothing measurable. */
  async linksWithRepairs<K extends LinkKind>(kind: K) {
    return { links: await this.links(kind), repairs: await this.linksToRepair(kind) };
  }

  async commitLink<K extends LinkKind>(kind: K, link: LinkOf<K>): Promise<void> {
    links.putLink(this.sql, kind, link);
  }

  async dropLink(kind: LinkKind, outlookId: string): Promise<void> {
    links.dropLink(this.sql, kind, outlookId);
  }

  // ─── Outbox (outbox.ts) ──────────────────────────────────────────────────────────────────────

  async addIntent(row: OutboxRow): Promise<void> {
    outbox.addIntent(this.sql, row);
  }

  async dropIntent(key: string): Promise<void> {
    outbox.dropIntent(this.sql, key);
  }

  async commitCreate<K extends LinkKind>(kind: K, key: string, link: LinkOf<K>): Promise<void> {
    outbox.commitCreate(this.sql, kind, key, link);
  }

  async commitReplayed<K extends LinkKind>(
    kind: K,
    key: string,
    link: LinkOf<K> | undefined,
  ): Promise<void> {
    outbox.commitReplayed(this.sql, kind, key, link);
  }

  async takeIntents(): Promise<OutboxRow[]> {
    return outbox.takeIntents(this.sql);
  }

  async intentCount(): Promise<number> {
    return outbox.intentCount(this.sql);
  }

  // ─── Outcomes (outcomes.ts) ──────────────────────────────────────────────────────────────────

  async recordOutcome(entry: OutcomeEntry): Promise<boolean> {
    return outcomes.recordOutcome(this.sql, entry);
  }

  /** Each as recordOutcome records it, in one transaction (each one's own nests as a savepoint). */
  async recordSuccesses(entries: readonly OutcomeEntry[]): Promise<void> {
    this.sql.tx(() => {
      for (const entry of entries) outcomes.recordOutcome(this.sql, entry);
    });
  }

  async noteFailure(itemKey: string, code: string, at: Instant): Promise<boolean> {
    return outcomes.noteFailure(this.sql, itemKey, code, at);
  }

  async recordSkipped(entry: SkipEntry): Promise<void> {
    outcomes.recordSkipped(this.sql, entry);
  }

  async quarantinedKeys(): Promise<Set<string>> {
    return outcomes.quarantinedKeys(this.sql);
  }

  async setAside(itemKey: string, code: string, at: Instant): Promise<void> {
    outcomes.setAside(this.sql, itemKey, code, at);
  }

  async pending(kind: LinkKind): Promise<PendingRow[]> {
    return outcomes.pending(this.sql, kind);
  }

  // ─── Cursors, runs, trash, occurrences (history.ts) ──────────────────────────────────────────

  async cursor(name: CursorRow['name']): Promise<CursorRow | undefined> {
    return history.cursor(this.sql, name);
  }

  async putCursor(row: CursorRow): Promise<void> {
    history.putCursor(this.sql, row);
  }

  async dropCursor(name: CursorRow['name']): Promise<void> {
    history.dropCursor(this.sql, name);
  }

  async startRun(row: RunRow): Promise<number> {
    return history.startRun(this.sql, row);
  }

  async finishRun(row: RunRow): Promise<void> {
    history.finishRun(this.sql, row);
  }

  async addTrash(row: TrashRow): Promise<void> {
    history.addTrash(this.sql, row);
  }

  async requestedRestores(): Promise<TrashRow[]> {
    return history.requestedRestores(this.sql);
  }

  async setRestore(trashId: number, restore: TrashRestore): Promise<void> {
    history.setRestore(this.sql, trashId, restore);
  }

  async noteOccurrences(
    rows: readonly { readonly id: string; readonly seriesId: string }[],
  ): Promise<void> {
    history.noteOccurrences(this.sql, rows);
  }

  async takeRemovedSeries(removedIds: readonly string[]): Promise<string[]> {
    return history.takeRemovedSeries(this.sql, removedIds);
  }

  async prune(now: Instant): Promise<number> {
    return pruneSqlite(this.sql.connection(), now);
  }

  async destructiveSince(since: Instant): Promise<number> {
    return history.destructiveSince(this.sql, since);
  }

  // ─── The pairing ─────────────────────────────────────────────────────────────────────────────

  async clear(): Promise<void> {
    this.sql.tx(() => {
      for (const table of DATA_TABLES) this.sql.q(`DELETE FROM ${table}`).run();
    });
  }

  /** The file failed (damaged, full, of a newer schema): made anew, empty (connection.ts). */
  async rebuild(): Promise<void> {
    this.sql.rebuild();
  }

  // ─── The service's Status reads (status.ts, store/statusStore.ts) ────────────────────────────

  async recentRuns(limit: number): Promise<RunRow[]> {
    return status.recentRuns(this.sql, limit);
  }

  async recentTrash(limit: number): Promise<TrashRow[]> {
    return status.recentTrash(this.sql, limit);
  }

  async setAsideRows(): Promise<QuarantineRow[]> {
    return status.setAsideRows(this.sql);
  }

  async unresolvedKeys(): Promise<Set<string>> {
    return status.unresolvedKeys(this.sql);
  }

  async intents(limit: number): Promise<OutboxRow[]> {
    return status.intents(this.sql, limit);
  }

  async retryItem(itemKey: string): Promise<void> {
    status.retryItem(this.sql, itemKey);
  }

  async requestRestore(trashId: number, at: Instant): Promise<boolean> {
    return status.requestRestore(this.sql, trashId, at);
  }
}
