/**
 * The store port (store/syncStore.ts) over PostgreSQL, for the sync service's N stateless workers
 * (issue 18, item 1): one database, many mailboxes, each store ONE mailbox's rows over a shared
 * `pg.Pool`. It passes the same contract suite as the Dexie and SQLite stores
 * (test/contract/syncStore.contract.ts) and implements the service's Status reads
 * (store/statusStore.ts).
 *
 * As the SQLite store, this class is the port's face only: each named transaction is a function of
 * the part that holds its tables — links.ts, outbox.ts, outcomes.ts, history.ts, prune.ts — run
 * over the mailbox's PgSql (sql.ts). The schema is migrated once per process before any store is
 * made (PostgresStores.open, migrations.ts), never lazily by a store.
 */
import type { Pool } from 'pg';
import type { Instant } from '../../core/model';
import type { LinkRepair } from '../linkRows';
import type { CursorRow, OutboxRow, PendingRow, RunRow, TrashRestore, TrashRow } from '../rows';
import { groupCommit, type LinkWrite } from '../groupCommit';
import { askedRestore, restoreAsked, retryPending, type ServiceStore } from '../statusStore';
import type { LinkIds, LinkKind, LinkOf, OutcomeEntry, SkipEntry } from '../syncStore';
import * as history from './history';
import * as links from './links';
import { PG_DATA_TABLES } from './migrations';
import * as outbox from './outbox';
import * as outcomes from './outcomes';
import { prunePostgres } from './prune';
import { mailboxSql, type PgSql } from './sql';

export class PostgresSyncStore implements ServiceStore {
  private readonly sql: PgSql;

  /** The store of `mailbox` (lower-cased, as the SQLite store names its file) over `pool`. */
  constructor(pool: Pool, mailbox: string) {
    this.sql = mailboxSql(pool, mailbox.toLowerCase());
  }

  /**
   * Intents and links written side by side (an apply group's creates) share one transaction — one
   * WAL flush — instead of one each (../groupCommit.ts, as the Dexie store does).
   */
  private readonly intentsAdded = groupCommit<OutboxRow>((rows) =>
    this.sql.tx(async (tx) => {
      for (const row of rows) await outbox.putIntent(tx, row);
    }),
  );

  private readonly linksWritten = groupCommit<LinkWrite>((writes) =>
    this.sql.tx(async (tx) => {
      for (const w of writes) {
        await links.upsertLink(tx, w.kind, w.link);
        if (w.intent !== undefined) await outbox.deleteIntent(tx, w.intent);
      }
    }),
  );

  get mailbox(): string {
    return this.sql.mailbox;
  }

  /** The pool is shared and outlives the store: nothing to close per mailbox. */
  close(): void {}

  // ─── Links (links.ts) ────────────────────────────────────────────────────────────────────────

  links<K extends LinkKind>(kind: K): Promise<LinkOf<K>[]> {
    return links.allLinks(this.sql, kind);
  }

  async linkByOutlookId<K extends LinkKind>(kind: K, id: string): Promise<LinkOf<K> | undefined> {
    return links.asPgLink(kind, await links.pgLinkRow(this.sql, kind, 'outlook_id', id));
  }

  async linkByCrmId<K extends LinkKind>(kind: K, crmId: string): Promise<LinkOf<K> | undefined> {
    return links.asPgLink(kind, await links.pgLinkRow(this.sql, kind, 'crm_id', crmId));
  }

  linksByIds<K extends LinkKind>(kind: K, ids: LinkIds): Promise<LinkOf<K>[]> {
    return links.linksHolding(this.sql, kind, ids);
  }

  linksToRepair(kind: LinkKind): Promise<LinkRepair[]> {
    return links.pgLinksToRepair(this.sql, kind);
  }

  /** Both read under the mailbox's lock, so no write of another worker falls between them. */
  linksWithRepairs<K extends LinkKind>(kind: K) {
    return this.sql.tx(async (tx) => ({
      links: await links.allLinks(tx, kind),
      repairs: await links.pgLinksToRepair(tx, kind),
    }));
  }

  commitLink<K extends LinkKind>(kind: K, link: LinkOf<K>): Promise<void> {
    return this.linksWritten({ kind, link });
  }

  dropLink(kind: LinkKind, outlookId: string): Promise<void> {
    return links.deleteLink(this.sql, kind, outlookId);
  }

  // ─── Outbox (outbox.ts) ──────────────────────────────────────────────────────────────────────

  addIntent(row: OutboxRow): Promise<void> {
    return this.intentsAdded(row);
  }

  dropIntent(key: string): Promise<void> {
    return outbox.deleteIntent(this.sql, key);
  }

  commitCreate<K extends LinkKind>(kind: K, key: string, link: LinkOf<K>): Promise<void> {
    return this.linksWritten({ kind, link, intent: key });
  }

  commitReplayed<K extends LinkKind>(kind: K, key: string, link: LinkOf<K> | undefined) {
    return outbox.replayedAndClear(this.sql, kind, key, link);
  }

  takeIntents(): Promise<OutboxRow[]> {
    return outbox.takeAll(this.sql);
  }

  intentCount(): Promise<number> {
    return outbox.countIntents(this.sql);
  }

  // ─── Outcomes (outcomes.ts) ──────────────────────────────────────────────────────────────────

  recordOutcome(entry: OutcomeEntry): Promise<boolean> {
    return outcomes.pgRecordOutcome(this.sql, entry);
  }

  /** Each as recordOutcome records it, all in one transaction (the group's one commit). */
  recordSuccesses(entries: readonly OutcomeEntry[]): Promise<void> {
    return this.sql.tx(async (tx) => {
      for (const entry of entries) await outcomes.pgRecordOutcome(tx, entry);
    });
  }

  noteFailure(itemKey: string, code: string, at: Instant): Promise<boolean> {
    return outcomes.pgNoteFailure(this.sql, itemKey, code, at);
  }

  recordSkipped(entry: SkipEntry): Promise<void> {
    return outcomes.pgRecordSkipped(this.sql, entry);
  }

  async quarantinedKeys(): Promise<Set<string>> {
    return new Set((await outcomes.setAsideRows(this.sql)).map((row) => row.itemKey));
  }

  setAside(itemKey: string, code: string, at: Instant): Promise<void> {
    return outcomes.pgSetAside(this.sql, itemKey, code, at);
  }

  pending(kind: LinkKind): Promise<PendingRow[]> {
    return outcomes.pendingRows(this.sql, kind);
  }

  // ─── Cursors, runs, trash, occurrences (history.ts) ──────────────────────────────────────────

  cursor(name: CursorRow['name']): Promise<CursorRow | undefined> {
    return history.readCursor(this.sql, name);
  }

  putCursor(row: CursorRow): Promise<void> {
    return history.writeCursor(this.sql, row);
  }

  dropCursor(name: CursorRow['name']): Promise<void> {
    return history.deleteCursor(this.sql, name);
  }

  startRun(row: RunRow): Promise<number> {
    return history.insertRun(this.sql, row);
  }

  finishRun(row: RunRow): Promise<void> {
    return history.updateRun(this.sql, row);
  }

  addTrash(row: TrashRow): Promise<void> {
    return history.insertTrash(this.sql, row);
  }

  requestedRestores(): Promise<TrashRow[]> {
    return history.restoresAsked(this.sql);
  }

  async setRestore(trashId: number, restore: TrashRestore): Promise<void> {
    await history.updateRestore(this.sql, trashId, restore);
  }

  noteOccurrences(rows: readonly { readonly id: string; readonly seriesId: string }[]) {
    return history.putOccurrences(this.sql, rows);
  }

  takeRemovedSeries(removedIds: readonly string[]): Promise<string[]> {
    return history.removedSeries(this.sql, removedIds);
  }

  prune(now: Instant): Promise<number> {
    return prunePostgres(this.sql, now);
  }

  destructiveSince(since: Instant): Promise<number> {
    return history.pgDestructiveSince(this.sql, since);
  }

  // ─── The pairing ─────────────────────────────────────────────────────────────────────────────

  /** Forgets this mailbox's rows — every other mailbox's stay. */
  clear(): Promise<void> {
    return this.sql.tx(async (tx) => {
      for (const table of PG_DATA_TABLES) {
        await tx.run(`DELETE FROM sync_store.${table} WHERE mailbox = $1`);
      }
    });
  }

  /**
   * The storage failed for this mailbox (a row it cannot read): its rows go, as `clear`. The
   * database is shared, so nothing else is made anew; the next run relinks from the stamps.
   */
  rebuild(): Promise<void> {
    return this.clear();
  }

  // ─── The service's Status reads (store/statusStore.ts) ───────────────────────────────────────

  recentRuns(limit: number): Promise<RunRow[]> {
    return history.recentRuns(this.sql, limit);
  }

  recentTrash(limit: number): Promise<TrashRow[]> {
    return history.recentTrash(this.sql, limit);
  }

  setAsideRows() {
    return outcomes.setAsideRows(this.sql);
  }

  async unresolvedKeys(): Promise<Set<string>> {
    const keys = await this.quarantinedKeys();
    for (const row of await outcomes.pendingRows(this.sql)) keys.add(row.itemKey);
    return keys;
  }

  intents(limit: number): Promise<OutboxRow[]> {
    return outbox.readIntents(this.sql, limit);
  }

  retryItem(itemKey: string): Promise<void> {
    const { kind, row } = retryPending(itemKey);
    return outcomes.pgRetryItem(this.sql, itemKey, row, kind);
  }

  requestRestore(trashId: number, at: Instant): Promise<boolean> {
    return history.updateRestore(this.sql, trashId, askedRestore(at), restoreAsked);
  }
}
