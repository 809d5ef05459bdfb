/**
 * A PostgreSQL database for one test file (issue 18): the server scripts/postgres-for-tests.sh
 * gets up (CI's .ci/run calls it), reached at SYNC_TEST_DATABASE_URL — by default the script's
 * role on 127.0.0.1:5432. Each file makes its own database (CREATE DATABASE, a unique name) and
 * drops it at the end, so files running in parallel never meet.
 *
 * A server that cannot be reached FAILS the file, naming the script: a suite that skipped itself
 * quietly would let CI pass with the PostgreSQL store never run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The role scripts/postgres-for-tests.sh makes (a public test value, loopback only). */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://sync_test:sync_test@127.0.0.1:5432/postgres';

export function testServerUrl(): string {
  const url = process.env.SYNC_TEST_DATABASE_URL;
  return url === undefined || url === '' ? DEFAULT_TEST_DATABASE_URL : url;
}

/** The URL without its password, for messages. */
function shown(url: string): string {
  const u = new URL(url);
  if (u.password !== '') u.password = '***';
  return u.toString();
}

async function connected(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL for the tests is not reachable at ${shown(url)} ` +
        `(${(error as Error).message}). Start it with \`sudo scripts/postgres-for-tests.sh\` ` +
        '(what .ci/run does), or point SYNC_TEST_DATABASE_URL at a server whose role may ' +
        'CREATE DATABASE.',
      { cause: error },
    );
  }
}

export interface TestDatabase {
  /** The database's own URL (the server's, another database name). */
  readonly url: string;
  readonly name: string;
  /** Drops the database, ending whatever is still connected to it. */
  drop(): Promise<void>;
}

/** Makes a database of a unique name on the tests' server. */
export async function createTestDatabase(prefix = 'sync_test'): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await connected(server);
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = await connected(server);
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** This test file's database, and what must close before it is dropped. */
export interface FileDatabase {
  (): TestDatabase;
  /**
   * Runs `close` after the file's last test and before its database is dropped — pools, the
   * service — last registered first. (Jest runs a file's afterAll hooks in the order they were
   * declared, so the drop's own hook would otherwise end connections still in use.)
   */
  closeBeforeDrop(close: () => unknown): void;
}

/**
 * A database for this test file: made before its first test, dropped after its last. The
 * getter fails if called before `beforeAll` ran (or if making the database failed).
 */
export function usePostgresDatabase(prefix?: string): FileDatabase {
  let database: TestDatabase | undefined;
  const closers: (() => unknown)[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    try {
      for (const close of closers.reverse()) await close();
    } finally {
      await database?.drop();
    }
  });
  const get = () => {
    if (!database) throw new Error('usePostgresDatabase: no database (did beforeAll fail?)');
    return database;
  };
  return Object.assign(get, {
    closeBeforeDrop: (close: () => unknown) => void closers.push(close),
  });
}
