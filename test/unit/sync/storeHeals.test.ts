/**
 * Issue 14, item 5: a store that heals. IndexedDB over fake-indexeddb: a database left at a newer
 * version (a downgrade: VersionError) or that cannot be read rebuilds from nothing, the run says
 * so (errors.storeRebuilt), and the next run relinks from the stamps with no duplicates.
 */
import 'fake-indexeddb/auto';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { isBrokenStore } from '../../../src/sync/store/brokenStore';
import { DexieSyncStore } from '../../../src/sync/store/dexieSyncStore';
import { openSyncDb } from '../../../src/sync/store/schema';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { at, item, NOW, settings } from '../../support/planFixtures';

let counter = 0;

async function syncedPair() {
  const mailbox = `heals-${(counter += 1)}@contoso.example`;
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW));
  const db = openSyncDb(mailbox);
  const deps: EngineDeps = {
    outlook,
    crm: backend.as(settings.crmUserId),
    store: new DexieSyncStore(db),
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client-1',
  };
  for (let i = 0; i < 3; i += 1) {
    outlook.outlookCreate(
      'calendar',
      item({ subject: `Outlook ${i}`, ...at(`2026-11-2${4 + i}T08:00:00Z`) }),
    );
    await deps.crm.create(
      {
        item: item({ subject: `CRM ${i}`, ...at(`2026-11-2${4 + i}T12:00:00Z`) }),
        typeId: 'typ_meeting',
      },
      { idempotencyKey: `seed-${i}` },
    );
  }
  expect(await runSync(deps)).toMatchObject({ state: 'done' });
  const crmItems = () => [...backend.rows.values()].filter((r) => !r.deleted && !r.cancelled);
  return { mailbox, db, deps, outlook, crmItems };
}

async function convergesAfterRebuild(
  s: Awaited<ReturnType<typeof syncedPair>>,
  more: readonly string[] = [],
) {
  const failed = await runSync(s.deps);
  expect(failed).toMatchObject({ state: 'failed', error: { code: 'storeRebuilt' } });
  const next = await runSync(s.deps);
  expect(next).toMatchObject({ state: 'done' });
  // Relinked from the stamps: every item once on each side, every one linked.
  const all = [...more, 'CRM 0', 'CRM 1', 'CRM 2', 'Outlook 0', 'Outlook 1', 'Outlook 2'].sort();
  expect(
    s.outlook
      .all()
      .map((e) => e.item.subject)
      .sort(),
  ).toEqual(all);
  expect(
    s
      .crmItems()
      .map((r) => r.item.subject)
      .sort(),
  ).toEqual(all);
  expect(await s.deps.store.links('calendar')).toHaveLength(all.length);
  expect(await runSync(s.deps)).toMatchObject({ state: 'done' });
  expect(s.crmItems()).toHaveLength(all.length);
}

describe('a store that heals (issue 14, item 5)', () => {
  it('a downgraded store (VersionError) rebuilds and the next run converges with no duplicates', async () => {
    const s = await syncedPair();
    // A newer build left the database at a higher version: this build cannot open it.
    s.db.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(`crm-sync:${s.mailbox}`, 990);
      request.onsuccess = () => (request.result.close(), resolve());
      request.onerror = () => reject(request.error);
    });
    await convergesAfterRebuild(s);
  });

  it('a corrupted store (reads fail with UnknownError) rebuilds and the next run converges', async () => {
    const s = await syncedPair();
    // What IndexedDB raises for a damaged database file, once, on reading the links.
    let damaged = true;
    s.db.links.hook('reading', (row) => {
      if (!damaged) return row;
      damaged = false;
      throw new DOMException('The database file is damaged', 'UnknownError');
    });
    s.outlook.outlookCreate('calendar', item({ subject: 'After', ...at('2026-11-28T08:00:00Z') }));
    await convergesAfterRebuild(s, ['After']);
  });

  it('a full disk (QuotaExceededError) rebuilds and the next run converges', async () => {
    const s = await syncedPair();
    let full = true;
    s.db.links.hook('creating', () => {
      if (!full) return;
      full = false;
      throw new DOMException('The quota was exceeded', 'QuotaExceededError');
    });
    s.outlook.outlookCreate('calendar', item({ subject: 'After', ...at('2026-11-28T08:00:00Z') }));
    await convergesAfterRebuild(s, ['After']);
  });

  it('tells storage failures from item errors', () => {
    const quota = Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    expect(isBrokenStore(quota)).toBe(true);
    expect(
      isBrokenStore(Object.assign(new Error('wrapped'), { name: 'AbortError', inner: quota })),
    ).toBe(true);
    expect(isBrokenStore(new TypeError('x is undefined'))).toBe(false);
  });
});
