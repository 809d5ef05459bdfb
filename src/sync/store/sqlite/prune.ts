/**
 * Issue 14, item 5 on SQLite: what store/retention.ts no longer keeps — runs, records and trash
 * rows — goes in one transaction, each step an index range (the same steps as store/prune.ts for
 * Dexie, in the same order, so both stores keep the same rows).
 */
import type { Instant } from '../../core/model';
import {
  IDLE_RUNS_KEPT,
  RECORD_DAYS,
  RECORDS_KEPT,
  RUN_DAYS,
  RUNS_KEPT,
  TRASH_DAYS,
  TRASH_KEPT,
  daysBefore,
} from '../retention';
import type { Db } from './open';

/** A trash row the person asked back stays until its run wrote it. */
const NOT_REQUESTED = "(restore_state IS NULL OR restore_state <> 'requested')";

/** Removes what retention no longer keeps; answers how many rows went. */
export function pruneSqlite(db: Db, now: Instant): number {
  const run = (sql: string, ...params: (string | number)[]) =>
    db.prepare(sql).run(...params).changes;
  return db
    .transaction(() => {
      let gone = 0;
      // Runs: idle ones past the latest few; then by age; then the oldest beyond the cap.
      gone += run(
        `DELETE FROM runs WHERE idle = 1 AND id IN
           (SELECT id FROM runs ORDER BY id DESC LIMIT -1 OFFSET ?)`,
        IDLE_RUNS_KEPT,
      );
      gone += run('DELETE FROM runs WHERE started_at < ?', daysBefore(now, RUN_DAYS));
      gone += run(
        'DELETE FROM runs WHERE id IN (SELECT id FROM runs ORDER BY id DESC LIMIT -1 OFFSET ?)',
        RUNS_KEPT,
      );
      // Records: by age, then the oldest beyond the cap (SPEC E1's three per item stay bounded).
      gone += run('DELETE FROM records WHERE at < ?', daysBefore(now, RECORD_DAYS));
      gone += run(
        `DELETE FROM records WHERE id IN
           (SELECT id FROM records ORDER BY at DESC, id DESC LIMIT -1 OFFSET ?)`,
        RECORDS_KEPT,
      );
      // Trash: by age and count.
      gone += run(
        `DELETE FROM trash WHERE at < ? AND ${NOT_REQUESTED}`,
        daysBefore(now, TRASH_DAYS),
      );
      gone += run(
        `DELETE FROM trash WHERE ${NOT_REQUESTED} AND id IN
           (SELECT id FROM trash ORDER BY id DESC LIMIT -1 OFFSET ?)`,
        TRASH_KEPT,
      );
      return gone;
    })
    .immediate();
}
