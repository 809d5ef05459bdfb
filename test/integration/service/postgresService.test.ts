/**
 * Issue 18: the sync service runs on the PostgreSQL store. The service as `npm start` runs it
 * (startSandboxService → startService, the config's `store: postgres`), over both sandbox servers
 * and a database of this file's own (test/support/postgres.ts): the schema migrated at start, the
 * mailbox's rows in PostgreSQL and no SQLite file, changes both ways with no duplicate, and the
 * Status views (statusViews.ts) answered from the database. Kept small: the other service suites
 * cover the triggers on SQLite; this one proves the store underneath can change.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PG_MIGRATIONS } from '../../../src/sync/store/postgres/migrations';
import {
  MAILBOX,
  Person,
  pullChanges,
  pushChanges,
  startLiveServers,
  startLiveService,
  until,
  type LiveService,
} from '../../bench/serviceScenario';
import { usePostgresDatabase } from '../../support/postgres';

jest.setTimeout(120_000);

const N = 5;
const database = usePostgresDatabase('sync_service');

let servers: Awaited<ReturnType<typeof startLiveServers>>;
let live: LiveService;
let person: Person;
let dir: string;
let pool: pg.Pool;

beforeAll(async () => {
  servers = await startLiveServers();
  database.closeBeforeDrop(() => servers.close());
  dir = mkdtempSync(path.join(tmpdir(), 'service-postgres-'));
  database.closeBeforeDrop(() => rmSync(dir, { recursive: true, force: true }));
  live = await startLiveService(servers.servers, dir, database().url);
  database.closeBeforeDrop(async () => {
    // Stopped mid-run (the CRM's echo of the last writes), the run's CRM request held the CRM
    // server's close for ~70 s: the service is stopped quiet (graceful stop is issue 18 item 4).
    const runner = live.running.service.runner(MAILBOX);
    await until('no run under way', () => runner.scheduler.getSnapshot().state === 'idle', 60);
    await live.close();
  });
  person = await Person.signIn(servers.servers);
  pool = new pg.Pool({ connectionString: database().url, max: 1 });
  database.closeBeforeDrop(() => pool.end());
});

/** How many rows of `table` the mailbox has in the database. */
async function rows(table: 'links' | 'runs'): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT COUNT(*)::integer AS n FROM sync_store.${table} WHERE mailbox = $1`,
    [MAILBOX.toLowerCase()],
  );
  return result.rows[0]?.n ?? 0;
}

test('migrated the database at start, and keeps the mailbox there, not in a SQLite file', async () => {
  const migrated = await pool.query<{ version: number }>(
    'SELECT version FROM sync_store.schema_migrations ORDER BY version',
  );
  expect(migrated.rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
  // The first run linked the CRM's demo activities: their links and the run are in PostgreSQL.
  expect(await rows('links')).toBeGreaterThan(0);
  expect(await rows('runs')).toBeGreaterThan(0);
  expect(readdirSync(dir).filter((name) => name.endsWith('.sqlite'))).toEqual([]);
});

test(`${N} events reach the CRM and ${N} activities reach Outlook, each once`, async () => {
  const linked = await rows('links');
  await pushChanges(person, N, 'Pg');
  await pullChanges(person, N, 'Pg');
  const inCrm = (await person.crmChanges(null)).subjects.filter((s) => s.startsWith('Pg push '));
  const inOutlook = (await person.outlookSubjects()).filter((s) => s.startsWith('Pg pull '));
  expect([inCrm.length, new Set(inCrm).size]).toEqual([N, N]);
  expect([inOutlook.length, new Set(inOutlook).size]).toEqual([N, N]);
  // Each new pair is linked in the database.
  await until('the new links in PostgreSQL', async () => (await rows('links')) >= linked + 2 * N);
});

test('the Status views are read from the database', async () => {
  const { service } = live.running;
  const history = await service.history(MAILBOX, 10);
  expect(history.length).toBeGreaterThan(0);
  expect(history.some((run) => run.state === 'done' && run.changes > 0)).toBe(true);
  expect(await service.setAside(MAILBOX)).toEqual([]);
  expect(await service.trash(MAILBOX)).toEqual(expect.any(Array));
  // A restore of a trash row that is not there asks for nothing.
  expect(await service.restore(MAILBOX, 999_999)).toBe(false);
});
