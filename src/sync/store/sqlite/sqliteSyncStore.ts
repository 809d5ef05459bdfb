/**
 * The store port (store/syncStore.ts) over SQLite (better-sqlite3), for the always-on sync service
 * (issue 17, item 5): one file per mailbox (open.ts), or in memory. It passes the same contract
 * suite as the Dexie store (test/contract/syncStore.contract.ts).
 *
 * better-sqlite3 is synchronous: each named transaction is one SQLite transaction run to its end
 * inside the method, so no other call of this process interleaves with it, and `BEGIN IMMEDIATE`
 * takes the write lock up front so two processes on one file never deadlock halfway. The file is
 * opened on first use, not in the constructor: a damaged file or one of a newer schema then fails
 * inside a run, where runSync rebuilds it (issue 14, item 5) — as Dexie opens on first use too.
 */
import type { Statement } from 'better-sqlite3';
import type { Instant } from '../../core/model';
import { QUARANTINE_AFTER, RECORDS_PER_ITEM } from '../records';
import { linkRow, readLinkRow, repairRow, type LinkRepair } from '../linkRows';
import type { CursorRow, OutboxRow, PendingRow, RunRow, TrashRestore, TrashRow } from '../rows';
import type { LinkKind, LinkOf, OutcomeEntry, SyncStore } from '../syncStore';
import { sameTrash, trashCovers } from '../trashRows';
import {
  CountColumns,
  cursorFromRow,
  dataOf,
  intentFromRow,
  isIdleRun,
  LinkColumns,
  pendingFromRow,
  quarantineFromRow,
  rawLinkOf,
  recordFromRow,
  rowOf,
  runFromRow,
  SeriesColumns,
  trashFromRow,
} from './codec';
import { DATA_TABLES } from './migrations';
import { type Db, IN_MEMORY, openStoreFile, removeStoreFile, storeFileFor } from './open';
import { pruneSqlite } from './prune';

/** How many of a pair's newest trash rows a new one is compared with (as the Dexie store). */
const TRASH_MERGE_LOOKBACK = 16;

type SyncEntry = {
  readonly itemKey: string;
  readonly at: Instant;
  readonly op: string;
  readonly outcome: 'ok' | 'failed' | 'skipped';
  readonly code?: string;
  readonly detail?: readonly string[];
};

export class SqliteSyncStore implements SyncStore {
  private db: Db | undefined;
  private readonly statements = new Map<string, Statement>();

  /**
   * `path`: the store's file (storeFileFor), or IN_MEMORY. `clock` stamps the migrations'
   * history only; nothing the engine reads depends on it.
   */
  constructor(
    readonly path: string,
    private readonly clock: () => string = () => new Date().toISOString(),
  ) {}

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
    this.db ??= openStoreFile(this.path, this.clock());
    return this.db;
  }

  /** Closes the file; the next call opens it again. An in-memory store forgets everything. */
  close(): void {
    this.statements.clear();
    const db = this.db;
    this.db = undefined;
    db?.close();
  }

  private q(sql: string): Statement {
    const db = this.connection();
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private tx<T>(body: () => T): T {
    return this.connection().transaction(body).immediate();
  }

  // ─── Links ───────────────────────────────────────────────────────────────────────────────────

  /** Issue 15, item 3: the link a stored row holds (store/linkRows.ts), or none. */
  private asLink<K extends LinkKind>(kind: K, row: unknown): LinkOf<K> | undefined {
    if (row === undefined) return undefined;
    const read = readLinkRow(kind, rawLinkOf(row));
    return read && 'link' in read ? read.link : undefined;
  }

  async links<K extends LinkKind>(kind: K): Promise<LinkOf<K>[]> {
    const rows = this.q(
      'SELECT outlook_id, crm_id, data FROM links WHERE kind = ? ORDER BY outlook_id',
    ).all(kind);
    return rows.flatMap((row) => this.asLink(kind, row) ?? []);
  }

  async linkByOutlookId<K extends LinkKind>(kind: K, id: string): Promise<LinkOf<K> | undefined> {
    return this.asLink(kind, this.linkRowWhere(kind, 'outlook_id', id));
  }

  async linkByCrmId<K extends LinkKind>(kind: K, crmId: string): Promise<LinkOf<K> | undefined> {
    return this.asLink(kind, this.linkRowWhere(kind, 'crm_id', crmId));
  }

  private linkRowWhere(kind: LinkKind, column: 'outlook_id' | 'crm_id', id: string): unknown {
    return this.q(
      `SELECT outlook_id, crm_id, data FROM links WHERE kind = ? AND ${column} = ?`,
    ).get(kind, id);
  }

  /**
   * Issue 15, item 3: the rows no reader of today can read, as pairs to repair. A row that still
   * holds its CRM id in the unique index is rewritten as a row to repair (crm_id NULL), so a link
   * the stamps make for that CRM id elsewhere is never refused — as the Dexie store does.
   */
  async linksToRepair(kind: LinkKind): Promise<LinkRepair[]> {
    return this.tx(() => {
      const repairs: LinkRepair[] = [];
      const rows = this.q('SELECT outlook_id, crm_id, data FROM links WHERE kind = ?').all(kind);
      for (const row of rows) {
        const read = readLinkRow(kind, rawLinkOf(row));
        if (read === null || 'link' in read) continue;
        repairs.push(read.repair);
        const columns = rowOf(LinkColumns, row, 'links');
        if (columns.crm_id === null) continue;
        const fixed = repairRow(read.repair, 'unreadable');
        this.q(
          'UPDATE links SET crm_id = NULL, version = ?, data = ? WHERE kind = ? AND outlook_id = ?',
        ).run(fixed.v, JSON.stringify(fixed), kind, columns.outlook_id);
      }
      return repairs;
    });
  }

  async commitLink<K extends LinkKind>(kind: K, link: LinkOf<K>): Promise<void> {
    this.putLink(kind, link);
  }

  /**
   * Replaces the row of the same Outlook id (a link, or a pair to repair). Another row holding
   * the same CRM id is a constraint error, as Dexie's unique index makes it — never replaced.
   */
  private putLink(kind: LinkKind, link: LinkOf<LinkKind>): void {
    const row = linkRow(link);
    this.q(
      `INSERT INTO links (kind, outlook_id, crm_id, version, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, outlook_id) DO UPDATE
       SET crm_id = excluded.crm_id, version = excluded.version, data = excluded.data`,
    ).run(kind, link.outlookId, link.crmId, row.v, JSON.stringify(row));
  }

  async dropLink(kind: LinkKind, outlookId: string): Promise<void> {
    this.q('DELETE FROM links WHERE kind = ? AND outlook_id = ?').run(kind, outlookId);
  }

  // ─── Outbox ──────────────────────────────────────────────────────────────────────────────────

  async addIntent(row: OutboxRow): Promise<void> {
    this.q(
      'INSERT OR REPLACE INTO outbox (key, created_at, attempts, operation) VALUES (?, ?, ?, ?)',
    ).run(row.key, row.createdAt, row.attempts, JSON.stringify(row.operation));
  }

  async dropIntent(key: string): Promise<void> {
    this.q('DELETE FROM outbox WHERE key = ?').run(key);
  }

  async commitCreate<K extends LinkKind>(kind: K, key: string, link: LinkOf<K>): Promise<void> {
    this.tx(() => {
      this.putLink(kind, link);
      this.q('DELETE FROM outbox WHERE key = ?').run(key);
    });
  }

  async commitReplayed<K extends LinkKind>(
    kind: K,
    key: string,
    link: LinkOf<K> | undefined,
  ): Promise<void> {
    this.tx(() => {
      // A row to repair is no link: the replayed link takes its place (issue 15, item 3).
      const linked =
        link &&
        (this.asLink(kind, this.linkRowWhere(kind, 'outlook_id', link.outlookId)) ??
          this.linkRowWhere(kind, 'crm_id', link.crmId));
      if (link && !linked) this.putLink(kind, link);
      this.q('DELETE FROM outbox WHERE key = ?').run(key);
    });
  }

  async takeIntents(): Promise<OutboxRow[]> {
    return this.tx(() => {
      const rows = this.q('SELECT * FROM outbox ORDER BY created_at, key').all().map(intentFromRow);
      this.q('UPDATE outbox SET attempts = attempts + 1').run();
      return rows.map((row) => ({ ...row, attempts: row.attempts + 1 }));
    });
  }

  async intentCount(): Promise<number> {
    return this.count('SELECT COUNT(*) AS n FROM outbox');
  }

  private count(sql: string, ...params: string[]): number {
    return rowOf(CountColumns, this.q(sql).get(...params), 'count').n;
  }

  // ─── Outcomes ────────────────────────────────────────────────────────────────────────────────

  async recordOutcome(entry: OutcomeEntry): Promise<boolean> {
    return this.tx(() => {
      const { kind, itemKey, at, outcome } = entry;
      if (outcome.ok) {
        if (outcome.recorded) this.recordSync({ itemKey, at, op: entry.recordAs, outcome: 'ok' });
        this.q('DELETE FROM quarantine WHERE item_key = ?').run(itemKey);
        this.q('DELETE FROM pending WHERE kind = ? AND item_key = ?').run(kind, itemKey);
        return false;
      }
      this.putPending(kind, outcome.pending);
      const code = outcome.code;
      this.recordSync({ itemKey, at, op: entry.recordAs, code, outcome: 'failed' });
      return outcome.counts ? this.countFailure(itemKey, code, at) : false;
    });
  }

  private putPending(kind: LinkKind, row: PendingRow): void {
    this.q(
      'INSERT OR REPLACE INTO pending (kind, item_key, outlook_id, crm_id) VALUES (?, ?, ?, ?)',
    ).run(kind, row.itemKey, row.outlookId ?? null, row.crmId ?? null);
  }

  /** SPEC E1: the item's history, its last RECORDS_PER_ITEM syncs kept. */
  private recordSync(entry: SyncEntry): void {
    this.q(
      'INSERT INTO records (item_key, at, op, outcome, code, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      entry.itemKey,
      entry.at,
      entry.op,
      entry.outcome,
      entry.code ?? null,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    );
    this.q(
      `DELETE FROM records WHERE item_key = ? AND id NOT IN
         (SELECT id FROM records WHERE item_key = ? ORDER BY at DESC, id DESC LIMIT ?)`,
    ).run(entry.itemKey, entry.itemKey, RECORDS_PER_ITEM);
  }

  /** SPEC E4: one more failure; set aside after QUARANTINE_AFTER (a person's unlink is undone). */
  private countFailure(itemKey: string, code: string, at: Instant): boolean {
    const row = this.q('SELECT * FROM quarantine WHERE item_key = ?').get(itemKey);
    const before = row === undefined ? undefined : quarantineFromRow(row);
    const failures = (before?.failures ?? 0) + 1;
    const quarantined = failures >= QUARANTINE_AFTER;
    this.q(
      `INSERT OR REPLACE INTO quarantine (item_key, failures, last_code, since, quarantined,
         unlinked_at) VALUES (?, ?, ?, ?, ?, NULL)`,
    ).run(itemKey, failures, code, before?.since ?? at, quarantined ? 1 : 0);
    return quarantined;
  }

  async noteFailure(itemKey: string, code: string, at: Instant): Promise<boolean> {
    return this.tx(() => this.countFailure(itemKey, code, at));
  }

  async recordSkipped(entry: {
    readonly itemKey: string;
    readonly at: Instant;
    readonly code: string;
    readonly detail?: readonly string[];
  }): Promise<void> {
    this.tx(() => {
      const row = this.q(
        'SELECT * FROM records WHERE item_key = ? ORDER BY at DESC, id DESC LIMIT 1',
      ).get(entry.itemKey);
      const last = row === undefined ? undefined : recordFromRow(row);
      if (last?.outcome === 'skipped' && last.code === entry.code) return;
      this.recordSync({ ...entry, op: 'skip', outcome: 'skipped' });
    });
  }

  async quarantinedKeys(): Promise<Set<string>> {
    const rows = this.q('SELECT * FROM quarantine WHERE quarantined = 1').all();
    return new Set(rows.map((row) => quarantineFromRow(row).itemKey));
  }

  async setAside(itemKey: string, code: string, at: Instant): Promise<void> {
    this.q(
      `INSERT OR REPLACE INTO quarantine (item_key, failures, last_code, since, quarantined,
         unlinked_at) VALUES (?, 0, ?, ?, 1, ?)`,
    ).run(itemKey, code, at, at);
  }

  async pending(kind: LinkKind): Promise<PendingRow[]> {
    const rows = this.q('SELECT * FROM pending WHERE kind = ? ORDER BY item_key').all(kind);
    return rows.map(pendingFromRow);
  }

  // ─── Cursors ─────────────────────────────────────────────────────────────────────────────────

  async cursor(name: CursorRow['name']): Promise<CursorRow | undefined> {
    const row = this.q('SELECT * FROM cursors WHERE name = ?').get(name);
    return row === undefined ? undefined : cursorFromRow(row);
  }

  async putCursor(row: CursorRow): Promise<void> {
    this.q(
      'INSERT OR REPLACE INTO cursors (name, value, window_start, window_end) VALUES (?, ?, ?, ?)',
    ).run(row.name, row.value, row.window?.start ?? null, row.window?.end ?? null);
  }

  async dropCursor(name: CursorRow['name']): Promise<void> {
    this.q('DELETE FROM cursors WHERE name = ?').run(name);
  }

  // ─── Runs, trash, occurrences ────────────────────────────────────────────────────────────────

  async startRun(row: RunRow): Promise<number> {
    const { lastInsertRowid } = this.q(
      'INSERT INTO runs (started_at, idle, data) VALUES (?, ?, ?)',
    ).run(row.startedAt, isIdleRun(row) ? 1 : 0, dataOf(row));
    return Number(lastInsertRowid);
  }

  async finishRun(row: RunRow): Promise<void> {
    this.q(
      `INSERT INTO runs (id, started_at, idle, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE
       SET started_at = excluded.started_at, idle = excluded.idle, data = excluded.data`,
    ).run(row.id ?? null, row.startedAt, isIdleRun(row) ? 1 : 0, dataOf(row));
  }

  /**
   * Issue 14, item 4: one row per operation (store/trashRows.ts) — the rules of the Dexie store:
   * a row that repeats the pair's newest open row adds nothing; a pre-image that holds the value
   * of open rows of the pair takes the oldest one's place.
   */
  async addTrash(row: TrashRow): Promise<void> {
    this.tx(() => {
      const recent = this.q(
        'SELECT id, data FROM trash WHERE outlook_id = ? AND crm_id = ? ORDER BY id DESC LIMIT ?',
      )
        .all(row.outlookId, row.crmId, TRASH_MERGE_LOOKBACK)
        .map(trashFromRow);
      const open = recent.filter((r) => r.restore === undefined);
      if (open[0] && sameTrash(open[0], row)) return;
      const ids = open
        .filter((r) => trashCovers(row, r))
        .map((r) => r.id)
        .filter((id): id is number => id !== undefined);
      const stored: TrashRow = row.restore ? { ...row, restoreState: row.restore.state } : row;
      const keep = ids.length > 0 ? Math.min(...ids) : null;
      for (const id of ids) if (id !== keep) this.q('DELETE FROM trash WHERE id = ?').run(id);
      this.q(
        `INSERT OR REPLACE INTO trash (id, at, outlook_id, crm_id, restore_state, data)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(keep, row.at, row.outlookId, row.crmId, stored.restoreState ?? null, dataOf(stored));
    });
  }

  async requestedRestores(): Promise<TrashRow[]> {
    const rows = this.q(
      "SELECT id, data FROM trash WHERE restore_state = 'requested' ORDER BY id",
    ).all();
    return rows.map(trashFromRow);
  }

  async setRestore(trashId: number, restore: TrashRestore): Promise<void> {
    this.tx(() => {
      const row = this.q('SELECT id, data FROM trash WHERE id = ?').get(trashId);
      if (row === undefined) return;
      const next: TrashRow = { ...trashFromRow(row), restore, restoreState: restore.state };
      this.q('UPDATE trash SET restore_state = ?, data = ? WHERE id = ?').run(
        restore.state,
        dataOf(next),
        trashId,
      );
    });
  }

  async noteOccurrences(
    rows: readonly { readonly id: string; readonly seriesId: string }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    this.tx(() => {
      const put = this.q('INSERT OR REPLACE INTO occurrences (id, series_id) VALUES (?, ?)');
      for (const row of rows) put.run(row.id, row.seriesId);
    });
  }

  async takeRemovedSeries(removedIds: readonly string[]): Promise<string[]> {
    if (removedIds.length === 0) return [];
    return this.tx(() => {
      const series = new Set<string>();
      for (const id of removedIds) {
        const row = this.q('SELECT series_id FROM occurrences WHERE id = ?').get(id);
        if (row !== undefined) series.add(rowOf(SeriesColumns, row, 'occurrences').series_id);
        this.q('DELETE FROM occurrences WHERE id = ?').run(id);
      }
      return [...series];
    });
  }

  async prune(now: Instant): Promise<number> {
    return pruneSqlite(this.connection(), now);
  }

  async destructiveSince(since: Instant): Promise<number> {
    const runs = this.q(
      'SELECT id, data FROM runs WHERE started_at >= ? ORDER BY started_at, id',
    ).all(since);
    let total = 0;
    for (const run of runs.map(runFromRow)) {
      total = run.confirmed ? 0 : total + (run.destructive ?? 0);
    }
    return total;
  }

  // ─── The pairing ─────────────────────────────────────────────────────────────────────────────

  async clear(): Promise<void> {
    this.tx(() => {
      for (const table of DATA_TABLES) this.q(`DELETE FROM ${table}`).run();
    });
  }

  /**
   * The file failed (damaged, full, of a newer schema): it is deleted with its log and made anew,
   * empty and migrated — opened here, so a disk that is still full fails this call, not later.
   */
  async rebuild(): Promise<void> {
    this.close();
    removeStoreFile(this.path);
    this.connection();
  }
}
