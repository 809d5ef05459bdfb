/**
 * The pane tests' sync store: the mailbox's real (fake-indexeddb) database, emptied before each
 * test, and a link row as the engine would have left it.
 */
import type { CalendarItem } from '../../../src/sync/core/model';
import type { Link } from '../../../src/sync/core/plan/types';
import { openSyncDb, type SyncDb } from '../../../src/sync/store/schema';

export const MAILBOX = 'anna@contoso.example';

/** Registers the hooks; the returned function gives the current test's open, empty database. */
export function emptySyncDbEachTest(): () => SyncDb {
  let db: SyncDb | undefined;
  beforeEach(async () => {
    db = openSyncDb(MAILBOX);
    await db.open();
    await Promise.all(db.tables.map((table) => table.clear()));
  });
  afterEach(() => db?.close());
  return () => {
    if (!db) throw new Error('the sync store is open only inside a test');
    return db;
  };
}

/** A link whose both bases are `base`. */
export function storedLink(
  outlookId: string,
  crmId: string,
  base: CalendarItem,
  isOwner = true,
): Link {
  return {
    outlookId,
    crmId,
    outlookBase: base,
    crmBase: base,
    outlookEtag: 'e1',
    crmEtag: 'c1',
    crmTypeId: 't-meeting',
    isOwner,
  };
}
