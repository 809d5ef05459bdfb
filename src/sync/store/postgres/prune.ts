/**
 * Issue 14, item 5 on PostgreSQL: what store/retention.ts no longer keeps — runs, records and
 * trash rows of one mailbox — goes in one transaction, the same steps in the same order as the
 * Dexie and SQLite stores, so all three keep the same rows. Each step finds its cut with one index
 * range read (the row at an offset, newest first) and deletes the range below it: nothing reads a
 * whole table.
 */
import type { Instant } from '../../core/model';
import * as retention from '../retention';
import type { PgSql } from './sql';

/** A trash row the person asked back stays until its run wrote it. */
const NOT_REQUESTED = "(restore_state IS NULL OR restore_state <> 'requested')";

/** The id of the newest `$2`-th row of a table of this mailbox, newest first: the cut. */
const cutById = (table: string) =>
  `(SELECT id FROM sync_store.${table} WHERE mailbox = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`;

/** Removes what retention no longer keeps; answers how many rows went. */
export function prunePostgres(sql: PgSql, now: Instant): Promise<number> {
  return sql.tx(async (tx) => {
    const steps: [string, string | number][] = [
      // Runs: idle ones past the latest few; then by age; then the oldest beyond the cap.
      [
        `DELETE FROM sync_store.runs WHERE mailbox = $1 AND idle AND id <= ${cutById('runs')}`,
        retention.IDLE_RUNS_KEPT,
      ],
      [
        'DELETE FROM sync_store.runs WHERE mailbox = $1 AND started_at < $2',
        retention.daysBefore(now, retention.RUN_DAYS),
      ],
      [
        `DELETE FROM sync_store.runs WHERE mailbox = $1 AND id <= ${cutById('runs')}`,
        retention.RUNS_KEPT,
      ],
      // Records: by age, then the oldest beyond the cap (SPEC E1's three per item stay bounded).
      [
        'DELETE FROM sync_store.records WHERE mailbox = $1 AND at < $2',
        retention.daysBefore(now, retention.RECORD_DAYS),
      ],
      [
        `DELETE FROM sync_store.records WHERE mailbox = $1 AND (at, id) <=
           (SELECT at, id FROM sync_store.records WHERE mailbox = $1
            ORDER BY at DESC, id DESC OFFSET $2 LIMIT 1)`,
        retention.RECORDS_KEPT,
      ],
      // Trash: by age and count.
      [
        `DELETE FROM sync_store.trash WHERE mailbox = $1 AND at < $2 AND ${NOT_REQUESTED}`,
        retention.daysBefore(now, retention.TRASH_DAYS),
      ],
      [
        `DELETE FROM sync_store.trash WHERE mailbox = $1 AND ${NOT_REQUESTED}
           AND id <= ${cutById('trash')}`,
        retention.TRASH_KEPT,
      ],
    ];
    let gone = 0;
    for (const [statement, value] of steps) gone += await tx.run(statement, value);
    return gone;
  });
}
