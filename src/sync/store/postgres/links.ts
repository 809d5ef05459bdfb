/**
 * The PostgreSQL store's links, per kind (issue 18, item 1). Rows are versioned as the pane's and
 * the SQLite store's (store/linkRows.ts, issue 15 item 3): written through `linkRow`, read through
 * `readLinkRow` (via store/sqlRows.ts, which both SQL stores share), so a row that does not
 * read as a link is no link here but a pair to repair.
 */
import { linkRow, type LinkRepair } from '../linkRows';
import { linkOfRow as asPgLink, repairOfRow } from '../sqlRows';
import type { LinkIds, LinkKind, LinkOf } from '../syncStore';
import type { PgSql } from './sql';

export { asPgLink };

const COLUMNS = 'SELECT outlook_id, crm_id, data FROM sync_store.links WHERE mailbox = $1';

export async function allLinks<K extends LinkKind>(sql: PgSql, kind: K): Promise<LinkOf<K>[]> {
  const rows = await sql.all(`${COLUMNS} AND kind = $2 ORDER BY outlook_id`, kind);
  return rows.flatMap((row) => asPgLink(kind, row) ?? []);
}

/** The links holding any of these Outlook or CRM ids, each once; the ids travel as two arrays. */
export async function linksHolding<K extends LinkKind>(
  sql: PgSql,
  kind: K,
  ids: LinkIds,
): Promise<LinkOf<K>[]> {
  const outlookIds = [...(ids.outlookIds ?? [])];
  const crmIds = [...(ids.crmIds ?? [])];
  if (outlookIds.length === 0 && crmIds.length === 0) return [];
  const rows = await sql.all(
    `${COLUMNS} AND kind = $2 AND (outlook_id = ANY($3::text[]) OR crm_id = ANY($4::text[]))
     ORDER BY outlook_id`,
    kind,
    outlookIds,
    crmIds,
  );
  return rows.flatMap((row) => asPgLink(kind, row) ?? []);
}

/** The stored row (a link or a pair to repair) of `kind` whose `column` is `id`, as read. */
export function pgLinkRow(
  sql: PgSql,
  kind: LinkKind,
  column: 'outlook_id' | 'crm_id',
  id: string,
): Promise<unknown> {
  return sql.one(`${COLUMNS} AND kind = $2 AND ${column} = $3`, kind, id);
}

/**
 * Issue 15, item 3: the rows no reader of today can read, as pairs to repair. A row that still
 * holds its CRM id in the unique index is rewritten as a row to repair (crm_id NULL), so a link
 * the stamps make for that CRM id elsewhere is never refused. It reads the kind's rows as
 * `links` does (a run reads every link anyway).
 */
export async function pgLinksToRepair(sql: PgSql, kind: LinkKind): Promise<LinkRepair[]> {
  return sql.tx(async (tx) => {
    const repairs: LinkRepair[] = [];
    for (const row of await tx.all(`${COLUMNS} AND kind = $2`, kind)) {
      const found = repairOfRow(kind, row);
      if (found === null) continue;
      repairs.push(found.repair);
      if (found.rewrite === null) continue;
      const { version, data, outlookId } = found.rewrite;
      await tx.run(
        `UPDATE sync_store.links SET crm_id = NULL, version = $2, data = $3
         WHERE mailbox = $1 AND kind = $4 AND outlook_id = $5`,
        version,
        data,
        kind,
        outlookId,
      );
    }
    return repairs;
  });
}

/**
 * Replaces the row of the same Outlook id (a link, or a pair to repair). Another row holding the
 * same CRM id is a unique violation (SQLSTATE 23505), as Dexie's unique index makes it.
 */
export async function upsertLink(sql: PgSql, kind: LinkKind, link: LinkOf<LinkKind>) {
  const row = linkRow(link);
  await sql.run(
    `INSERT INTO sync_store.links (mailbox, kind, outlook_id, crm_id, version, data)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (mailbox, kind, outlook_id) DO UPDATE
     SET crm_id = excluded.crm_id, version = excluded.version, data = excluded.data`,
    kind,
    link.outlookId,
    link.crmId,
    row.v,
    JSON.stringify(row),
  );
}

export async function deleteLink(sql: PgSql, kind: LinkKind, outlookId: string): Promise<void> {
  await sql.run(
    'DELETE FROM sync_store.links WHERE mailbox = $1 AND kind = $2 AND outlook_id = $3',
    kind,
    outlookId,
  );
}
