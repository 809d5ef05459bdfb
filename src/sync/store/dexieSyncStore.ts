/**
 * The store port (store/syncStore.ts) over Dexie and IndexedDB, one database per mailbox
 * (store/schema.ts). Each named transaction is one Dexie transaction over the tables it touches.
 */
import type { Table } from 'dexie';
import type { SyncDb } from './schema';
import {
  lastSyncs,
  noteFailure,
  quarantinedKeys,
  recordSuccesses,
  recordSync,
  repeatsSkip,
  setAsideRow,
} from './records';
import { pruneStore } from './prune';
import { mergeTrash, storedTrash } from './trashRows';
import { destructiveTotal } from './retention';
import type { CursorRow, OutboxRow, PendingRow, RunRow, TrashRestore, TrashRow } from './rows';
import type { LinkIds, LinkKind, LinkOf, OutcomeEntry, SkipEntry, SyncStore } from './syncStore';
import type { Instant } from '../core/model';
import { linkRow, readLinkRow, repairRow, type LinkRepair } from './linkRows';
import { DexieGroupWrites, linkTableOf } from './dexieGroupWrites';

/** How many of a pair's newest trash rows a new one is compared with (one per synced field). */
const TRASH_MERGE_LOOKBACK = 16;

export class DexieSyncStore implements SyncStore {
  constructor(
    readonly db: SyncDb,
    /** Intents and links written side by side share transactions (./dexieGroupWrites.ts). */
    private readonly grouped = new DexieGroupWrites(db),
  ) {}

  private linkTable<K extends LinkKind>(kind: K): Table<LinkOf<K>, string> {
    return linkTableOf(this.db, kind);
  }

  private pendingTable(kind: LinkKind) {
    return kind === 'calendar' ? this.db.pending : this.db.contactPending;
  }

  /** Issue 15, item 3: the link a stored row holds, or undefined for a row to repair. */
  private asLink<K extends LinkKind>(kind: K, raw: unknown): LinkOf<K> | undefined {
    const read = readLinkRow(kind, raw);
    return read && 'link' in read ? read.link : undefined;
  }

  async links<K extends LinkKind>(kind: K): Promise<LinkOf<K>[]> {
    const rows: unknown[] = await this.linkTable(kind).toArray();
    return rows.flatMap((row) => this.asLink(kind, row) ?? []);
  }

  async linkByOutlookId<K extends LinkKind>(kind: K, id: string): Promise<LinkOf<K> | undefined> {
    return this.asLink(kind, await this.linkTable(kind).get(id));
  }

  async linkByCrmId<K extends LinkKind>(kind: K, crmId: string): Promise<LinkOf<K> | undefined> {
    return this.asLink(kind, await this.linkTable(kind).where('crmId').equals(crmId).first());
  }

  /** Plain reads, no transaction: a Dexie live query over them follows the link table. */
  async linksByIds<K extends LinkKind>(kind: K, ids: LinkIds): Promise<LinkOf<K>[]> {
    const table = this.linkTable(kind);
    const { outlookIds = [], crmIds = [] } = ids;
    const rows: unknown[] = [
      ...(outlookIds.length > 0 ? await table.bulkGet([...outlookIds]) : []),
      ...(crmIds.length > 0
        ? await table
            .where('crmId')
            .anyOf([...crmIds])
            .toArray()
        : []),
    ];
    const found = new Map<string, LinkOf<K>>();
    for (const row of rows) {
      const link = this.asLink(kind, row);
      if (link) found.set(link.outlookId, link);
    }
    return [...found.values()].sort((a, b) =>
      a.outlookId < b.outlookId ? -1 : a.outlookId > b.outlookId ? 1 : 0,
    );
  }

  async linksToRepair(kind: LinkKind): Promise<LinkRepair[]> {
    return (await this.linksWithRepairs(kind)).repairs;
  }

  /**
   * Issue 15, item 3: the rows no reader of today can read, as pairs to repair — with the links,
   * in one read (issue 16). A broken row that still holds its CRM id in the unique index is
   * rewritten as a row to repair (the schema upgrade does this to the rows it finds), so a link
   * the stamps make elsewhere is never refused.
   */
  async linksWithRepairs<K extends LinkKind>(kind: K) {
    const table = this.linkTable(kind);
    return this.db.transaction('rw', table, async () => {
      const rows: unknown[] = await table.toArray();
      const links: LinkOf<K>[] = [];
      const repairs: LinkRepair[] = [];
      for (const row of rows) {
        const read = readLinkRow(kind, row);
        if (read !== null && 'link' in read) links.push(read.link);
        if (read === null || 'link' in read) continue;
        repairs.push(read.repair);
        if ((row as { crmId?: unknown }).crmId !== undefined) {
          const fixed = repairRow(read.repair, 'unreadable');
          await (table as unknown as Table<typeof fixed, string>).put(fixed);
        }
      }
      return { links, repairs };
    });
  }

  async commitLink<K extends LinkKind>(kind: K, link: LinkOf<K>): Promise<void> {
    await this.grouped.link({ kind, link });
  }

  async dropLink(kind: LinkKind, outlookId: string): Promise<void> {
    await this.linkTable(kind).delete(outlookId);
  }

  async addIntent(row: OutboxRow): Promise<void> {
    await this.grouped.intent(row);
  }

  async dropIntent(key: string): Promise<void> {
    await this.db.outbox.delete(key);
  }

  async commitCreate<K extends LinkKind>(kind: K, key: string, link: LinkOf<K>): Promise<void> {
    await this.grouped.link({ kind, link, intent: key });
  }

  async commitReplayed<K extends LinkKind>(
    kind: K,
    key: string,
    link: LinkOf<K> | undefined,
  ): Promise<void> {
    const links = this.linkTable(kind);
    await this.db.transaction('rw', links, this.db.outbox, async () => {
      // A row to repair is no link: the replayed link takes its place (issue 15, item 3).
      const linked =
        link &&
        (this.asLink(kind, await links.get(link.outlookId)) ??
          (await links.where('crmId').equals(link.crmId).first()));
      if (link && !linked) await links.put(linkRow(link));
      await this.db.outbox.delete(key);
    });
  }

  async takeIntents(): Promise<OutboxRow[]> {
    return this.db.transaction('rw', this.db.outbox, async () => {
      const rows = await this.db.outbox.orderBy('createdAt').toArray();
      const taken = rows.map((row) => ({ ...row, attempts: row.attempts + 1 }));
      await this.db.outbox.bulkPut(taken);
      return taken;
    });
  }

  intentCount(): Promise<number> {
    return this.db.outbox.count();
  }

  async recordOutcome(entry: OutcomeEntry): Promise<boolean> {
    const { db } = this;
    const pending = this.pendingTable(entry.kind);
    return db.transaction('rw', [db.records, db.quarantine, pending], async () => {
      const { itemKey, at, outcome } = entry;
      if (outcome.ok) {
        if (outcome.recorded)
          await recordSync(db, { itemKey, at, op: entry.recordAs, outcome: 'ok' });
        await db.quarantine.delete(itemKey);
        await pending.delete(itemKey);
        return false;
      }
      await pending.put(outcome.pending);
      const failed = { itemKey, at, op: entry.recordAs, code: outcome.code } as const;
      await recordSync(db, { ...failed, outcome: 'failed' });
      return outcome.counts ? noteFailure(db, itemKey, outcome.code, at) : false;
    });
  }

  recordSuccesses(entries: readonly OutcomeEntry[]): Promise<void> {
    return recordSuccesses(this.db, entries, (kind) => this.pendingTable(kind));
  }

  noteFailure(itemKey: string, code: string, at: Instant): Promise<boolean> {
    return noteFailure(this.db, itemKey, code, at);
  }

  async recordSkipped(entry: SkipEntry): Promise<void> {
    await this.db.transaction('rw', this.db.records, async () => {
      if (repeatsSkip((await lastSyncs(this.db, entry.itemKey))[0], entry.code)) return;
      await recordSync(this.db, { ...entry, op: 'skip', outcome: 'skipped' });
    });
  }

  quarantinedKeys(): Promise<Set<string>> {
    return quarantinedKeys(this.db);
  }

  async setAside(itemKey: string, code: string, at: Instant): Promise<void> {
    await this.db.quarantine.put(setAsideRow(itemKey, code, at));
  }

  pending(kind: LinkKind): Promise<PendingRow[]> {
    return this.pendingTable(kind).toArray();
  }

  cursor(name: CursorRow['name']): Promise<CursorRow | undefined> {
    return this.db.cursors.get(name);
  }

  async putCursor(row: CursorRow): Promise<void> {
    await this.db.cursors.put(row);
  }

  async dropCursor(name: CursorRow['name']): Promise<void> {
    await this.db.cursors.delete(name);
  }

  async startRun(row: RunRow): Promise<number> {
    const id = await this.db.runs.add({ ...row });
    if (id === undefined) throw new Error('The store gave the run no id');
    return id;
  }

  async finishRun(row: RunRow): Promise<void> {
    await this.db.runs.put({ ...row });
  }

  /**
   * Issue 14, item 4: one row per operation — merged with the pair's newest rows as
   * store/trashRows.ts's `mergeTrash` says.
   */
  async addTrash(row: TrashRow): Promise<void> {
    await this.db.transaction('rw', this.db.trash, async () => {
      const recent = await this.db.trash
        .where('outlookId')
        .equals(row.outlookId)
        .reverse()
        .filter((r) => r.crmId === row.crmId)
        .limit(TRASH_MERGE_LOOKBACK)
        .toArray();
      const merge = mergeTrash(recent, row);
      if (!merge) return;
      if (merge.drop.length > 0) await this.db.trash.bulkDelete([...merge.drop]);
      const stored = storedTrash(row);
      if (merge.keep !== undefined) await this.db.trash.put({ ...stored, id: merge.keep });
      else await this.db.trash.add(stored);
    });
  }

  async requestedRestores(): Promise<TrashRow[]> {
    const rows = await this.db.trash.where('restoreState').equals('requested').toArray();
    return rows.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  }

  async setRestore(trashId: number, restore: TrashRestore): Promise<void> {
    await this.db.trash.update(trashId, { restore, restoreState: restore.state });
  }

  async noteOccurrences(
    rows: readonly { readonly id: string; readonly seriesId: string }[],
  ): Promise<void> {
    if (rows.length > 0) await this.db.occurrences.bulkPut([...rows]);
  }

  async takeRemovedSeries(removedIds: readonly string[]): Promise<string[]> {
    if (removedIds.length === 0) return [];
    return this.db.transaction('rw', this.db.occurrences, async () => {
      const rows = await this.db.occurrences.bulkGet([...removedIds]);
      await this.db.occurrences.bulkDelete([...removedIds]);
      return [...new Set(rows.flatMap((r) => (r ? [r.seriesId] : [])))];
    });
  }

  async prune(now: Instant): Promise<number> {
    return pruneStore(this.db, now);
  }

  async destructiveSince(since: Instant): Promise<number> {
    const runs = await this.db.runs.where('startedAt').aboveOrEqual(since).sortBy('startedAt');
    return destructiveTotal(runs);
  }

  async rebuild(): Promise<void> {
    this.db.close();
    await this.db.delete();
    await this.db.open();
  }

  async clear(): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.tables, async () => {
      await Promise.all(db.tables.map((table) => table.clear()));
    });
  }
}
