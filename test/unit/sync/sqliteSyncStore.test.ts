/**
 * @jest-environment node
 *
 * The SQLite store (issue 17, item 5): the store port's contract
 * (test/contract/syncStore.contract.ts) in memory and on a file, then what only a file has —
 * migrations that run once, rows that outlive the process, a file only its owner reads, two
 * processes on one file, and the failures that send a run down the rebuild path.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isBrokenStore } from '../../../src/sync/store/brokenStore';
import { LINK_ROW_VERSION } from '../../../src/sync/store/linkRows';
import { linkRowVersion } from '../../../src/sync/store/sqlRows';
import { migrate, MIGRATIONS, type Migration } from '../../../src/sync/store/sqlite/migrations';
import { storeFileFor } from '../../../src/sync/store/sqlite/open';
import { SqliteSyncStore } from '../../../src/sync/store/sqlite/sqliteSyncStore';
import {
  intent,
  link,
  runSyncStoreContract,
  type PutRawLinkRow,
} from '../../contract/syncStore.contract';
import { item, NOW } from '../../support/planFixtures';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
const opened: SqliteSyncStore[] = [];
let counter = 0;

function fileStore(name = `store-${(counter += 1)}.sqlite`): SqliteSyncStore {
  const store = new SqliteSyncStore(join(dir, name), () => NOW);
  opened.push(store);
  return store;
}

afterAll(() => {
  for (const store of opened) store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A row put into the link table as it is, bypassing the port (an older build's, a damaged one). */
const putRawLinkRow: PutRawLinkRow = async (store, kind, row) => {
  if (!(store instanceof SqliteSyncStore)) throw new Error('Not a SQLite store');
  const crmId = typeof row.crmId === 'string' ? row.crmId : null;
  store
    .connection()
    .prepare(
      'INSERT OR REPLACE INTO links (kind, outlook_id, crm_id, version, data) VALUES (?, ?, ?, ?, ?)',
    )
    .run(kind, row.outlookId, crmId, linkRowVersion(row), JSON.stringify(row));
};

runSyncStoreContract(
  'SQLite in memory',
  async () => {
    const store = SqliteSyncStore.inMemory();
    opened.push(store);
    return store;
  },
  putRawLinkRow,
);
runSyncStoreContract('SQLite on a file', async () => fileStore(), putRawLinkRow);

/** Runs `body` on a second connection to the store's file (another process, or a hand edit). */
function withFile<T>(store: SqliteSyncStore, body: (db: Database.Database) => T): T {
  const db = new Database(store.path);
  try {
    return body(db);
  } finally {
    db.close();
  }
}

describe('the SQLite store on a file', () => {
  it('keeps what it holds when the service restarts, and migrates once', async () => {
    const store = fileStore();
    await store.commitLink('calendar', link('ev-1', 'act-1'));
    await store.putCursor({ name: 'crmChanges', value: '42' });
    store.close();
    const again = new SqliteSyncStore(store.path, () => '2026-12-01T00:00:00Z');
    opened.push(again);
    expect(await again.linkByCrmId('calendar', 'act-1')).toEqual(link('ev-1', 'act-1'));
    expect((await again.cursor('crmChanges'))?.value).toBe('42');
    const history = again
      .connection()
      .prepare('SELECT version, name, applied_at FROM schema_migrations')
      .all();
    expect(history).toEqual(
      MIGRATIONS.map((m, i) => ({ version: i + 1, name: m.name, applied_at: NOW })),
    );
    expect(again.connection().pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('runs a later migration once over a file an older build made, keeping its rows', () => {
    const db = new Database(':memory:');
    // The first build's schema; this build's migrations (the cursors' recheck column) on top.
    expect(migrate(db, NOW, MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
    db.prepare("INSERT INTO cursors (name, value) VALUES ('crmChanges', '7')").run();
    const n = MIGRATIONS.length;
    expect(migrate(db, NOW)).toEqual({ from: 1, to: n });
    expect(db.prepare('SELECT value, recheck FROM cursors').all()).toEqual([
      { value: '7', recheck: null },
    ]);
    const next: Migration[] = [
      ...MIGRATIONS,
      { name: 'test-column', sql: 'ALTER TABLE cursors ADD COLUMN note TEXT' },
    ];
    expect(migrate(db, NOW, next)).toEqual({ from: n, to: n + 1 });
    expect(migrate(db, NOW, next)).toEqual({ from: n + 1, to: n + 1 });
    expect(db.prepare('SELECT value, note FROM cursors').all()).toEqual([
      { value: '7', note: null },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: n + 1 });
    db.close();
  });

  it('a file only the service’s user can read: it holds appointments', async () => {
    const store = fileStore(join('nested', 'owner-only.sqlite'));
    await store.commitLink('calendar', link('ev-1', 'act-1'));
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(store.path)).mode & 0o777).toBe(0o700);
  });

  it('names one file per mailbox, safely, whatever the address holds', () => {
    const a = storeFileFor('/var/lib/sync', 'Anna@Contoso.example');
    expect(a).toBe(storeFileFor('/var/lib/sync', 'anna@contoso.example'));
    expect(a).not.toBe(storeFileFor('/var/lib/sync', 'ben@contoso.example'));
    const hostile = storeFileFor('/var/lib/sync', '../../etc/passwd');
    expect(dirname(hostile)).toBe('/var/lib/sync');
    expect(hostile).toMatch(/^\/var\/lib\/sync\/sync-[0-9a-f]{32}\.sqlite$/);
  });

  it('refuses a second link holding the same CRM id, as the unique index does in Dexie', async () => {
    const store = SqliteSyncStore.inMemory();
    opened.push(store);
    await store.commitLink('calendar', link('ev-1', 'act-1'));
    await expect(store.commitLink('calendar', link('ev-2', 'act-1'))).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect((await store.links('calendar')).map((l) => l.outlookId)).toEqual(['ev-1']);
  });

  it('two stores on one file (a second process) see each other’s commits', async () => {
    const a = fileStore();
    const b = new SqliteSyncStore(a.path, () => NOW);
    opened.push(b);
    await a.commitLink('calendar', link('ev-1', 'act-1'));
    expect((await b.linkByCrmId('calendar', 'act-1'))?.outlookId).toBe('ev-1');
    await b.addIntent(intent('k1', NOW));
    expect((await a.takeIntents()).map((r) => [r.key, r.attempts])).toEqual([['k1', 1]]);
    await b.commitCreate('calendar', 'k1', link('ev-2', 'act-2'));
    expect(await a.intentCount()).toBe(0);
    expect(await a.links('calendar')).toHaveLength(2);
  });

  it('versions link rows as the pane does; a damaged one is a pair to repair, not a broken store', async () => {
    const store = fileStore();
    await store.commitLink('calendar', link('ev-1', 'act-1'));
    await store.commitLink('calendar', link('ev-2', 'act-2'));
    const rows = store.connection().prepare('SELECT version, data FROM links').all();
    expect(rows.map((r) => (r as { version: number }).version)).toEqual([
      LINK_ROW_VERSION,
      LINK_ROW_VERSION,
    ]);
    expect(JSON.parse((rows[0] as { data: string }).data)).toMatchObject({ v: LINK_ROW_VERSION });
    // ev-2's row is no longer JSON: it is no link but a pair to repair by its key columns.
    withFile(store, (db) =>
      db.prepare("UPDATE links SET data = '{not json' WHERE outlook_id = 'ev-2'").run(),
    );
    expect((await store.links('calendar')).map((l) => l.outlookId)).toEqual(['ev-1']);
    expect(await store.linksToRepair('calendar')).toEqual([{ outlookId: 'ev-2', crmId: 'act-2' }]);
  });
});

describe('a SQLite store that failed is recognised for the rebuild (issue 14, item 5)', () => {
  const expectBroken = async (
    store: SqliteSyncStore,
    code: RegExp | string,
    read: () => Promise<unknown> = () => store.links('calendar'),
  ) => {
    const error = await read().catch((e: unknown) => e);
    // By shape, not instanceof: the native module's errors may come from another test context.
    expect(error).toMatchObject({ name: expect.any(String), message: expect.any(String) });
    const named = error as Error & { code?: string };
    expect(typeof code === 'string' ? named.name : (named.code ?? named.name)).toMatch(code);
    expect(isBrokenStore(error)).toBe(true);
    // Rebuilt, it is empty and works on.
    await store.rebuild();
    expect(await store.links('calendar')).toEqual([]);
    await store.commitLink('calendar', link('ev-2', 'act-2'));
    expect(await store.links('calendar')).toHaveLength(1);
  };

  it('a file that is no database (SQLITE_NOTADB)', async () => {
    const store = fileStore();
    await store.commitLink('calendar', link('ev-1', 'act-1'));
    store.close();
    writeFileSync(store.path, Buffer.alloc(8192, 0x5a));
    rmSync(`${store.path}-wal`, { force: true });
    rmSync(`${store.path}-shm`, { force: true });
    await expectBroken(store, /^SQLITE_NOTADB$/);
  });

  it('a damaged page (SQLITE_CORRUPT)', async () => {
    const store = fileStore();
    for (let i = 0; i < 50; i += 1) await store.commitLink('calendar', link(`ev-${i}`, `act-${i}`));
    store.connection().pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // Page 2 onwards overwritten: the header still says SQLite, the b-trees are garbage.
    const pageSize = 4096;
    const bytes = readFileSync(store.path);
    bytes.fill(0xa5, pageSize, bytes.length);
    writeFileSync(store.path, bytes);
    await expectBroken(store, /^SQLITE_(CORRUPT|NOTADB)/);
  });

  it('a file from a newer build (VersionError)', async () => {
    const store = fileStore();
    await store.commitLink('calendar', link('ev-1', 'act-1'));
    store.close();
    withFile(store, (db) => db.pragma(`user_version = ${MIGRATIONS.length + 1}`));
    await expectBroken(store, 'VersionError');
  });

  it('a row that is not what the store wrote (DataError)', async () => {
    const store = fileStore();
    await store.addIntent(intent('k1', NOW));
    withFile(store, (db) => db.prepare("UPDATE outbox SET operation = '{not json'").run());
    await expectBroken(store, 'DataError', () => store.takeIntents());
  });

  it('a full disk (SQLITE_FULL)', async () => {
    const store = fileStore();
    await store.commitLink('calendar', link('ev-0', 'act-0'));
    const db = store.connection();
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const big = {
      ...link('ev-x', 'act-x'),
      outlookBase: item({ description: 'x'.repeat(50_000) }),
    };
    const error = await store.commitLink('calendar', big).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isBrokenStore(error)).toBe(true);
    await store.rebuild();
    await store.commitLink('calendar', big);
    expect(await store.links('calendar')).toHaveLength(1);
  });

  it('tells a busy file and a taken id from a failed file', () => {
    const busy = Object.assign(new Error('database is locked'), {
      name: 'SqliteError',
      code: 'SQLITE_BUSY',
    });
    const taken = Object.assign(new Error('UNIQUE constraint failed'), {
      name: 'SqliteError',
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect(isBrokenStore(busy)).toBe(false);
    expect(isBrokenStore(taken)).toBe(false);
    // A driver error wrapped by whoever called the store still counts.
    const disk = Object.assign(new Error('disk I/O error'), {
      name: 'SqliteError',
      code: 'SQLITE_IOERR_WRITE',
    });
    expect(isBrokenStore(new Error('run failed', { cause: disk }))).toBe(true);
  });
});
