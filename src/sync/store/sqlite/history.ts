/**
 * The SQLite store's cursors, runs, trash and occurrences (issue 17, item 5): what a run reads to
 * start where the last one ended, what it did, and what its writes overwrote or deleted (SPEC D4).
 */
import type { Instant } from '../../core/model';
import type { CursorRow, RunRow, TrashRestore, TrashRow } from '../rows';
import { destructiveTotal, isIdleRun } from '../retention';
import { mergeTrash, storedTrash } from '../trashRows';
import {
  cursorFromRow,
  dataOf,
  recheckColumn,
  rowOf,
  runFromRow,
  SeriesColumns,
  trashFromRow,
} from '../sqlRows';
import type { Sql } from './connection';

/** How many of a pair's newest trash rows a new one is compared with (as the Dexie store). */
const TRASH_MERGE_LOOKBACK = 16;

// ─── Cursors ───────────────────────────────────────────────────────────────────────────────────

export function cursor(sql: Sql, name: CursorRow['name']): CursorRow | undefined {
  const row = sql.q('SELECT * FROM cursors WHERE name = ?').get(name);
  return row === undefined ? undefined : cursorFromRow(row);
}

export function putCursor(sql: Sql, row: CursorRow): void {
  sql
    .q(
      'INSERT OR REPLACE INTO cursors (name, value, window_start, window_end, recheck) ' +
        'VALUES (?, ?, ?, ?, ?)',
    )
    .run(
      row.name,
      row.value,
      row.window?.start ?? null,
      row.window?.end ?? null,
      recheckColumn(row),
    );
}

export function dropCursor(sql: Sql, name: CursorRow['name']): void {
  sql.q('DELETE FROM cursors WHERE name = ?').run(name);
}

// ─── Runs ──────────────────────────────────────────────────────────────────────────────────────

export function startRun(sql: Sql, row: RunRow): number {
  const { lastInsertRowid } = sql
    .q('INSERT INTO runs (started_at, idle, data) VALUES (?, ?, ?)')
    .run(row.startedAt, isIdleRun(row) ? 1 : 0, dataOf(row));
  return Number(lastInsertRowid);
}

export function finishRun(sql: Sql, row: RunRow): void {
  sql
    .q(
      `INSERT INTO runs (id, started_at, idle, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE
       SET started_at = excluded.started_at, idle = excluded.idle, data = excluded.data`,
    )
    .run(row.id ?? null, row.startedAt, isIdleRun(row) ? 1 : 0, dataOf(row));
}

export function destructiveSince(sql: Sql, since: Instant): number {
  const runs = sql
    .q('SELECT id, data FROM runs WHERE started_at >= ? ORDER BY started_at, id')
    .all(since);
  return destructiveTotal(runs.map(runFromRow));
}

// ─── Trash ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Issue 14, item 4: one row per operation — merged with the pair's newest rows as
 * store/trashRows.ts's `mergeTrash` says, the same rule as the Dexie store.
 */
export function addTrash(sql: Sql, row: TrashRow): void {
  sql.tx(() => {
    const recent = sql
      .q('SELECT id, data FROM trash WHERE outlook_id = ? AND crm_id = ? ORDER BY id DESC LIMIT ?')
      .all(row.outlookId, row.crmId, TRASH_MERGE_LOOKBACK)
      .map(trashFromRow);
    const merge = mergeTrash(recent, row);
    if (!merge) return;
    for (const id of merge.drop) sql.q('DELETE FROM trash WHERE id = ?').run(id);
    const stored = storedTrash(row);
    sql
      .q(
        `INSERT OR REPLACE INTO trash (id, at, outlook_id, crm_id, restore_state, data)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        merge.keep ?? null,
        row.at,
        row.outlookId,
        row.crmId,
        stored.restoreState ?? null,
        dataOf(stored),
      );
  });
}

export function requestedRestores(sql: Sql): TrashRow[] {
  const rows = sql
    .q("SELECT id, data FROM trash WHERE restore_state = 'requested' ORDER BY id")
    .all();
  return rows.map(trashFromRow);
}

export function setRestore(sql: Sql, trashId: number, restore: TrashRestore): void {
  sql.tx(() => {
    const row = sql.q('SELECT id, data FROM trash WHERE id = ?').get(trashId);
    if (row === undefined) return;
    const next: TrashRow = { ...trashFromRow(row), restore, restoreState: restore.state };
    sql
      .q('UPDATE trash SET restore_state = ?, data = ? WHERE id = ?')
      .run(restore.state, dataOf(next), trashId);
  });
}

// ─── Occurrences ───────────────────────────────────────────────────────────────────────────────

export function noteOccurrences(
  sql: Sql,
  rows: readonly { readonly id: string; readonly seriesId: string }[],
): void {
  if (rows.length === 0) return;
  sql.tx(() => {
    const put = sql.q('INSERT OR REPLACE INTO occurrences (id, series_id) VALUES (?, ?)');
    for (const row of rows) put.run(row.id, row.seriesId);
  });
}

export function takeRemovedSeries(sql: Sql, removedIds: readonly string[]): string[] {
  if (removedIds.length === 0) return [];
  return sql.tx(() => {
    const series = new Set<string>();
    for (const id of removedIds) {
      const row = sql.q('SELECT series_id FROM occurrences WHERE id = ?').get(id);
      if (row !== undefined) series.add(rowOf(SeriesColumns, row, 'occurrences').series_id);
      sql.q('DELETE FROM occurrences WHERE id = ?').run(id);
    }
    return [...series];
  });
}
