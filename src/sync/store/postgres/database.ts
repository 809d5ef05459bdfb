/**
 * One PostgreSQL database serving the stores of many mailboxes (issue 18, item 1): a `pg.Pool`
 * shared by every mailbox of the process, the schema migrated before the first store is made —
 * at start, once per process, safe when N workers start at once (migrations.ts) — and a store
 * per mailbox over the pool.
 */
import pg from 'pg';
import type { Pool, PoolConfig } from 'pg';
import { migratePostgres, type PgMigration, PG_MIGRATIONS } from './migrations';
import { PostgresSyncStore } from './postgresSyncStore';

export interface PostgresStoresOptions {
  /** `postgres://user@host:port/database` (no password: that is `password`). */
  readonly url: string;
  /** The user's password, from the sealed secrets; never logged. */
  readonly password?: string;
  /** Connections this process keeps at most (pg's default: 10). */
  readonly maxConnections?: number;
  /** The migrations (tests: a newer build's list). */
  readonly migrations?: readonly PgMigration[];
}

/**
 * The URL with the sealed password in it. Not pg's `password` option: pg reads the connection
 * string over its other options, so a URL without a password would blank the one given beside it
 * (checked with pg 8.23: SCRAM then fails with "client password must be a string").
 */
function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

export class PostgresStores {
  private constructor(
    readonly pool: Pool,
    /** The schema versions before and after this process's start (for its log). */
    readonly schema: { readonly from: number; readonly to: number },
  ) {}

  /**
   * Connects and migrates. A database of a newer schema than this build knows refuses here
   * (PostgresSchemaError), and the pool is closed again: the process does not start.
   */
  static async open(options: PostgresStoresOptions): Promise<PostgresStores> {
    const config: PoolConfig = {
      connectionString: withPassword(options.url, options.password),
      max: options.maxConnections ?? 10,
      // A server that does not answer fails a run, it does not hang it (bounded waits).
      connectionTimeoutMillis: 10_000,
    };
    const pool = new pg.Pool(config);
    // An idle client's error (the server restarted) must not end the process: the pool drops
    // the client and the next query connects anew.
    pool.on('error', () => undefined);
    try {
      const schema = await migratePostgres(pool, options.migrations ?? PG_MIGRATIONS);
      return new PostgresStores(pool, schema);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** The store of one mailbox (cheap: a name over the shared pool). */
  forMailbox(mailbox: string): PostgresSyncStore {
    return new PostgresSyncStore(this.pool, mailbox);
  }

  /** Closes the pool; the stores made from it fail after this. */
  close(): Promise<void> {
    return this.pool.end();
  }
}
