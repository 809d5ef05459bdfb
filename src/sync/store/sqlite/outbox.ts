/**
 * The SQLite store's outbox (issue 17, item 5): intents stored before anything is sent, and the
 * commits that clear them together with the link they made — both or neither.
 */
import type { OutboxRow } from '../rows';
import type { LinkKind, LinkOf } from '../syncStore';
import { CountColumns, intentFromRow, rowOf } from '../sqlRows';
import type { Sql } from './connection';
import { asLink, linkRowWhere, putLink } from './links';

export function addIntent(sql: Sql, row: OutboxRow): void {
  sql
    .q('INSERT OR REPLACE INTO outbox (key, created_at, attempts, operation) VALUES (?, ?, ?, ?)')
    .run(row.key, row.createdAt, row.attempts, JSON.stringify(row.operation));
}

export function dropIntent(sql: Sql, key: string): void {
  sql.q('DELETE FROM outbox WHERE key = ?').run(key);
}

export function commitCreate<K extends LinkKind>(
  sql: Sql,
  kind: K,
  key: string,
  link: LinkOf<K>,
): void {
  sql.tx(() => {
    putLink(sql, kind, link);
    dropIntent(sql, key);
  });
}

export function commitReplayed<K extends LinkKind>(
  sql: Sql,
  kind: K,
  key: string,
  link: LinkOf<K> | undefined,
): void {
  sql.tx(() => {
    // A row to repair is no link: the replayed link takes its place (issue 15, item 3).
    const linked =
      link &&
      (asLink(kind, linkRowWhere(sql, kind, 'outlook_id', link.outlookId)) ??
        linkRowWhere(sql, kind, 'crm_id', link.crmId));
    if (link && !linked) putLink(sql, kind, link);
    dropIntent(sql, key);
  });
}

export function takeIntents(sql: Sql): OutboxRow[] {
  return sql.tx(() => {
    const rows = sql.q('SELECT * FROM outbox ORDER BY created_at, key').all().map(intentFromRow);
    sql.q('UPDATE outbox SET attempts = attempts + 1').run();
    return rows.map((row) => ({ ...row, attempts: row.attempts + 1 }));
  });
}

export function intentCount(sql: Sql): number {
  return rowOf(CountColumns, sql.q('SELECT COUNT(*) AS n FROM outbox').get(), 'count').n;
}
