/**
 * The store port (store/syncStore.ts) over Dexie and IndexedDB, one database per mailbox
 * (store/schema.ts). Each named transaction is one Dexie transaction over the tables it touches.
 */
import type { Table } from 'dexie';
import type { QuarantineRow, SyncDb } from './schema';
import { RECORDS_PER_ITEM, lastSyncs, noteFailure, quarantinedKeys, recordSync } from './records';
import type { CursorRow, OutboxRow, PendingRow, RunRow, TrashRestore, TrashRow } from './rows';
import type { LinkKind, LinkOf, OutcomeEntry, SyncStore } from './syncStore';
import type { Instant } from '../core/model';

export class DexieSyncStore implements SyncStore {
  constructor(readonly db: SyncDb) {}

  private linkTable<K extends LinkKind>(kind: K): Table<LinkOf<K>, string> {
    const table = kind === 'calendar' ? this.db.links : this.db.contactLinks;
    return table as unknown as Table<LinkOf<K>, string>;
  }

  private pendingTable(kind: LinkKind) {
    return kind === 'calendar' ? this.db.pending : this.db.contactPending;
  }

  async links<K extends LinkKind>(kind: K): Promise<LinkOf<K>[]> {
    return (await this.linkTable(kind).toArray()) as LinkOf<K>[];
  }

  async linkByOutlookId<K extends LinkKind>(kind: K, id: string): Promise<LinkOf<K> | undefined> {
    return (await this.linkTable(kind).get(id)) as LinkOf<K> | undefined;
  }

  async linkByCrmId<K extends LinkKind>(kind: K, crmId: string): Promise<LinkOf<K> | undefined> {
    return (await this.linkTable(kind).where('crmId').equals(crmId).first()) as
      LinkOf<K> | undefined;
  }

  async commitLink<K extends LinkKind>(kind: K, link: LinkOf<K>): Promise<void> {
    await this.linkTable(kind).put(link);
  }

  async dropLink(kind: LinkKind, outlookId: string): Promise<void> {
    await this.linkTable(kind).delete(outlookId);
  }

  async addIntent(row: OutboxRow): Promise<void> {
    await this.db.outbox.put(row);
  }

  async dropIntent(key: string): Promise<void> {
    await this.db.outbox.delete(key);
  }

  async commitCreate<K extends LinkKind>(kind: K, key: string, link: LinkOf<K>): Promise<void> {
    const links = this.linkTable(kind);
    await this.db.transaction('rw', links, this.db.outbox, async () => {
      await links.put(link);
      await this.db.outbox.delete(key);
    });
  }

  async commitReplayed<K extends LinkKind>(
    kind: K,
    key: string,
    link: LinkOf<K> | undefined,
  ): Promise<void> {
    const links = this.linkTable(kind);
    await this.db.transaction('rw', links, this.db.outbox, async () => {
      const linked =
        link &&
        ((await links.get(link.outlookId)) ??
          (await links.where('crmId').equals(link.crmId).first()));
      if (link && !linked) await links.put(link);
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

  noteFailure(itemKey: string, code: string, at: Instant): Promise<boolean> {
    return noteFailure(this.db, itemKey, code, at);
  }

  async recordSkipped(entry: {
    readonly itemKey: string;
    readonly at: Instant;
    readonly code: string;
    readonly detail?: readonly string[];
  }): Promise<void> {
    await this.db.transaction('rw', this.db.records, async () => {
      const last = (await lastSyncs(this.db, entry.itemKey))[0];
      if (last?.outcome === 'skipped' && last.code === entry.code) return;
      await recordSync(this.db, { ...entry, op: 'skip', outcome: 'skipped' });
    });
  }

  quarantinedKeys(): Promise<Set<string>> {
    return quarantinedKeys(this.db);
  }

  async setAside(itemKey: string, code: string, at: Instant): Promise<void> {
    const row: QuarantineRow = {
      itemKey,
      failures: 0,
      lastCode: code,
      since: at,
      quarantined: true,
      unlinkedAt: at,
    };
    await this.db.quarantine.put(row);
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

  async addTrash(row: TrashRow): Promise<void> {
    await this.db.trash.add(row);
  }

  async requestedRestores(): Promise<TrashRow[]> {
    const rows = await this.db.trash.filter((row) => row.restore?.state === 'requested').toArray();
    return rows.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  }

  async setRestore(trashId: number, restore: TrashRestore): Promise<void> {
    await this.db.trash.update(trashId, { restore });
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

  async prune(): Promise<number> {
    return this.db.transaction('rw', this.db.records, async () => {
      const byItem = new Map<string, { id: number; at: string }[]>();
      await this.db.records.each((r) => {
        if (r.id === undefined) return;
        const list = byItem.get(r.itemKey) ?? [];
        list.push({ id: r.id, at: r.at });
        byItem.set(r.itemKey, list);
      });
      const old = [...byItem.values()].flatMap((list) =>
        list
          .sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id)
          .slice(0, Math.max(0, list.length - RECORDS_PER_ITEM))
          .map((r) => r.id),
      );
      await this.db.records.bulkDelete(old);
      return old.length;
    });
  }
}
