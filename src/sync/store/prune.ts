/**
 * Issue 14, item 5: the store stays bounded. One transaction removes what store/retention.ts
 * no longer keeps — runs, sync records and trash rows — by index ranges only.
 */
import type { Collection } from 'dexie';
import type { Instant } from '../core/model';
import {
  IDLE_RUNS_KEPT,
  RECORD_DAYS,
  RECORDS_KEPT,
  RUN_DAYS,
  RUNS_KEPT,
  TRASH_DAYS,
  TRASH_KEPT,
  daysBefore,
  isIdleRun,
} from './retention';
import type { TrashRow } from './rows';
import type { SyncDb } from './schema';

/**
 * The keys of the rows beyond the `kept` newest in `ordered`'s order: the oldest `count - kept`,
 * read with a count and a limit (issue 16: `reverse().offset(kept)` walks a cursor past every
 * kept row — 0.5–2 s in fake-indexeddb with the 5,000 records a large first sync leaves, every
 * PRUNE_EVERY_RUNS runs, and nothing at all to delete most times). The same rows: the newest
 * `kept` in (key, primary key) order stay either way.
 */
async function oldestBeyond<T, K>(ordered: Collection<T, K>, kept: number): Promise<K[]> {
  const count = await ordered.clone().count();
  return count > kept
    ? ordered
        .clone()
        .limit(count - kept)
        .primaryKeys()
    : [];
}

/** Removes what retention no longer keeps; answers how many rows went. */
export async function pruneStore(db: SyncDb, now: Instant): Promise<number> {
  return db.transaction('rw', [db.runs, db.records, db.trash], async () => {
    let gone = 0;
    // Runs: idle ones past the latest few; then by age; then the oldest beyond the cap.
    const idle = await db.runs
      .orderBy(':id')
      .reverse()
      .offset(IDLE_RUNS_KEPT)
      .filter(isIdleRun)
      .primaryKeys();
    await db.runs.bulkDelete(idle);
    gone += idle.length;
    gone += await db.runs.where('startedAt').below(daysBefore(now, RUN_DAYS)).delete();
    const runsBeyond = await oldestBeyond(db.runs.orderBy(':id'), RUNS_KEPT);
    await db.runs.bulkDelete(runsBeyond);
    gone += runsBeyond.length;
    // Records: by age, then the oldest beyond the cap (SPEC E1's three per item stay bounded).
    gone += await db.records.where('at').below(daysBefore(now, RECORD_DAYS)).delete();
    const records = await oldestBeyond(db.records.orderBy('at'), RECORDS_KEPT);
    await db.records.bulkDelete(records);
    gone += records.length;
    // Trash: by age and count, a row the person asked back kept until its run wrote it.
    const keep = (r: TrashRow) => r.restoreState !== 'requested';
    gone += await db.trash.where('at').below(daysBefore(now, TRASH_DAYS)).filter(keep).delete();
    const trash = await db.trash
      .orderBy(':id')
      .reverse()
      .offset(TRASH_KEPT)
      .filter(keep)
      .primaryKeys();
    await db.trash.bulkDelete(trash);
    gone += trash.length;
    return gone;
  });
}
