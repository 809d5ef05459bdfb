/**
 * Issue 15, item 3: the Dexie schema's version 5 upgrade of link rows (store/schema.ts,
 * store/linkRows.ts). A database left at version 4 by an earlier build — with a row of the
 * one-base shape, a row whose snapshots are missing and a row of today's shape — opens at
 * version 5: today's rows carry their version, the others become pairs to repair, and none of
 * them holds its CRM id in the unique index any more.
 */
import Dexie from 'dexie';
import { DexieSyncStore } from '../../../src/sync/store/dexieSyncStore';
import {
  openSyncDb,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  SCHEMA_V4,
} from '../../../src/sync/store/schema';
import { item } from '../../support/planFixtures';

const MAILBOX = 'upgrade@contoso.example';

async function leaveAtVersion4(rows: {
  links: Record<string, unknown>[];
  contactLinks: Record<string, unknown>[];
}): Promise<void> {
  const old = new Dexie(`crm-sync:${MAILBOX}`);
  old.version(1).stores(SCHEMA_V1);
  old.version(2).stores(SCHEMA_V2);
  old.version(3).stores(SCHEMA_V3);
  old.version(4).stores(SCHEMA_V4);
  await old.open();
  await old.table('links').bulkPut(rows.links);
  await old.table('contactLinks').bulkPut(rows.contactLinks);
  old.close();
}

it('issue 15: version 5 versions today’s link rows and turns older or broken ones into pairs to repair', async () => {
  const base = item({ subject: 'Planning' });
  const today = {
    outlookId: 'ev-1',
    crmId: 'act-1',
    outlookBase: base,
    crmBase: base,
    outlookEtag: 'o1',
    crmEtag: 'c1',
    crmTypeId: 'typ_meeting',
    isOwner: true,
  };
  await leaveAtVersion4({
    links: [
      today,
      {
        outlookId: 'ev-old',
        crmId: 'act-old',
        base,
        outlookHash: '0123456789abcd',
        crmHash: '0123456789abcd',
        outlookEtag: 'o1',
        crmEtag: 'c1',
        crmTypeId: 'typ_meeting',
        isOwner: true,
      },
      { outlookId: 'ev-bare', crmId: 'act-bare', outlookBase: { subject: 'Half' } },
    ],
    contactLinks: [{ outlookId: 'k-1', crmId: 'con-1' }],
  });

  const db = openSyncDb(MAILBOX);
  const store = new DexieSyncStore(db);
  try {
    expect(db.verno).toBe(5);
    expect(await db.links.get('ev-1')).toEqual({ ...today, v: 2 });
    expect(await store.links('calendar')).toEqual([today]);
    // The old row: its ids and its one base kept, its hashes gone, its CRM id out of the index.
    expect(await db.links.get('ev-old')).toEqual({
      v: 2,
      outlookId: 'ev-old',
      repair: { crmId: 'act-old', base, from: 'olderShape' },
    });
    expect(await db.links.where('crmId').anyOf(['act-old', 'act-bare']).count()).toBe(0);
    const repairs = await store.linksToRepair('calendar');
    expect([...repairs].sort((a, b) => a.outlookId.localeCompare(b.outlookId))).toEqual([
      { outlookId: 'ev-bare', crmId: 'act-bare' },
      { outlookId: 'ev-old', crmId: 'act-old', base },
    ]);
    expect(await store.linksToRepair('contacts')).toEqual([{ outlookId: 'k-1', crmId: 'con-1' }]);
  } finally {
    db.close();
    await db.delete();
  }
});
