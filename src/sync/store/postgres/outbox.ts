/**
 * The PostgreSQL store's outbox (issue 18, item 1): intents stored before anything is sent, and a
 * replay's commit. A create's link and the clearing of its intent are one transaction of the
 * store's group commit (postgresSyncStore.ts): both or neither.
 */
import type { OutboxRow } from '../rows';
import type { LinkKind, LinkOf } from '../syncStore';
import { CountColumns, intentFromRow, rowOf } from '../sqlRows';
import { asPgLink, pgLinkRow, upsertLink } from './links';
import type { PgSql } from './sql';

/** An upper bound on the intents one replay takes: the outbox is one run's plan, never more. */
export const INTENTS_READ = 10_000;

export async function putIntent(sql: PgSql, row: OutboxRow): Promise<void> {
  await sql.run(
    `INSERT INTO sync_store.outbox (mailbox, key, created_at, attempts, operation)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (mailbox, key) DO UPDATE
     SET created_at = excluded.created_at, attempts = excluded.attempts,
       operation = excluded.operation`,
    row.key,
    row.createdAt,
    row.attempts,
    JSON.stringify(row.operation),
  );
}

export async function deleteIntent(sql: PgSql, key: string): Promise<void> {
  await sql.run('DELETE FROM sync_store.outbox WHERE mailbox = $1 AND key = $2', key);
}

/** A replayed intent: its link written unless a link of either id exists; the intent cleared. */
export function replayedAndClear<K extends LinkKind>(
  sql: PgSql,
  kind: K,
  key: string,
  link: LinkOf<K> | undefined,
): Promise<void> {
  return sql.tx(async (tx) => {
    if (link) {
      // A row to repair is no link: the replayed link takes its place (issue 15, item 3).
      const byOutlook = asPgLink(kind, await pgLinkRow(tx, kind, 'outlook_id', link.outlookId));
      const byCrm = byOutlook ?? (await pgLinkRow(tx, kind, 'crm_id', link.crmId));
      if (!byCrm) await upsertLink(tx, kind, link);
    }
    await deleteIntent(tx, key);
  });
}

/** The intents, oldest first (code-unit order: the columns' collation is "C"), each attempt counted. */
export function takeAll(sql: PgSql): Promise<OutboxRow[]> {
  return sql.tx(async (tx) => {
    const intents = (await readIntents(tx, INTENTS_READ)).map((row) => ({
      ...row,
      attempts: row.attempts + 1,
    }));
    if (intents.length === 0) return [];
    await tx.run(
      `UPDATE sync_store.outbox SET attempts = attempts + 1
       WHERE mailbox = $1 AND key = ANY($2::text[])`,
      intents.map((row) => row.key),
    );
    return intents;
  });
}

export async function countIntents(sql: PgSql): Promise<number> {
  const row = await sql.one(
    'SELECT COUNT(*)::integer AS n FROM sync_store.outbox WHERE mailbox = $1',
  );
  return rowOf(CountColumns, row, 'count').n;
}

/** The intents as they are, oldest first, at most `limit` (the Status view's subjects). */
export async function readIntents(sql: PgSql, limit: number): Promise<OutboxRow[]> {
  const rows = await sql.all(
    `SELECT * FROM sync_store.outbox WHERE mailbox = $1
     ORDER BY created_at, key LIMIT $2`,
    limit,
  );
  return rows.map(intentFromRow);
}
