/**
 * The PostgreSQL store's cursors, runs, trash and occurrences (issue 18, item 1): what a run reads
 * to start where the last one ended, what it did, and what its writes overwrote or deleted
 * (SPEC D4). The rules (idle runs, the brake's window, the trash merge) are the shared ones of
 * store/retention.ts and store/trashRows.ts.
 */
import type { Instant } from '../../core/model';
import { destructiveTotal, isIdleRun, RUNS_KEPT } from '../retention';
import type { CursorRow, RunRow, TrashRestore, TrashRow } from '../rows';
import * as codec from '../sqlRows';
import { mergeTrash, storedTrash } from '../trashRows';
import type { PgSql } from './sql';

/** How many of a pair's newest trash rows a new one is compared with (as the other stores). */
const TRASH_LOOKBACK = 16;

// ─── Cursors ───────────────────────────────────────────────────────────────────────────────────

export async function readCursor(sql: PgSql, name: CursorRow['name']) {
  const row = await sql.one(
    'SELECT * FROM sync_store.cursors WHERE mailbox = $1 AND name = $2',
    name,
  );
  return row === undefined ? undefined : codec.cursorFromRow(row);
}

export async function writeCursor(sql: PgSql, row: CursorRow): Promise<void> {
  await sql.run(
    `INSERT INTO sync_store.cursors (mailbox, name, value, window_start, window_end, recheck)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (mailbox, name) DO UPDATE
     SET value = excluded.value, window_start = excluded.window_start,
       window_end = excluded.window_end, recheck = excluded.recheck`,
    row.name,
    row.value,
    row.window?.start ?? null,
    row.window?.end ?? null,
    codec.recheckColumn(row),
  );
}

export async function deleteCursor(sql: PgSql, name: CursorRow['name']): Promise<void> {
  await sql.run('DELETE FROM sync_store.cursors WHERE mailbox = $1 AND name = $2', name);
}

// ─── Runs ──────────────────────────────────────────────────────────────────────────────────────

export async function insertRun(sql: PgSql, row: RunRow): Promise<number> {
  const inserted = await sql.one(
    `INSERT INTO sync_store.runs (mailbox, started_at, idle, data) VALUES ($1, $2, $3, $4)
     RETURNING id, data`,
    row.startedAt,
    isIdleRun(row),
    codec.dataOf(row),
  );
  return codec.runFromRow(inserted).id ?? 0;
}

/** The run as it ended, under the id `insertRun` gave (a row without one is a new run). */
export async function updateRun(sql: PgSql, row: RunRow): Promise<void> {
  if (row.id === undefined) {
    await insertRun(sql, row);
    return;
  }
  await sql.run(
    `INSERT INTO sync_store.runs (mailbox, id, started_at, idle, data) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (mailbox, id) DO UPDATE
     SET started_at = excluded.started_at, idle = excluded.idle, data = excluded.data`,
    row.id,
    row.startedAt,
    isIdleRun(row),
    codec.dataOf(row),
  );
}

/** The runs started at or after `since` (at most RUNS_KEPT: retention keeps no more). */
export async function pgDestructiveSince(sql: PgSql, since: Instant): Promise<number> {
  const rows = await sql.all(
    `SELECT id, data FROM sync_store.runs WHERE mailbox = $1 AND started_at >= $2
     ORDER BY started_at, id LIMIT $3`,
    since,
    RUNS_KEPT,
  );
  return destructiveTotal(rows.map(codec.runFromRow));
}

/** The newest rows of `table` by `time`, then id, newest first: one index range. */
async function newest(sql: PgSql, table: 'runs' | 'trash', time: 'started_at' | 'at', n: number) {
  const order = `ORDER BY ${time} DESC, id DESC LIMIT $2`;
  return sql.all(`SELECT id, data FROM sync_store.${table} WHERE mailbox = $1 ${order}`, n);
}

/** The newest runs, newest first (the Status view's history). */
export async function recentRuns(sql: PgSql, limit: number): Promise<RunRow[]> {
  return (await newest(sql, 'runs', 'started_at', limit)).map(codec.runFromRow);
}

// ─── Trash ─────────────────────────────────────────────────────────────────────────────────────

/** Issue 14, item 4: one row per operation, merged with the pair's newest rows (`mergeTrash`). */
export function insertTrash(sql: PgSql, row: TrashRow): Promise<void> {
  return sql.tx(async (tx) => {
    const recent = await tx.all(
      `SELECT id, data FROM sync_store.trash WHERE mailbox = $1 AND outlook_id = $2
       AND crm_id = $3 ORDER BY id DESC LIMIT $4`,
      row.outlookId,
      row.crmId,
      TRASH_LOOKBACK,
    );
    const merge = mergeTrash(recent.map(codec.trashFromRow), row);
    if (!merge) return;
    if (merge.drop.length > 0) {
      await tx.run(
        'DELETE FROM sync_store.trash WHERE mailbox = $1 AND id = ANY($2::bigint[])',
        merge.drop,
      );
    }
    const stored = storedTrash(row);
    const values = [
      row.at,
      row.outlookId,
      row.crmId,
      stored.restoreState ?? null,
      codec.dataOf(stored),
    ];
    if (merge.keep === undefined) {
      await tx.run(
        `INSERT INTO sync_store.trash (mailbox, at, outlook_id, crm_id, restore_state, data)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        ...values,
      );
      return;
    }
    await tx.run(
      `UPDATE sync_store.trash SET at = $2, outlook_id = $3, crm_id = $4, restore_state = $5,
         data = $6 WHERE mailbox = $1 AND id = $7`,
      ...values,
      merge.keep,
    );
  });
}

/** SPEC D4: the rows the person asked back, oldest first (an index range). */
export async function restoresAsked(sql: PgSql): Promise<TrashRow[]> {
  const rows = await sql.all(
    `SELECT id, data FROM sync_store.trash WHERE mailbox = $1 AND restore_state = 'requested'
     ORDER BY id`,
  );
  return rows.map(codec.trashFromRow);
}

/** Sets a trash row's restore; `unless` answers false for a row that must stay as it is. */
export function updateRestore(
  sql: PgSql,
  trashId: number,
  restore: TrashRestore,
  unless: (row: TrashRow) => boolean = () => false,
): Promise<boolean> {
  return sql.tx(async (tx) => {
    const raw = await tx.one(
      'SELECT id, data FROM sync_store.trash WHERE mailbox = $1 AND id = $2 FOR UPDATE',
      trashId,
    );
    if (raw === undefined) return false;
    const before = codec.trashFromRow(raw);
    if (unless(before)) return false;
    const next: TrashRow = { ...before, restore, restoreState: restore.state };
    await tx.run(
      'UPDATE sync_store.trash SET restore_state = $2, data = $3 WHERE mailbox = $1 AND id = $4',
      restore.state,
      codec.dataOf(next),
      trashId,
    );
    return true;
  });
}

/** The newest trash rows, newest first (the Status view's list). */
export async function recentTrash(sql: PgSql, limit: number): Promise<TrashRow[]> {
  return (await newest(sql, 'trash', 'at', limit)).map(codec.trashFromRow);
}

// ─── Occurrences ───────────────────────────────────────────────────────────────────────────────

export async function putOccurrences(
  sql: PgSql,
  rows: readonly { readonly id: string; readonly seriesId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  // One statement for the batch: two parallel arrays, the last of a repeated id winning.
  const last = new Map(rows.map((row) => [row.id, row.seriesId] as const));
  await sql.run(
    `INSERT INTO sync_store.occurrences (mailbox, id, series_id)
     SELECT $1, id, series_id FROM unnest($2::text[], $3::text[]) AS o(id, series_id)
     ON CONFLICT (mailbox, id) DO UPDATE SET series_id = excluded.series_id`,
    [...last.keys()],
    [...last.values()],
  );
}

export async function removedSeries(sql: PgSql, removedIds: readonly string[]) {
  if (removedIds.length === 0) return [];
  const rows = await sql.all(
    `DELETE FROM sync_store.occurrences WHERE mailbox = $1 AND id = ANY($2::text[])
     RETURNING series_id`,
    [...removedIds],
  );
  const series = rows.map((row) => codec.rowOf(codec.SeriesColumns, row, 'occurrences').series_id);
  return [...new Set(series)];
}
