/**
 * The PostgreSQL store's outcomes of items (issue 18, item 1): each item's history (SPEC E1), its
 * failures and quarantine (SPEC E4), and the pending rows of the items whose last write failed.
 * The rules are store/records.ts's, shared with the Dexie and SQLite stores.
 */
import type { Instant } from '../../core/model';
import * as rules from '../records';
import type { PendingRow, QuarantineRow } from '../rows';
import type { LinkKind, OutcomeEntry, SkipEntry } from '../syncStore';
import * as codec from '../sqlRows';
import type { PgSql } from './sql';

/** An upper bound on the rows of one read of the quarantine or the pending rows. */
export const ITEMS_READ = 10_000;

export function pgRecordOutcome(sql: PgSql, entry: OutcomeEntry): Promise<boolean> {
  const { kind, itemKey, at, outcome, recordAs: op } = entry;
  return sql.tx(async (tx) => {
    if (!outcome.ok) {
      await upsertPending(tx, kind, outcome.pending);
      await addRecord(tx, { itemKey, at, op, code: outcome.code, outcome: 'failed' });
      return outcome.counts ? failureCounted(tx, itemKey, outcome.code, at) : false;
    }
    if (outcome.recorded) await addRecord(tx, { itemKey, at, op, outcome: 'ok' });
    await tx.run('DELETE FROM sync_store.quarantine WHERE mailbox = $1 AND item_key = $2', itemKey);
    await tx.run(
      'DELETE FROM sync_store.pending WHERE mailbox = $1 AND kind = $2 AND item_key = $3',
      kind,
      itemKey,
    );
    return false;
  });
}

async function upsertPending(sql: PgSql, kind: LinkKind, row: PendingRow): Promise<void> {
  await sql.run(
    `INSERT INTO sync_store.pending (mailbox, kind, item_key, outlook_id, crm_id)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (mailbox, kind, item_key) DO UPDATE
     SET outlook_id = excluded.outlook_id, crm_id = excluded.crm_id`,
    kind,
    row.itemKey,
    row.outlookId ?? null,
    row.crmId ?? null,
  );
}

/** SPEC E1: the item's history, its last rules.RECORDS_PER_ITEM syncs kept (an index range). */
async function addRecord(sql: PgSql, entry: rules.SyncEntry): Promise<void> {
  const detail = entry.detail === undefined ? null : JSON.stringify(entry.detail);
  await sql.run(
    `INSERT INTO sync_store.records (mailbox, item_key, at, op, outcome, code, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    entry.itemKey,
    entry.at,
    entry.op,
    entry.outcome,
    entry.code ?? null,
    detail,
  );
  await sql.run(
    `DELETE FROM sync_store.records WHERE mailbox = $1 AND item_key = $2 AND id NOT IN
       (SELECT id FROM sync_store.records WHERE mailbox = $1 AND item_key = $2
        ORDER BY at DESC, id DESC LIMIT $3)`,
    entry.itemKey,
    rules.RECORDS_PER_ITEM,
  );
}

/** SPEC E4: one more failure (records.ts's `rules.failedAgain`); whether the item is now set aside. */
async function failureCounted(
  sql: PgSql,
  itemKey: string,
  code: string,
  at: Instant,
): Promise<boolean> {
  const row = await sql.one(
    'SELECT * FROM sync_store.quarantine WHERE mailbox = $1 AND item_key = $2',
    itemKey,
  );
  const next = rules.failedAgain(
    row === undefined ? undefined : codec.quarantineFromRow(row),
    itemKey,
    code,
    at,
  );
  await upsertQuarantine(sql, next);
  return next.quarantined;
}

async function upsertQuarantine(sql: PgSql, row: QuarantineRow): Promise<void> {
  await sql.run(
    `INSERT INTO sync_store.quarantine (mailbox, item_key, failures, last_code, since,
       quarantined, unlinked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (mailbox, item_key) DO UPDATE SET failures = excluded.failures,
       last_code = excluded.last_code, since = excluded.since,
       quarantined = excluded.quarantined, unlinked_at = excluded.unlinked_at`,
    ...codec.quarantineValues(row),
  );
}

export function pgNoteFailure(sql: PgSql, key: string, code: string, at: Instant) {
  return sql.tx((tx) => failureCounted(tx, key, code, at));
}

export function pgRecordSkipped(sql: PgSql, entry: SkipEntry): Promise<void> {
  return sql.tx(async (tx) => {
    const row = await tx.one(
      `SELECT * FROM sync_store.records WHERE mailbox = $1 AND item_key = $2
       ORDER BY at DESC, id DESC LIMIT 1`,
      entry.itemKey,
    );
    if (rules.repeatsSkip(row === undefined ? undefined : codec.recordFromRow(row), entry.code))
      return;
    await addRecord(tx, { ...entry, op: 'skip', outcome: 'skipped' });
  });
}

/** The items set aside (SPEC E4), at most ITEMS_READ. */
export async function setAsideRows(sql: PgSql): Promise<QuarantineRow[]> {
  const rows = await sql.all(
    `SELECT * FROM sync_store.quarantine WHERE mailbox = $1 AND quarantined = 1
     ORDER BY item_key LIMIT $2`,
    ITEMS_READ,
  );
  return rows.map(codec.quarantineFromRow);
}

export async function pgSetAside(sql: PgSql, itemKey: string, code: string, at: Instant) {
  await upsertQuarantine(sql, rules.setAsideRow(itemKey, code, at));
}

/** The pending rows of `kind`, or of both kinds; at most ITEMS_READ. */
export async function pendingRows(sql: PgSql, kind?: LinkKind): Promise<PendingRow[]> {
  const rows = await sql.all(
    `SELECT * FROM sync_store.pending WHERE mailbox = $1 AND ($2::text IS NULL OR kind = $2)
     ORDER BY item_key LIMIT $3`,
    kind ?? null,
    ITEMS_READ,
  );
  return rows.map(codec.pendingFromRow);
}

/**
 * SPEC E4 "retry" (store/actions.ts retryItem): the item leaves the quarantine and the next run
 * reads it again by id — its change is behind the cursors by now.
 */
export function pgRetryItem(sql: PgSql, itemKey: string, pending: PendingRow, kind: LinkKind) {
  return sql.tx(async (tx) => {
    await tx.run('DELETE FROM sync_store.quarantine WHERE mailbox = $1 AND item_key = $2', itemKey);
    await tx.run(
      `INSERT INTO sync_store.pending (mailbox, kind, item_key, outlook_id, crm_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      kind,
      itemKey,
      pending.outlookId ?? null,
      pending.crmId ?? null,
    );
  });
}
