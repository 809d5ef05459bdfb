/**
 * The SQLite store's part of the service's Status reads (store/statusStore.ts, issue 18): what
 * src/service/statusViews.ts read from the file directly before the service could run on
 * PostgreSQL too. Rows are read through the codec (store/sqlRows.ts), so a damaged row fails as the
 * engine's reads fail.
 */
import type { Instant } from '../../core/model';
import type { OutboxRow, QuarantineRow, RunRow, TrashRow } from '../rows';
import { askedRestore, restoreAsked, retryPending } from '../statusStore';
import {
  dataOf,
  intentFromRow,
  pendingFromRow,
  quarantineFromRow,
  runFromRow,
  trashFromRow,
} from '../sqlRows';
import type { Sql } from './connection';

export function recentRuns(sql: Sql, limit: number): RunRow[] {
  const rows = sql
    .q('SELECT id, data FROM runs ORDER BY started_at DESC, id DESC LIMIT ?')
    .all(limit);
  return rows.map(runFromRow);
}

export function recentTrash(sql: Sql, limit: number): TrashRow[] {
  return sql
    .q('SELECT id, data FROM trash ORDER BY at DESC, id DESC LIMIT ?')
    .all(limit)
    .map(trashFromRow);
}

export function setAsideRows(sql: Sql): QuarantineRow[] {
  return sql.q('SELECT * FROM quarantine WHERE quarantined = 1').all().map(quarantineFromRow);
}

export function unresolvedKeys(sql: Sql): Set<string> {
  const keys = new Set(setAsideRows(sql).map((row) => row.itemKey));
  for (const raw of sql.q('SELECT * FROM pending').all()) keys.add(pendingFromRow(raw).itemKey);
  return keys;
}

export function intents(sql: Sql, limit: number): OutboxRow[] {
  return sql
    .q('SELECT * FROM outbox ORDER BY created_at, key LIMIT ?')
    .all(limit)
    .map(intentFromRow);
}

/** SPEC E4 "retry" (store/actions.ts retryItem): out of the quarantine, read again by id. */
export function retryItem(sql: Sql, itemKey: string): void {
  const { kind, row } = retryPending(itemKey);
  sql.tx(() => {
    sql.q('DELETE FROM quarantine WHERE item_key = ?').run(itemKey);
    sql
      .q('INSERT OR IGNORE INTO pending (kind, item_key, outlook_id, crm_id) VALUES (?, ?, ?, ?)')
      .run(kind, itemKey, row.outlookId ?? null, row.crmId ?? null);
  });
}

/** SPEC D4 "undone" (store/actions.ts requestRestore): false when gone, done or asked already. */
export function requestRestore(sql: Sql, trashId: number, at: Instant): boolean {
  return sql.tx(() => {
    const raw = sql.q('SELECT id, data FROM trash WHERE id = ?').get(trashId);
    if (raw === undefined) return false;
    const row = trashFromRow(raw);
    if (restoreAsked(row)) return false;
    const restore = askedRestore(at);
    sql
      .q('UPDATE trash SET restore_state = ?, data = ? WHERE id = ?')
      .run(restore.state, dataOf({ ...row, restore, restoreState: restore.state }), trashId);
    return true;
  });
}
