/**
 * Schema migrations: an ordered, append-only list. Never edit or reorder an entry that has
 * shipped; add a new one. `PRAGMA user_version` holds how many have run, and
 * `schema_migrations` records when each ran (tests use it to prove each runs once).
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'companies-users-keys-sessions',
    sql: `
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE companies (id TEXT PRIMARY KEY, name TEXT NOT NULL, sync_enabled INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE api_keys (
        key_hash TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES companies(id),
        type TEXT NOT NULL CHECK (type IN ('outlook', 'admin')), label TEXT NOT NULL);
      CREATE TABLE users (
        id TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES companies(id),
        email TEXT NOT NULL UNIQUE COLLATE NOCASE, display_name TEXT NOT NULL,
        language TEXT NOT NULL, time_zone TEXT NOT NULL, password_hash TEXT NOT NULL);
      CREATE TABLE user_aliases (email TEXT PRIMARY KEY COLLATE NOCASE, user_id TEXT NOT NULL REFERENCES users(id));
      CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL, revoked_at INTEGER);
      CREATE TABLE tokens (hash TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),
        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')), expires_at INTEGER NOT NULL, used_at INTEGER);
      CREATE INDEX tokens_session ON tokens(session_id);`,
  },
  {
    name: 'catalogue',
    sql: `
      CREATE TABLE activity_types (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, names TEXT NOT NULL,
        personal INTEGER NOT NULL, sort INTEGER NOT NULL);
      CREATE TABLE customers (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, name TEXT NOT NULL);
      CREATE TABLE projects (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, customer_id TEXT NOT NULL, name TEXT NOT NULL);
      CREATE TABLE sales_cases (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, customer_id TEXT NOT NULL, name TEXT NOT NULL);
      CREATE TABLE resources (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, name TEXT NOT NULL,
        kind TEXT NOT NULL, email TEXT, capacity INTEGER);
      CREATE TABLE contacts (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, customer_id TEXT,
        first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT, phone TEXT, title TEXT,
        archived INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE contact_sync_marks (contact_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (contact_id, user_id));`,
  },
  {
    name: 'activities-and-change-log',
    sql: `
      CREATE TABLE activities (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, owner_id TEXT NOT NULL,
        version INTEGER NOT NULL, data TEXT NOT NULL, range_start INTEGER NOT NULL, range_end INTEGER,
        deleted INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE activity_members (activity_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (activity_id, user_id));
      CREATE INDEX activity_members_user ON activity_members(user_id);
      CREATE TABLE activity_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, activity_id TEXT NOT NULL,
        user_id TEXT NOT NULL, changed_at INTEGER NOT NULL);
      CREATE INDEX activity_changes_user ON activity_changes(user_id, seq);
      CREATE INDEX activity_changes_time ON activity_changes(changed_at);
      CREATE TABLE idempotency_keys (user_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
        status INTEGER NOT NULL, body TEXT NOT NULL, etag TEXT, location TEXT, created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, key));`,
  },
  {
    name: 'pairing-lease-error-reports',
    sql: `
      CREATE TABLE pairings (mailbox TEXT PRIMARY KEY COLLATE NOCASE, user_id TEXT NOT NULL UNIQUE, paired_at INTEGER NOT NULL);
      CREATE TABLE sync_leases (user_id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, expires_at INTEGER NOT NULL, version INTEGER NOT NULL);
      CREATE TABLE error_reports (id TEXT PRIMARY KEY, company_id TEXT NOT NULL, user_id TEXT,
        received_at INTEGER NOT NULL, data TEXT NOT NULL);`,
  },
  {
    // SPEC O3: a project shared with a contact person; the invitations the CRM "sends" (the
    // sandbox keeps them in an outbox, with the one-time password, instead of mailing them).
    name: 'extranet-shares',
    sql: `
      ALTER TABLE projects ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE extranet_shares (project_id TEXT NOT NULL, contact_id TEXT NOT NULL,
        company_id TEXT NOT NULL, rights TEXT NOT NULL, sections TEXT NOT NULL,
        password_hash TEXT NOT NULL, invited_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (project_id, contact_id));
      CREATE TABLE extranet_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, company_id TEXT NOT NULL,
        project_id TEXT NOT NULL, contact_id TEXT NOT NULL, recipient TEXT NOT NULL,
        one_time_password TEXT NOT NULL, sent_at INTEGER NOT NULL);`,
  },
  {
    // SPEC K2: the contacts' change feed (GET /contacts/changes). One row per change of a
    // company's contact; a deleted contact's last row is its tombstone.
    name: 'contact-change-log',
    sql: `
      CREATE TABLE contact_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, contact_id TEXT NOT NULL,
        company_id TEXT NOT NULL, changed_at INTEGER NOT NULL);
      CREATE INDEX contact_changes_company ON contact_changes(company_id, seq);
      CREATE INDEX contact_changes_time ON contact_changes(changed_at);`,
  },
  {
    // Issue 14: who may share a project (its owners and members), and extranet one-time
    // passwords kept as hashes that expire and work once. The old per-share scrypt hash had
    // neither; old invitations lapse (the project's members can send a new one).
    name: 'project-members-extranet-passwords',
    sql: `
      CREATE TABLE project_members (project_id TEXT NOT NULL, user_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('owner', 'member')), PRIMARY KEY (project_id, user_id));
      CREATE INDEX project_members_user ON project_members(user_id);
      ALTER TABLE extranet_shares DROP COLUMN password_hash;
      CREATE TABLE extranet_passwords (hash TEXT PRIMARY KEY, company_id TEXT NOT NULL,
        project_id TEXT NOT NULL, contact_id TEXT NOT NULL, issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL, used_at INTEGER);
      CREATE INDEX extranet_passwords_share ON extranet_passwords(project_id, contact_id);
      ALTER TABLE extranet_outbox ADD COLUMN expires_at INTEGER;`,
  },
  {
    // Issue 17: the always-on sync service. A `service` API key (server to server, never a
    // person's password) opens sessions for the company's paired mailboxes; the company names its
    // service's address. SQLite cannot widen a CHECK in place, so api_keys is rebuilt.
    name: 'sync-service',
    sql: `
      CREATE TABLE api_keys_new (
        key_hash TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES companies(id),
        type TEXT NOT NULL CHECK (type IN ('outlook', 'admin', 'service')), label TEXT NOT NULL);
      INSERT INTO api_keys_new SELECT key_hash, company_id, type, label FROM api_keys;
      DROP TABLE api_keys;
      ALTER TABLE api_keys_new RENAME TO api_keys;
      ALTER TABLE companies ADD COLUMN sync_service_url TEXT;
      ALTER TABLE sessions ADD COLUMN service_mailbox TEXT COLLATE NOCASE;`,
  },
];

/** Runs the migrations not yet applied, each in its own transaction. Returns how many ran. */
export function migrate(db: Database, now: number): { from: number; to: number } {
  const from = Number(db.pragma('user_version', { simple: true }));
  for (let version = from + 1; version <= MIGRATIONS.length; version++) {
    const migration = MIGRATIONS[version - 1];
    if (!migration) break;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        migration.name,
        now,
      );
      db.pragma(`user_version = ${version}`);
    })();
  }
  return { from, to: MIGRATIONS.length };
}
