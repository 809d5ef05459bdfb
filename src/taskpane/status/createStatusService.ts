/**
 * The real StatusService: Dexie live queries over the store port's reads and the sync tables, and
 * the store's actions (sync/store/actions.ts).
 */
import { liveQuery } from 'dexie';
import type { Instant } from '../../sync/core/model';
import { requestRestore, retryItem, unlinkItem } from '../../sync/store/actions';
import { DexieSyncStore } from '../../sync/store/dexieSyncStore';
import { openSyncDb, type RunRow, type SyncDb } from '../../sync/store/schema';
import type { SyncStore } from '../../sync/store/syncStore';
import { once, perMailbox } from '../onDemand';
import type { PaneRoot } from '../paneRoot';
import type { MailboxStatus, StatusOverview, StatusService } from './statusService';
import { statusWhenLoaded } from './statusServiceOnDemand';
import { runViewOf } from '../../shared/runView';

/** How many runs and trash rows the view lists (newest first). */
export const RECENT_RUNS = 20;
export const RECENT_TRASH = 50;
/** How many runs are read per listed one: quiet runs (nothing changed) are left out. */
const QUIET_PER_LISTED = 10;

/**
 * A pane polls every 5 s (SPEC S1), so most runs change nothing: listing them would push every
 * run that did something out of sight. The newest run is always kept (it shows sync is alive).
 */
function worthListing(run: RunRow, index: number): boolean {
  const wrote = Object.entries(run.counts).some(([op, n]) => op !== 'rebase' && (n ?? 0) > 0);
  return index === 0 || run.state !== 'done' || wrote || run.failures.length > 0;
}

/**
 * What the overview reads: the links through the store port, as the engine reads them (a row to
 * repair is no link there, so it has no subject); runs, trash, set-aside rows and the outbox from
 * the tables, which the port lists only as a run needs them. Both are the same Dexie opening, so
 * the live query follows every table read here.
 */
interface StatusSource {
  readonly db: SyncDb;
  readonly store: SyncStore;
}

async function subjects(
  { db, store }: StatusSource,
  keys: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const outlookIds = [...keys].filter((k) => k.startsWith('o:')).map((k) => k.slice(2));
  const crmIds = [...keys].filter((k) => k.startsWith('c:')).map((k) => k.slice(2));
  for (const link of await store.linksByIds('calendar', { outlookIds, crmIds })) {
    const [byOutlook, byCrm] = [`o:${link.outlookId}`, `c:${link.crmId}`];
    if (keys.has(byOutlook)) out.set(byOutlook, link.outlookBase.subject);
    if (keys.has(byCrm)) out.set(byCrm, link.crmBase.subject);
  }
  // Not linked yet: a create waiting in the outbox still has its item.
  if (out.size < keys.size) {
    for (const row of await db.outbox.toArray()) {
      const op = row.operation;
      if (op.op === 'createInCrm') out.set(`o:${op.outlook.id}`, op.outlook.item.subject);
      if (op.op === 'createInOutlook') out.set(`c:${op.crm.id}`, op.item.subject);
    }
  }
  return out;
}

async function readOverview(source: StatusSource): Promise<StatusOverview> {
  const { db, store } = source;
  const [recent, trash, quarantine] = await Promise.all([
    db.runs
      .orderBy('startedAt')
      .reverse()
      .limit(RECENT_RUNS * QUIET_PER_LISTED)
      .toArray(),
    db.trash.orderBy('at').reverse().limit(RECENT_TRASH).toArray(),
    db.quarantine.filter((row) => row.quarantined).toArray(),
  ]);
  const runs = recent.filter(worthListing).slice(0, RECENT_RUNS);
  const keys = new Set<string>();
  runs.forEach((run) => run.failures.forEach((f) => f.itemKey !== '*' && keys.add(f.itemKey)));
  quarantine.forEach((row) => keys.add(row.itemKey));
  trash.forEach((row) => keys.add(`o:${row.outlookId}`));
  const names = await subjects(source, keys);
  const setAside = new Set(quarantine.map((row) => row.itemKey));
  const pending = new Set((await store.pending('calendar')).map((row) => row.itemKey));
  return {
    runs: runs.map((run) =>
      runViewOf(
        run,
        (key) => names.get(key) ?? null,
        (key) => setAside.has(key) || pending.has(key),
      ),
    ),
    trash: trash.map((row) => ({
      id: row.id ?? 0,
      at: row.at,
      subject: row.deleted?.subject ?? names.get(`o:${row.outlookId}`) ?? null,
      kind: row.deleted ? 'deleted' : 'overwritten',
      lost: row.lost,
      restore: row.restore ?? null,
    })),
    setAside: quarantine
      .map((row) => ({
        itemKey: row.itemKey,
        subject: names.get(row.itemKey) ?? null,
        failures: row.failures,
        lastCode: row.lastCode,
        since: row.since,
        unlinked: row.unlinkedAt !== undefined,
      }))
      .sort((a, b) => (a.since < b.since ? 1 : -1)),
  };
}

function isoNow(): Instant {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function mailboxStatus(source: StatusSource, clock: () => Instant = isoNow): MailboxStatus {
  const { db } = source;
  return {
    overview: () => liveQuery(() => readOverview(source)),
    retry: (itemKey) => retryItem(db, itemKey),
    unlink: (itemKey) => unlinkItem(db, itemKey, clock()),
    restore: (trashId) => requestRestore(db, trashId, clock()),
  };
}

/**
 * The mailbox's store through the pane's root: the same opening the sync loop and the item view
 * use (src/taskpane/paneRoot.ts), so the live queries follow the runs.
 */
export function createStatusService(
  options: { root?: PaneRoot; indexedDB?: IDBFactory; clock?: () => Instant } = {},
): StatusService {
  const root: StoreSource = options.root ?? storeOnlyRoot(options.indexedDB);
  return {
    forMailbox: perMailbox((key) =>
      statusWhenLoaded(once(async () => mailboxStatus(await root.mailbox(key), options.clock))),
    ),
  };
}

/** What the Status view needs of a root: the mailbox's store opening. */
interface StoreSource {
  mailbox(address: string): Promise<StatusSource>;
}

/** Without a pane root (tests of the view alone): the store openings, one per mailbox. */
function storeOnlyRoot(indexedDB?: IDBFactory): StoreSource {
  const opened = perMailbox((key): StatusSource => {
    const db = openSyncDb(key, indexedDB);
    return { db, store: new DexieSyncStore(db) };
  });
  return { mailbox: async (address) => opened(address) };
}
