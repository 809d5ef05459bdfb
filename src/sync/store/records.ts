/**
 * Small repositories over the store: each says in its name what it keeps, and keeps the rules
 * (three records per item, quarantine after three failed runs) in one place.
 */
import type { Instant } from '../core/model';
import type { EntityTable } from 'dexie';
import type { PendingRow } from './rows';
import type { QuarantineRow, SyncDb, SyncRecordRow } from './schema';
import type { LinkKind, OutcomeEntry } from './syncStore';

/** SPEC E1: how many syncs of an item are kept. */
export const RECORDS_PER_ITEM = 3;
/** SPEC E4: failed runs in a row before an item is set aside. */
export const QUARANTINE_AFTER = 3;

/**
 * SPEC E4: an item's quarantine row after one more failure (`before`: its row, if any) — set
 * aside at QUARANTINE_AFTER failures in a row; a person's unlink is undone. Both stores write it.
 */
export function failedAgain(
  before: QuarantineRow | undefined,
  itemKey: string,
  code: string,
  at: Instant,
): QuarantineRow {
  const failures = (before?.failures ?? 0) + 1;
  return {
    itemKey,
    failures,
    lastCode: code,
    since: before?.since ?? at,
    quarantined: failures >= QUARANTINE_AFTER,
  };
}

/** SPEC E2 "unlink": an item set aside until the person releases it. */
export function setAsideRow(itemKey: string, code: string, at: Instant): QuarantineRow {
  return { itemKey, failures: 0, lastCode: code, since: at, quarantined: true, unlinkedAt: at };
}

/** SPEC E1, R3: a skip adds nothing when the item's last sync was a skip for the same reason. */
export function repeatsSkip(last: SyncRecordRow | undefined, code: string): boolean {
  return last?.outcome === 'skipped' && last.code === code;
}

/** One sync of an item, as its history keeps it (the store gives the id). */
export type SyncEntry = Omit<SyncRecordRow, 'id'>;

export async function recordSync(db: SyncDb, entry: SyncEntry): Promise<void> {
  await db.transaction('rw', db.records, async () => {
    await db.records.add(entry);
    const all = await db.records.where('itemKey').equals(entry.itemKey).sortBy('at');
    const old = all.slice(0, Math.max(0, all.length - RECORDS_PER_ITEM));
    await db.records.bulkDelete(
      old.map((r) => r.id).filter((id): id is number => id !== undefined),
    );
  });
}

/**
 * Issue 16: several items' syncs, one each, as recordSync records each — one query for the
 * histories to trim instead of one per item (the caller's transaction holds them together).
 */
export async function recordSyncs(db: SyncDb, entries: readonly SyncEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.transaction('rw', db.records, async () => {
    await db.records.bulkAdd([...entries]);
    const keys = [...new Set(entries.map((e) => e.itemKey))];
    // One key range each (`anyOf` walks a cursor that fake-indexeddb restarts at every key).
    const histories = await Promise.all(
      keys.map((key) => db.records.where('itemKey').equals(key).toArray()),
    );
    const old: number[] = [];
    for (const history of histories) {
      // The order recordSync trims in: by time, the oldest beyond RECORDS_PER_ITEM go.
      const sorted = history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      for (const r of sorted.slice(0, Math.max(0, sorted.length - RECORDS_PER_ITEM))) {
        if (r.id !== undefined) old.push(r.id);
      }
    }
    await db.records.bulkDelete(old);
  });
}

/**
 * Issue 16: a group's successes in one transaction, each as DexieSyncStore.recordOutcome records
 * one (its history, its quarantine count and its pending row cleared).
 */
export async function recordSuccesses(
  db: SyncDb,
  entries: readonly OutcomeEntry[],
  pendingOf: (kind: LinkKind) => EntityTable<PendingRow, 'itemKey'>,
): Promise<void> {
  if (entries.some((e) => !e.outcome.ok)) throw new Error('recordSuccesses takes successes only');
  const kinds = [...new Set(entries.map((e) => e.kind))];
  await db.transaction('rw', [db.records, db.quarantine, ...kinds.map(pendingOf)], async () => {
    const recorded = entries.filter((e) => e.outcome.ok && e.outcome.recorded);
    await recordSyncs(
      db,
      recorded.map((e) => ({ itemKey: e.itemKey, at: e.at, op: e.recordAs, outcome: 'ok' })),
    );
    await db.quarantine.bulkDelete(entries.map((e) => e.itemKey));
    for (const kind of kinds) {
      await pendingOf(kind).bulkDelete(
        entries.filter((e) => e.kind === kind).map((e) => e.itemKey),
      );
    }
  });
}

export async function lastSyncs(db: SyncDb, itemKey: string) {
  return (await db.records.where('itemKey').equals(itemKey).sortBy('at')).reverse();
}

/** Counts a failure; returns whether the item is now quarantined. */
export async function noteFailure(
  db: SyncDb,
  itemKey: string,
  code: string,
  at: Instant,
): Promise<boolean> {
  return db.transaction('rw', db.quarantine, async () => {
    const next = failedAgain(await db.quarantine.get(itemKey), itemKey, code, at);
    await db.quarantine.put(next);
    return next.quarantined;
  });
}

export async function noteSuccess(db: SyncDb, itemKey: string): Promise<void> {
  await db.quarantine.delete(itemKey);
}

export async function quarantinedKeys(db: SyncDb): Promise<Set<string>> {
  const rows = await db.quarantine.filter((row) => row.quarantined).toArray();
  return new Set(rows.map((row) => row.itemKey));
}

/** The person asked to try a quarantined item again. */
export async function release(db: SyncDb, itemKey: string): Promise<void> {
  await db.quarantine.delete(itemKey);
}

/**
 * SPEC E1, R3: an item the plan set aside is reported on the item with its reason. Once per
 * reason: a run that sets it aside again for the same reason adds nothing.
 */
export async function recordSkipped(
  db: SyncDb,
  entry: { itemKey: string; at: Instant; code: string; detail?: readonly string[] },
): Promise<void> {
  if (repeatsSkip((await lastSyncs(db, entry.itemKey))[0], entry.code)) return;
  await recordSync(db, { ...entry, op: 'skip', outcome: 'skipped' });
}
