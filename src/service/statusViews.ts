/**
 * The Status view's data (SPEC D4, E2, E4) read from a mailbox's store on the service — SQLite or
 * PostgreSQL, through the Status reads both implement (store/statusStore.ts): the same shapes and
 * the same rules as the pane's (src/taskpane/status/createStatusService.ts — quiet runs left out,
 * the newest kept; newest first; subjects from the links, else the outbox), and the person's two
 * actions on them, as changes the next run carries out (store/actions.ts's rules).
 */
import type { BrakeConfirmation } from '../sync/core/plan/brake';
import type { Instant } from '../sync/core/model';
import type { RunRow } from '../sync/store/rows';
import type { ServiceStore } from '../sync/store/statusStore';
import type { RunView, SetAsideView, TrashView } from './control';
import { runViewOf } from '../shared/runView';

/** As the pane: how many trash rows are listed, and runs read per listed one. */
export const RECENT_TRASH = 50;
const QUIET_PER_LISTED = 10;
/** How many outbox rows are read for the subjects of items not linked yet. */
const INTENTS_NAMED = 1_000;

function worthListing(run: RunRow, index: number): boolean {
  const wrote = Object.entries(run.counts).some(([op, n]) => op !== 'rebase' && (n ?? 0) > 0);
  return index === 0 || run.state !== 'done' || wrote || run.failures.length > 0;
}

async function subjects(
  store: ServiceStore,
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
    for (const { operation: op } of await store.intents(INTENTS_NAMED)) {
      if (op.op === 'createInCrm') out.set(`o:${op.outlook.id}`, op.outlook.item.subject);
      if (op.op === 'createInOutlook') out.set(`c:${op.crm.id}`, op.item.subject);
    }
  }
  return out;
}

/** SPEC E2: the newest `limit` runs worth listing, newest first. */
export async function runViews(store: ServiceStore, limit: number): Promise<RunView[]> {
  const recent = await store.recentRuns(limit * QUIET_PER_LISTED);
  const runs = recent.filter(worthListing).slice(0, limit);
  const keys = new Set<string>();
  runs.forEach((run) => run.failures.forEach((f) => f.itemKey !== '*' && keys.add(f.itemKey)));
  const names = await subjects(store, keys);
  const unresolved = await store.unresolvedKeys();
  return runs.map((run) =>
    runViewOf(
      run,
      (key) => names.get(key) ?? null,
      (key) => unresolved.has(key),
    ),
  );
}

/** SPEC D4: what sync overwrote or deleted, newest first. */
export async function trashViews(store: ServiceStore): Promise<TrashView[]> {
  const rows = await store.recentTrash(RECENT_TRASH);
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
export async function setAsideViews(store: ServiceStore): Promise<SetAsideView[]> {
  const rows = await store.setAsideRows();
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
export function retryItem(store: ServiceStore, itemKey: string): Promise<void> {
  return store.retryItem(itemKey);
}

/**
 * SPEC D4 "undone" (store/actions.ts requestRestore): asks the next run to write the trashed value
 * back. False when the row is gone, already restored or already asked for.
 */
export function requestRestore(store: ServiceStore, trashId: number, at: Instant) {
  return store.requestRestore(trashId, at);
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
