/**
 * The Status view's data (SPEC D4, E2, E4) read from a mailbox's SQLite store on the service: the
 * same shapes and the same rules as the pane's (src/taskpane/status/createStatusService.ts — quiet
 * runs left out, the newest kept; newest first; subjects from the links, else the outbox), and the
 * person's two actions on them, as changes the next run carries out (store/actions.ts in SQL).
 * Rows are read through the store's codec (sqlite/codec.ts), so a damaged row fails as the
 * engine's reads fail.
 */
import type { Database } from 'better-sqlite3';
import type { BrakeConfirmation } from '../sync/core/plan/brake';
import type { Instant } from '../sync/core/model';
import type { RunRow } from '../sync/store/rows';
import {
  dataOf,
  intentFromRow,
  pendingFromRow,
  quarantineFromRow,
  runFromRow,
  trashFromRow,
} from '../sync/store/sqlite/codec';
import type { SqliteSyncStore } from '../sync/store/sqlite/sqliteSyncStore';
import type { RunView, SetAsideView, TrashView } from './control';
import { runViewOf } from '../shared/runView';

/** As the pane: how many trash rows are listed, and runs read per listed one. */
export const RECENT_TRASH = 50;
const QUIET_PER_LISTED = 10;

function worthListing(run: RunRow, index: number): boolean {
  const wrote = Object.entries(run.counts).some(([op, n]) => op !== 'rebase' && (n ?? 0) > 0);
  return index === 0 || run.state !== 'done' || wrote || run.failures.length > 0;
}

async function subjects(
  store: SqliteSyncStore,
  keys: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of keys) {
    const id = key.slice(2);
    const link = key.startsWith('o:')
      ? await store.linkByOutlookId('calendar', id)
      : key.startsWith('c:')
        ? await store.linkByCrmId('calendar', id)
        : undefined;
    if (link) out.set(key, key.startsWith('o:') ? link.outlookBase.subject : link.crmBase.subject);
  }
  if (out.size < keys.size) {
    // Not linked yet: a create waiting in the outbox still has its item.
    for (const raw of store.connection().prepare('SELECT * FROM outbox').all()) {
      const op = intentFromRow(raw).operation;
      if (op.op === 'createInCrm') out.set(`o:${op.outlook.id}`, op.outlook.item.subject);
      if (op.op === 'createInOutlook') out.set(`c:${op.crm.id}`, op.item.subject);
    }
  }
  return out;
}

function unresolvedKeys(db: Database): Set<string> {
  const keys = new Set<string>();
  for (const raw of db.prepare('SELECT * FROM quarantine WHERE quarantined = 1').all()) {
    keys.add(quarantineFromRow(raw).itemKey);
  }
  for (const raw of db.prepare('SELECT * FROM pending').all())
    keys.add(pendingFromRow(raw).itemKey);
  return keys;
}

/** SPEC E2: the newest `limit` runs worth listing, newest first. */
export async function runViews(store: SqliteSyncStore, limit: number): Promise<RunView[]> {
  const db = store.connection();
  const recent = db
    .prepare('SELECT id, data FROM runs ORDER BY started_at DESC, id DESC LIMIT ?')
    .all(limit * QUIET_PER_LISTED)
    .map(runFromRow);
  const runs = recent.filter(worthListing).slice(0, limit);
  const keys = new Set<string>();
  runs.forEach((run) => run.failures.forEach((f) => f.itemKey !== '*' && keys.add(f.itemKey)));
  const names = await subjects(store, keys);
  const unresolved = unresolvedKeys(db);
  return runs.map((run) =>
    runViewOf(
      run,
      (key) => names.get(key) ?? null,
      (key) => unresolved.has(key),
    ),
  );
}

/** SPEC D4: what sync overwrote or deleted, newest first. */
export async function trashViews(store: SqliteSyncStore): Promise<TrashView[]> {
  const rows = store
    .connection()
    .prepare('SELECT id, data FROM trash ORDER BY at DESC, id DESC LIMIT ?')
    .all(RECENT_TRASH)
    .map(trashFromRow);
  const names = await subjects(store, new Set(rows.map((row) => `o:${row.outlookId}`)));
  return rows.map((row) => ({
    id: row.id ?? 0,
    at: row.at,
    subject: row.deleted?.subject ?? names.get(`o:${row.outlookId}`) ?? null,
    kind: row.deleted ? 'deleted' : 'overwritten',
    lost: row.lost,
    restore: row.restore ?? null,
  }));
}

/** SPEC E4: the items set aside, newest first. */
export async function setAsideViews(store: SqliteSyncStore): Promise<SetAsideView[]> {
  const rows = store
    .connection()
    .prepare('SELECT * FROM quarantine WHERE quarantined = 1')
    .all()
    .map(quarantineFromRow);
  const names = await subjects(store, new Set(rows.map((row) => row.itemKey)));
  return rows
    .map((row) => ({
      itemKey: row.itemKey,
      subject: names.get(row.itemKey) ?? null,
      failures: row.failures,
      lastCode: row.lastCode,
      since: row.since,
      unlinked: row.unlinkedAt !== undefined,
    }))
    .sort((a, b) => (a.since < b.since ? 1 : -1));
}

/**
 * SPEC E4 "retry" (store/actions.ts retryItem): the item leaves the quarantine and the next run
 * reads it again by id — its change is behind the cursors by now.
 */
export function retryItem(store: SqliteSyncStore, itemKey: string): void {
  const db = store.connection();
  const kind = itemKey.startsWith('k:') ? 'contacts' : 'calendar';
  const bare = kind === 'contacts' ? itemKey.slice(2) : itemKey;
  const id = bare.slice(2);
  const crm = bare.startsWith('c:');
  db.transaction(() => {
    db.prepare('DELETE FROM quarantine WHERE item_key = ?').run(itemKey);
    db.prepare(
      `INSERT OR IGNORE INTO pending (kind, item_key, outlook_id, crm_id) VALUES (?, ?, ?, ?)`,
    ).run(kind, itemKey, crm ? null : id, crm ? id : null);
  }).immediate();
}

/**
 * SPEC D4 "undone" (store/actions.ts requestRestore): asks the next run to write the trashed value
 * back. False when the row is gone, already restored or already asked for.
 */
export function requestRestore(store: SqliteSyncStore, trashId: number, at: Instant): boolean {
  const db = store.connection();
  return db
    .transaction(() => {
      const raw = db.prepare('SELECT id, data FROM trash WHERE id = ?').get(trashId);
      if (raw === undefined) return false;
      const row = trashFromRow(raw);
      if (row.restore?.state === 'done' || row.restore?.state === 'requested') return false;
      const restore = { state: 'requested', requestedAt: at } as const;
      db.prepare('UPDATE trash SET restore_state = ?, data = ? WHERE id = ?').run(
        restore.state,
        dataOf({ ...row, restore, restoreState: restore.state }),
        trashId,
      );
      return true;
    })
    .immediate();
}

/** Whether two brake confirmations confirm the same thing (order aside). */
export function sameConfirmation(
  a: readonly BrakeConfirmation[],
  b: readonly BrakeConfirmation[],
): boolean {
  const key = (c: BrakeConfirmation) =>
    JSON.stringify([c.items, [...c.ids].sort(), c.sideEmpty ?? null]);
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}
