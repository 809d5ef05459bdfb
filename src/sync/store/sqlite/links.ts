/**
 * The SQLite store's links, per kind (issue 17, item 5). Rows are versioned as the pane's are
 * (store/linkRows.ts, issue 15 item 3): written through `linkRow`, read through `readLinkRow`, so a
 * row that does not read as a link is no link here but a pair to repair.
 */
import { linkRow, type LinkRepair } from '../linkRows';
import type { LinkIds, LinkKind, LinkOf } from '../syncStore';
import { linkOfRow as asLink, repairOfRow } from '../sqlRows';
import type { Sql } from './connection';

export { asLink };

export function links<K extends LinkKind>(sql: Sql, kind: K): LinkOf<K>[] {
  const rows = sql
    .q('SELECT outlook_id, crm_id, data FROM links WHERE kind = ? ORDER BY outlook_id')
    .all(kind);
  return rows.flatMap((row) => asLink(kind, row) ?? []);
}

/**
 * The links holding any of these Outlook or CRM ids, each once. The ids travel as two JSON
 * arrays (json_each), so no count of ids meets SQLite's limit of bound parameters.
 */
export function linksByIds<K extends LinkKind>(sql: Sql, kind: K, ids: LinkIds): LinkOf<K>[] {
  const rows = sql
    .q(
      `SELECT outlook_id, crm_id, data FROM links WHERE kind = ?
       AND (outlook_id IN (SELECT value FROM json_each(?))
         OR crm_id IN (SELECT value FROM json_each(?)))
       ORDER BY outlook_id`,
    )
    .all(kind, JSON.stringify(ids.outlookIds ?? []), JSON.stringify(ids.crmIds ?? []));
  return rows.flatMap((row) => asLink(kind, row) ?? []);
}

/** The stored row (a link or a pair to repair) of `kind` whose `column` is `id`, as read. */
export function linkRowWhere(
  sql: Sql,
  kind: LinkKind,
  column: 'outlook_id' | 'crm_id',
  id: string,
): unknown {
  return sql
    .q(`SELECT outlook_id, crm_id, data FROM links WHERE kind = ? AND ${column} = ?`)
    .get(kind, id);
}

/**
 * Issue 15, item 3: the rows no reader of today can read, as pairs to repair. A row that still
 * holds its CRM id in the unique index is rewritten as a row to repair (crm_id NULL), so a link
 * the stamps make for that CRM id elsewhere is never refused — as the Dexie store does.
 */
export function linksToRepair(sql: Sql, kind: LinkKind): LinkRepair[] {
  return sql.tx(() => {
    const repairs: LinkRepair[] = [];
    const rows = sql.q('SELECT outlook_id, crm_id, data FROM links WHERE kind = ?').all(kind);
    for (const row of rows) {
      const found = repairOfRow(kind, row);
      if (found === null) continue;
      repairs.push(found.repair);
      const fixed = found.rewrite;
      if (fixed === null) continue;
      sql
        .q(
          'UPDATE links SET crm_id = NULL, version = ?, data = ? WHERE kind = ? AND outlook_id = ?',
        )
        .run(fixed.version, fixed.data, kind, fixed.outlookId);
    }
    return repairs;
  });
}

/**
 * Replaces the row of the same Outlook id (a link, or a pair to repair). Another row holding
 * the same CRM id is a constraint error, as Dexie's unique index makes it — never replaced.
 */
export function putLink(sql: Sql, kind: LinkKind, link: LinkOf<LinkKind>): void {
  const row = linkRow(link);
  sql
    .q(
      `INSERT INTO links (kind, outlook_id, crm_id, version, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, outlook_id) DO UPDATE
       SET crm_id = excluded.crm_id, version = excluded.version, data = excluded.data`,
    )
    .run(kind, link.outlookId, link.crmId, row.v, JSON.stringify(row));
}

export function dropLink(sql: Sql, kind: LinkKind, outlookId: string): void {
  sql.q('DELETE FROM links WHERE kind = ? AND outlook_id = ?').run(kind, outlookId);
}
