/**
 * The SQLite store's outcomes of items (issue 17, item 5): each item's history (SPEC E1), its
 * failures and quarantine (SPEC E4), and the pending rows of the items whose last write failed.
 */
import type { Instant } from '../../core/model';
import {
  failedAgain,
  RECORDS_PER_ITEM,
  repeatsSkip,
  setAsideRow,
  type SyncEntry,
} from '../records';
import type { PendingRow, QuarantineRow } from '../rows';
import type { LinkKind, OutcomeEntry, SkipEntry } from '../syncStore';
import { pendingFromRow, quarantineFromRow, quarantineValues, recordFromRow } from '../sqlRows';
import type { Sql } from './connection';

export function recordOutcome(sql: Sql, entry: OutcomeEntry): boolean {
  return sql.tx(() => {
    const { kind, itemKey, at, outcome } = entry;
    if (outcome.ok) {
      if (outcome.recorded) recordSync(sql, { itemKey, at, op: entry.recordAs, outcome: 'ok' });
      sql.q('DELETE FROM quarantine WHERE item_key = ?').run(itemKey);
      sql.q('DELETE FROM pending WHERE kind = ? AND item_key = ?').run(kind, itemKey);
      return false;
    }
    putPending(sql, kind, outcome.pending);
    const code = outcome.code;
    recordSync(sql, { itemKey, at, op: entry.recordAs, code, outcome: 'failed' });
    return outcome.counts ? countFailure(sql, itemKey, code, at) : false;
  });
}

function putPending(sql: Sql, kind: LinkKind, row: PendingRow): void {
  sql
    .q('INSERT OR REPLACE INTO pending (kind, item_key, outlook_id, crm_id) VALUES (?, ?, ?, ?)')
    .run(kind, row.itemKey, row.outlookId ?? null, row.crmId ?? null);
}

/** SPEC E1: the item's history, its last RECORDS_PER_ITEM syncs kept. */
function recordSync(sql: Sql, entry: SyncEntry): void {
  sql
    .q('INSERT INTO records (item_key, at, op, outcome, code, detail) VALUES (?, ?, ?, ?, ?, ?)')
    .run(
      entry.itemKey,
      entry.at,
      entry.op,
      entry.outcome,
      entry.code ?? null,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    );
  sql
    .q(
      `DELETE FROM records WHERE item_key = ? AND id NOT IN
         (SELECT id FROM records WHERE item_key = ? ORDER BY at DESC, id DESC LIMIT ?)`,
    )
    .run(entry.itemKey, entry.itemKey, RECORDS_PER_ITEM);
}

/** SPEC E4: one more failure (records.ts's `failedAgain`); whether the item is now set aside. */
function countFailure(sql: Sql, itemKey: string, code: string, at: Instant): boolean {
  const row = sql.q('SELECT * FROM quarantine WHERE item_key = ?').get(itemKey);
  const next = failedAgain(
    row === undefined ? undefined : quarantineFromRow(row),
    itemKey,
    code,
    at,
  );
  putQuarantine(sql, next);
  return next.quarantined;
}

function putQuarantine(sql: Sql, row: QuarantineRow): void {
  sql
    .q(
      `INSERT OR REPLACE INTO quarantine (item_key, failures, last_code, since, quarantined,
         unlinked_at) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(...quarantineValues(row));
}

export function noteFailure(sql: Sql, itemKey: string, code: string, at: Instant): boolean {
  return sql.tx(() => countFailure(sql, itemKey, code, at));
}

export function recordSkipped(sql: Sql, entry: SkipEntry): void {
  sql.tx(() => {
    const row = sql
      .q('SELECT * FROM records WHERE item_key = ? ORDER BY at DESC, id DESC LIMIT 1')
      .get(entry.itemKey);
    const last = row === undefined ? undefined : recordFromRow(row);
    if (repeatsSkip(last, entry.code)) return;
    recordSync(sql, { ...entry, op: 'skip', outcome: 'skipped' });
  });
}

export function quarantinedKeys(sql: Sql): Set<string> {
  const rows = sql.q('SELECT * FROM quarantine WHERE quarantined = 1').all();
  return new Set(rows.map((row) => quarantineFromRow(row).itemKey));
}

export function setAside(sql: Sql, itemKey: string, code: string, at: Instant): void {
  putQuarantine(sql, setAsideRow(itemKey, code, at));
}

export function pending(sql: Sql, kind: LinkKind): PendingRow[] {
  const rows = sql.q('SELECT * FROM pending WHERE kind = ? ORDER BY item_key').all(kind);
  return rows.map(pendingFromRow);
}
