/**
 * The PostgreSQL store's schema (issue 18, item 1): an ordered, append-only list of migrations, as
 * the SQLite store's (sqlite/migrations.ts). Never edit or reorder an entry that has shipped; add a
 * new one. Forward only: there are no down steps (docs/DEPLOY.md "PostgreSQL store").
 *
 * Hand-written rather than node-pg-migrate 9 or postgres-migrations 5: both read migration files
 * from a directory at run time (the service runs from TypeScript through tsx, the tests through
 * Jest's CommonJS transform, and node-pg-migrate 9 is ESM-only), and neither refuses a database a
 * newer build migrated further. What this needs is small: a table of applied versions, one
 * transaction per step, and a lock so that two workers starting at once do not race — the first
 * applies, the second waits for the lock, then finds nothing left to do.
 *
 * One database, many mailboxes: every table has `mailbox` first in its key, and everything lives in
 * the schema `sync_store`, apart from what a job queue keeps in its own. Row payloads are TEXT
 * holding JSON, read through the SQL stores' codec (store/sqlRows.ts): jsonb would refuse a
 * `\u0000` that a hostile subject may hold, and the codec reads the same text on both stores.
 */
import type { Pool, PoolClient } from 'pg';
import { inTransaction, MIGRATION_LOCK_KEY, query, STORE_LOCK_CLASS } from './sql';

export interface PgMigration {
  readonly name: string;
  readonly sql: string;
}

export const SCHEMA = 'sync_store';

/** Text compared by code units, as SQLite and IndexedDB compare keys: the same order everywhere. */
const text = 'text COLLATE "C"';
const kind = `kind ${text} NOT NULL CHECK (kind IN ('calendar', 'contacts'))`;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    name: 'sync-store',
    sql: `
      CREATE TABLE sync_store.links (mailbox ${text} NOT NULL, ${kind}, outlook_id ${text} NOT NULL,
        crm_id ${text}, version integer NOT NULL, data ${text} NOT NULL,
        PRIMARY KEY (mailbox, kind, outlook_id), UNIQUE (mailbox, kind, crm_id));
      CREATE TABLE sync_store.cursors (mailbox ${text} NOT NULL, name ${text} NOT NULL,
        value ${text} NOT NULL, window_start ${text}, window_end ${text}, recheck ${text},
        PRIMARY KEY (mailbox, name));
      CREATE TABLE sync_store.outbox (mailbox ${text} NOT NULL, key ${text} NOT NULL,
        created_at ${text} NOT NULL, attempts integer NOT NULL, operation ${text} NOT NULL,
        PRIMARY KEY (mailbox, key));
      CREATE INDEX outbox_created ON sync_store.outbox (mailbox, created_at, key);
      CREATE TABLE sync_store.runs (mailbox ${text} NOT NULL, id bigserial,
        started_at ${text} NOT NULL, idle boolean NOT NULL, data ${text} NOT NULL,
        PRIMARY KEY (mailbox, id));
      CREATE INDEX runs_started ON sync_store.runs (mailbox, started_at, id);
      CREATE TABLE sync_store.trash (mailbox ${text} NOT NULL, id bigserial, at ${text} NOT NULL,
        outlook_id ${text} NOT NULL, crm_id ${text} NOT NULL, restore_state ${text}, data ${text} NOT NULL,
        PRIMARY KEY (mailbox, id));
      CREATE INDEX trash_at ON sync_store.trash (mailbox, at, id);
      CREATE INDEX trash_pair ON sync_store.trash (mailbox, outlook_id, crm_id, id);
      CREATE INDEX trash_restore ON sync_store.trash (mailbox, restore_state, id);
      CREATE TABLE sync_store.quarantine (mailbox ${text} NOT NULL, item_key ${text} NOT NULL,
        failures integer NOT NULL, last_code ${text} NOT NULL, since ${text} NOT NULL,
        quarantined smallint NOT NULL CHECK (quarantined IN (0, 1)), unlinked_at ${text},
        PRIMARY KEY (mailbox, item_key));
      CREATE INDEX quarantine_set_aside ON sync_store.quarantine (mailbox, item_key)
        WHERE quarantined = 1;
      CREATE TABLE sync_store.records (mailbox ${text} NOT NULL, id bigserial,
        item_key ${text} NOT NULL, at ${text} NOT NULL, op ${text} NOT NULL,
        outcome ${text} NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped')), code ${text},
        detail ${text}, PRIMARY KEY (mailbox, id));
      CREATE INDEX records_item ON sync_store.records (mailbox, item_key, at, id);
      CREATE INDEX records_at ON sync_store.records (mailbox, at, id);
      CREATE TABLE sync_store.pending (mailbox ${text} NOT NULL, ${kind}, item_key ${text} NOT NULL,
        outlook_id ${text}, crm_id ${text}, PRIMARY KEY (mailbox, kind, item_key));
      CREATE TABLE sync_store.occurrences (mailbox ${text} NOT NULL, id ${text} NOT NULL,
        series_id ${text} NOT NULL, PRIMARY KEY (mailbox, id));`,
  },
];

/** The tables that hold a mailbox's rows: `clear()` and `rebuild()` empty them of its rows. */
export { STORE_TABLES as PG_DATA_TABLES } from '../sqlRows';

/**
 * A database a newer build migrated further than this build knows. Not one of the names
 * store/brokenStore.ts sends to a rebuild: one database serves every mailbox, and emptying a
 * mailbox's rows would not make this build read it — the process refuses to start instead.
 */
/** How long a starting worker waits for another's migration step (then it fails to start). */
export const MIGRATION_LOCK_TIMEOUT_MS = 300_000;

export class PostgresSchemaError extends Error {
  override readonly name = 'PostgresSchemaError';
}

const HISTORY = `CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
  CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (version integer PRIMARY KEY,
    name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;

/**
 * Applies the migrations not yet applied, each in its own transaction holding the migrations'
 * advisory lock (so concurrent starts apply each step once), and answers the versions before and
 * after. A database at a higher version than `migrations` knows raises PostgresSchemaError and is
 * left as it is. At most `migrations.length + 1` transactions.
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<{ from: number; to: number }> {
  let from: number | undefined;
  // Another worker may be applying a long step meanwhile: each step waits for it, boundedly.
  const lock = [STORE_LOCK_CLASS, MIGRATION_LOCK_KEY] as const;
  for (let step = 0; step <= migrations.length; step += 1) {
    const { version, done } = await inTransaction(
      pool,
      lock,
      (client) => applyNext(client, migrations),
      MIGRATION_LOCK_TIMEOUT_MS,
    );
    from ??= version;
    if (done) break;
  }
  return { from: from ?? 0, to: migrations.length };
}

/** One step: the version found, and the next migration applied unless there is none. */
async function applyNext(
  client: PoolClient,
  migrations: readonly PgMigration[],
): Promise<{ version: number; done: boolean }> {
  await query(client, HISTORY);
  const { rows } = await query(
    client,
    `SELECT COALESCE(MAX(version), 0)::integer AS version FROM ${SCHEMA}.schema_migrations`,
  );
  const version = Number((rows[0] as { version: unknown } | undefined)?.version ?? 0);
  if (version > migrations.length) {
    throw new PostgresSchemaError(
      `The PostgreSQL sync store is at schema version ${version}; this build knows ` +
        `${migrations.length}. Run a build at least as new, or restore the database.`,
    );
  }
  const next = migrations[version];
  if (!next) return { version, done: true };
  await query(client, next.sql);
  await query(client, `INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [
    version + 1,
    next.name,
  ]);
  return { version, done: false };
}
