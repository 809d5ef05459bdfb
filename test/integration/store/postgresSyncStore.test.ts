/**
 * The PostgreSQL store (issue 18, item 1): the store port's contract
 * (test/contract/syncStore.contract.ts) on a real server — scripts/postgres-for-tests.sh's, one
 * database for this file (test/support/postgres.ts), each case a mailbox of its own in it — then
 * what only PostgreSQL has: many mailboxes in one database, migrations two workers run at once,
 * a database of a newer schema, and two workers writing one mailbox.
 */
import pg from 'pg';
import { isBrokenStore } from '../../../src/sync/store/brokenStore';
import { QUARANTINE_AFTER } from '../../../src/sync/store/records';
import { PostgresStores } from '../../../src/sync/store/postgres/database';
import {
  migratePostgres,
  PG_MIGRATIONS,
  type PgMigration,
} from '../../../src/sync/store/postgres/migrations';
import { PostgresSyncStore } from '../../../src/sync/store/postgres/postgresSyncStore';
import { linkRowVersion } from '../../../src/sync/store/sqlRows';
import {
  contactLink,
  intent,
  link,
  runSyncStoreContract,
  type PutRawLinkRow,
} from '../../contract/syncStore.contract';
import { NOW } from '../../support/planFixtures';
import { createTestDatabase, usePostgresDatabase } from '../../support/postgres';

jest.setTimeout(30_000);

const database = usePostgresDatabase('sync_store');
let stores: PostgresStores;
let cases = 0;

beforeAll(async () => {
  stores = await PostgresStores.open({ url: database().url, maxConnections: 4 });
  database.closeBeforeDrop(() => stores.close());
});

/** A row put into the link table as it is, bypassing the port (an older build's, a damaged one). */
const putRawLinkRow: PutRawLinkRow = async (store, kind, row) => {
  if (!(store instanceof PostgresSyncStore)) throw new Error('Not a PostgreSQL store');
  await stores.pool.query(
    `INSERT INTO sync_store.links (mailbox, kind, outlook_id, crm_id, version, data)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      store.mailbox,
      kind,
      row.outlookId,
      typeof row.crmId === 'string' ? row.crmId : null,
      linkRowVersion(row),
      JSON.stringify(row),
    ],
  );
};

// A mailbox per case: as fresh as a new database, without making one per case.
runSyncStoreContract(
  'PostgreSQL',
  async () => stores.forMailbox(`case-${(cases += 1)}@contoso.example`),
  putRawLinkRow,
);

describe('the PostgreSQL store', () => {
  it('keeps many mailboxes in one database, none seeing another’s rows', async () => {
    const anna = stores.forMailbox('Anna@Contoso.example');
    const ben = stores.forMailbox('ben@contoso.example');
    const lost = { field: 'subject' as const, side: 'outlook' as const, value: 'Old' };
    for (const store of [anna, ben]) {
      await store.commitLink('calendar', link('ev-1', 'act-1')); // the same ids in both
      await store.commitLink('contacts', contactLink('k-1', 'con-1'));
      await store.addIntent(intent('k1', NOW));
      await store.putCursor({ name: 'crmChanges', value: store.mailbox });
      await store.setAside('o:ev-9', 'setAside', NOW);
      await store.addTrash({ at: NOW, outlookId: 'ev-1', crmId: 'act-1', lost });
      await store.noteOccurrences([{ id: 'occ-1', seriesId: `ser-${store.mailbox}` }]);
    }
    expect((await anna.cursor('crmChanges'))?.value).toBe('anna@contoso.example');
    expect((await ben.cursor('crmChanges'))?.value).toBe('ben@contoso.example');
    expect(await anna.takeRemovedSeries(['occ-1'])).toEqual(['ser-anna@contoso.example']);
    expect(await ben.takeRemovedSeries(['occ-1'])).toEqual(['ser-ben@contoso.example']);
    // A trash id is one mailbox's: another's restore of it finds nothing.
    const [annaTrash] = await anna.recentTrash(5);
    expect(await ben.requestRestore(annaTrash!.id!, NOW)).toBe(false);
    expect(await anna.requestRestore(annaTrash!.id!, NOW)).toBe(true);
    expect(await ben.requestedRestores()).toEqual([]);

    await ben.clear();
    expect(await ben.links('calendar')).toEqual([]);
    expect(await ben.intentCount()).toBe(0);
    expect(await anna.links('calendar')).toEqual([link('ev-1', 'act-1')]);
    expect(await anna.intentCount()).toBe(1);
    expect(await anna.quarantinedKeys()).toEqual(new Set(['o:ev-9']));
    await anna.rebuild();
    expect(await anna.links('contacts')).toEqual([]);
    // Ben's store works on, and is still Ben's alone.
    await ben.commitLink('calendar', link('ev-2', 'act-2'));
    expect((await ben.links('calendar')).map((l) => l.outlookId)).toEqual(['ev-2']);
    expect(await anna.links('calendar')).toEqual([]);
  });

  it('refuses a second link of one CRM id (SQLSTATE 23505), as the unique index does in Dexie', async () => {
    const store = stores.forMailbox('unique@contoso.example');
    await store.commitLink('calendar', link('ev-1', 'act-1'));
    await expect(store.commitLink('calendar', link('ev-2', 'act-1'))).rejects.toMatchObject({
      name: 'PostgresStoreError',
      code: '23505',
    });
    // Another mailbox may hold the same CRM id: the index is per mailbox.
    await stores.forMailbox('other@contoso.example').commitLink('calendar', link('ev-2', 'act-1'));
  });

  it('connects with the password given apart from the URL (the sealed secrets)', async () => {
    const url = new URL(database().url);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const sealed = await PostgresStores.open({ url: url.toString(), password, maxConnections: 1 });
    try {
      await sealed
        .forMailbox('sealed@contoso.example')
        .putCursor({ name: 'crmChanges', value: '1' });
      expect((await stores.forMailbox('sealed@contoso.example').cursor('crmChanges'))?.value).toBe(
        '1',
      );
    } finally {
      await sealed.close();
    }
  });

  it('serialises two workers writing one mailbox: no failure count is lost', async () => {
    const second = await PostgresStores.open({ url: database().url, maxConnections: 4 });
    try {
      const a = stores.forMailbox('busy@contoso.example');
      const b = second.forMailbox('busy@contoso.example');
      const n = 24;
      // Each counts a failure in a read-modify-write transaction; without the mailbox's lock
      // READ COMMITTED lets two read the same count and one increment is lost.
      await Promise.all(
        Array.from({ length: n }, (_, i) => (i % 2 ? a : b).noteFailure('o:ev-1', 'x', NOW)),
      );
      const rows = await a.setAsideRows();
      expect(n).toBeGreaterThan(QUARANTINE_AFTER);
      expect(rows.map((r) => [r.itemKey, r.failures])).toEqual([['o:ev-1', n]]);
    } finally {
      await second.close();
    }
  });

  it('reads a row it cannot read as a failed store, and rebuilds only that mailbox', async () => {
    const store = stores.forMailbox('damaged@contoso.example');
    const other = stores.forMailbox('intact@contoso.example');
    await store.addIntent(intent('k1', NOW));
    await other.addIntent(intent('k1', NOW));
    await stores.pool.query(
      "UPDATE sync_store.outbox SET operation = '{not json' WHERE mailbox = $1",
      [store.mailbox],
    );
    const error = await store.takeIntents().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DataError' });
    expect(isBrokenStore(error)).toBe(true);
    await store.rebuild();
    expect(await store.takeIntents()).toEqual([]);
    expect((await other.takeIntents()).map((r) => r.key)).toEqual(['k1']);
  });
});

describe('the PostgreSQL store’s migrations', () => {
  const n = PG_MIGRATIONS.length;
  const next: PgMigration[] = [
    ...PG_MIGRATIONS,
    // Fails if run twice: the column would exist.
    { name: 'test-column', sql: 'ALTER TABLE sync_store.cursors ADD COLUMN note text' },
  ];

  it('runs once: a second start finds nothing to do', async () => {
    expect(stores.schema).toEqual({ from: 0, to: n });
    expect(await migratePostgres(stores.pool)).toEqual({ from: n, to: n });
    const { rows } = await stores.pool.query<{ version: number; name: string }>(
      'SELECT version, name FROM sync_store.schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(PG_MIGRATIONS.map((m, i) => ({ version: i + 1, name: m.name })));
  });

  it('refuses a database of a newer schema than the build knows, and leaves it as it is', async () => {
    const older = PG_MIGRATIONS.slice(0, n - 1);
    const error = await PostgresStores.open({ url: database().url, migrations: older }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'PostgresSchemaError',
      message: expect.stringContaining(`schema version ${n}; this build knows ${n - 1}`),
    });
    // Not a broken store: emptying a mailbox would not make this build read the database.
    expect(isBrokenStore(error)).toBe(false);
    expect(await migratePostgres(stores.pool)).toEqual({ from: n, to: n });
  });

  it('two workers starting at once on a new database: each step applied once, both succeed', async () => {
    const fresh = await createTestDatabase('sync_migrate');
    const pools = [1, 2].map(() => new pg.Pool({ connectionString: fresh.url, max: 2 }));
    try {
      const results = await Promise.all(pools.map((pool) => migratePostgres(pool, next)));
      expect(results.map((r) => r.to)).toEqual([n + 1, n + 1]);
      // One of them did the work (from 0), the other found it done — or waited between steps.
      expect(Math.min(...results.map((r) => r.from))).toBe(0);
      const { rows } = await pools[0]!.query<{ n: string }>(
        'SELECT COUNT(*) AS n FROM sync_store.schema_migrations',
      );
      expect(Number(rows[0]?.n)).toBe(n + 1);
      // The newer build's schema works for the store of today.
      const store = new PostgresSyncStore(pools[1]!, 'anna@contoso.example');
      await store.putCursor({ name: 'crmChanges', value: '7' });
      expect((await store.cursor('crmChanges'))?.value).toBe('7');
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await fresh.drop();
    }
  });
});
