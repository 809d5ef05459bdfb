/**
 * Small repositories over the store: each says in its name what it keeps, and keeps the rules
 * (three records per item, quarantine after three failed runs) in one place.
 */
import type { Instant } from '../core/model';
import type { Operation } from '../core/plan/types';
import type { QuarantineRow, SyncDb } from './schema';

/** SPEC E1: how many syncs of an item are kept. */
export const RECORDS_PER_ITEM = 3;
/** SPEC E4: failed runs in a row before an item is set aside. */
export const QUARANTINE_AFTER = 3;

export async function recordSync(
  db: SyncDb,
  entry: {
    itemKey: string;
    at: Instant;
    op: Operation['op'] | 'skip';
    outcome: 'ok' | 'failed' | 'skipped';
    code?: string;
    detail?: readonly string[];
  },
): Promise<void> {
  await db.transaction('rw', db.records, async () => {
    await db.records.add(entry);
    const all = await db.records.where('itemKey').equals(entry.itemKey).sortBy('at');
    const old = all.slice(0, Math.max(0, all.length - RECORDS_PER_ITEM));
    await db.records.bulkDelete(
      old.map((r) => r.id).filter((id): id is number => id !== undefined),
    );
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
    const row = await db.quarantine.get(itemKey);
    const failures = (row?.failures ?? 0) + 1;
    const next: QuarantineRow = {
      itemKey,
      failures,
      lastCode: code,
      since: row?.since ?? at,
      quarantined: failures >= QUARANTINE_AFTER,
    };
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
  const last = (await lastSyncs(db, entry.itemKey))[0];
  if (last?.outcome === 'skipped' && last.code === entry.code) return;
  await recordSync(db, { ...entry, op: 'skip', outcome: 'skipped' });
}
