/**
 * The SQLite store's schema (issue 17, item 5): an ordered, append-only list of migrations, as in
 * sandbox/crm/db/migrations.ts. Never edit or reorder an entry that has shipped; add a new one.
 * `PRAGMA user_version` holds how many have run; `schema_migrations` records when each ran.
 *
 * The tables are those of the Dexie store (store/schema.ts, versions 1–4 at once): columns for
 * what a transaction looks up or orders by, the rest of a row as JSON. Link rows are versioned as
 * the pane's (store/linkRows.ts): the JSON is the versioned row, `version` its version for SQL.
 * `crm_id` may be NULL: a stored pair whose row can no longer be read keeps only its Outlook id
 * in the key (issue 15, item 3), so the CRM id's unique index never refuses the link the stamps
 * make for it elsewhere.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'sync-store',
    sql: `
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
        applied_at TEXT NOT NULL);
      CREATE TABLE links (kind TEXT NOT NULL CHECK (kind IN ('calendar', 'contacts')),
        outlook_id TEXT NOT NULL, crm_id TEXT, version INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (kind, outlook_id), UNIQUE (kind, crm_id)) WITHOUT ROWID;
      CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, window_start TEXT,
        window_end TEXT) WITHOUT ROWID;
      CREATE TABLE outbox (key TEXT PRIMARY KEY, created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL, operation TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX outbox_created ON outbox (created_at, key);
      CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,
        idle INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE INDEX runs_started ON runs (started_at, id);
      CREATE INDEX runs_idle ON runs (idle, id);
      CREATE TABLE trash (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
        outlook_id TEXT NOT NULL, crm_id TEXT NOT NULL, restore_state TEXT, data TEXT NOT NULL);
      CREATE INDEX trash_at ON trash (at);
      CREATE INDEX trash_pair ON trash (outlook_id, crm_id, id);
      CREATE INDEX trash_restore ON trash (restore_state, id);
      CREATE TABLE quarantine (item_key TEXT PRIMARY KEY, failures INTEGER NOT NULL,
        last_code TEXT NOT NULL, since TEXT NOT NULL, quarantined INTEGER NOT NULL,
        unlinked_at TEXT) WITHOUT ROWID;
      CREATE TABLE records (id INTEGER PRIMARY KEY AUTOINCREMENT, item_key TEXT NOT NULL,
        at TEXT NOT NULL, op TEXT NOT NULL, outcome TEXT NOT NULL, code TEXT, detail TEXT);
      CREATE INDEX records_item ON records (item_key, at, id);
      CREATE INDEX records_at ON records (at, id);
      CREATE TABLE pending (kind TEXT NOT NULL CHECK (kind IN ('calendar', 'contacts')),
        item_key TEXT NOT NULL, outlook_id TEXT, crm_id TEXT,
        PRIMARY KEY (kind, item_key)) WITHOUT ROWID;
      CREATE TABLE occurrences (id TEXT PRIMARY KEY, series_id TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX occurrences_series ON occurrences (series_id);`,
  },
  {
    // Issue 15 item 5: the ids a cursor carries to the next run (engine/ownWrites.ts), as a JSON
    // array; NULL when none. The first schema dropped them, so the SQLite store's next run never
    // read again what a round past its own writes found — a person's create made during a run
    // was lost to every incremental run after it (found by the sync service's tests).
    name: 'cursor-recheck',
    sql: `ALTER TABLE cursors ADD COLUMN recheck TEXT;`,
  },
];

/** The tables `clear()` empties: everything the store keeps, not its migration history. */
export { STORE_TABLES as DATA_TABLES } from '../sqlRows';

/**
 * A store file a newer build migrated further than this build knows: it cannot be read safely.
 * Named as IndexedDB names the same case, so store/brokenStore.ts sends it down the same path —
 * the store is rebuilt, and the next run relinks from the stamps (issue 14, item 5).
 */
export class StoreVersionError extends Error {
  override readonly name = 'VersionError';
}

/**
 * Runs the migrations not yet applied, each in its own transaction, and answers the versions
 * before and after. A file at a higher version than `migrations` knows raises StoreVersionError.
 */
export function migrate(
  db: Database,
  now: string,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  const from = Number(db.pragma('user_version', { simple: true }));
  if (from > migrations.length) {
    throw new StoreVersionError(
      `The sync store is at schema version ${from}; this build knows ${migrations.length}`,
    );
  }
  for (let version = from + 1; version <= migrations.length; version += 1) {
    const migration = migrations[version - 1];
    if (!migration) break;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        migration.name,
        now,
      );
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
  return { from, to: migrations.length };
}
