/**
 * What every part of the PostgreSQL store runs its SQL through (issue 18, item 1): one mailbox's
 * statements over a shared `pg.Pool`, and its named transactions.
 *
 * Many mailboxes share one database and N stateless workers share the mailboxes, so every
 * statement is scoped to one mailbox: the mailbox is always `$1`, given here, never by a caller.
 * A named transaction is one PostgreSQL transaction on one pooled client — BEGIN … COMMIT, or
 * ROLLBACK on any error, the client always released — that first takes the mailbox's
 * transaction-level advisory lock, as SQLite's `BEGIN IMMEDIATE` takes the file's write lock: two
 * workers writing one mailbox's store never interleave halfway (read-modify-write transactions such
 * as the trash merge and the quarantine count stay whole under READ COMMITTED).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Pool, PoolClient, QueryResultRow } from 'pg';

/**
 * The first key of the store's advisory locks (the two-int form: pg_advisory_xact_lock(int, int),
 * a key space apart from the one-bigint form). Others using advisory locks on this database keep
 * off this class: 0x53594e43, "SYNC".
 */
export const STORE_LOCK_CLASS = 0x53594e43;
/** The second key of the migrations' lock (mailbox keys are hashes, see mailboxLockKey). */
export const MIGRATION_LOCK_KEY = 0;

/** A mailbox's lock key: a stable 32-bit hash of its address (collisions only serialise more). */
export function mailboxLockKey(mailbox: string): number {
  return createHash('sha256').update(mailbox).digest().readInt32BE(0) || 1;
}

/** An error PostgreSQL answered, without its detail (which may quote a row: appointment text). */
export class PostgresStoreError extends Error {
  override readonly name = 'PostgresStoreError';
  constructor(
    message: string,
    /** The SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html), if any. */
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function storeError(error: unknown): Error {
  if (error instanceof PostgresStoreError) return error;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const code = (error as { code?: unknown }).code;
    const message = String((error as { message: unknown }).message);
    return new PostgresStoreError(message, typeof code === 'string' ? code : undefined, {
      cause: error,
    });
  }
  return new PostgresStoreError(String(error), undefined);
}

const INT8_OID = 20;

/**
 * The store's ids are bigserial (int8): pg answers them as strings by default. Read as numbers,
 * as the port's ids are — an id past 2^53 is refused, never rounded.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new PostgresStoreError(`An id past 2^53: ${text}`, undefined);
  return n;
}

const storeTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format ?? 'text'),
} as pg.CustomTypesConfig;

type Queryable = Pick<Pool, 'query'> | PoolClient;

/** One mailbox's SQL: `$1` is the mailbox in every statement; `values` are `$2` onwards. */
export interface PgSql {
  readonly mailbox: string;
  all(text: string, ...values: readonly unknown[]): Promise<unknown[]>;
  one(text: string, ...values: readonly unknown[]): Promise<unknown>;
  /** Runs a statement; answers how many rows it touched. */
  run(text: string, ...values: readonly unknown[]): Promise<number>;
  /** `body` as one transaction holding the mailbox's lock (nested calls join the outer one). */
  tx<T>(body: (sql: PgSql) => Promise<T>): Promise<T>;
}

/** A statement on `on` with the store's types; PostgreSQL's errors as PostgresStoreError. */
export async function query(
  on: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<pg.QueryResult<QueryResultRow>> {
  try {
    return await on.query({ text, values: [...values], types: storeTypes });
  } catch (error) {
    throw storeError(error);
  }
}

/** How long a store transaction waits for its mailbox's lock before it fails (a bounded wait). */
export const STORE_LOCK_TIMEOUT_MS = 30_000;

/**
 * `body` in one transaction on one client of `pool`, `lock` taken first (the two keys of
 * pg_advisory_xact_lock, numbers this module makes), waited for at most `lockTimeoutMs`
 * (lock_timeout: SQLSTATE 55P03 past it). The client goes back to the pool whatever happens; one
 * whose ROLLBACK failed too is destroyed, not reused.
 */
export async function inTransaction<T>(
  pool: Pool,
  lock: readonly [number, number],
  body: (client: PoolClient) => Promise<T>,
  lockTimeoutMs: number = STORE_LOCK_TIMEOUT_MS,
): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw storeError(error);
  }
  let broken: Error | undefined;
  try {
    const wait = Math.max(1, Math.floor(lockTimeoutMs));
    await query(
      client,
      `BEGIN; SET LOCAL lock_timeout = ${wait}; SELECT pg_advisory_xact_lock(${lock[0]}, ${lock[1]})`,
    );
    const result = await body(client);
    await query(client, 'COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = storeError(rollback);
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

class MailboxSql implements PgSql {
  constructor(
    private readonly pool: Pool,
    private readonly on: Queryable,
    readonly mailbox: string,
    private readonly inTx: boolean,
  ) {}

  async all(text: string, ...values: readonly unknown[]): Promise<unknown[]> {
    return (await query(this.on, text, [this.mailbox, ...values])).rows;
  }

  async one(text: string, ...values: readonly unknown[]): Promise<unknown> {
    return (await this.all(text, ...values))[0];
  }

  async run(text: string, ...values: readonly unknown[]): Promise<number> {
    return (await query(this.on, text, [this.mailbox, ...values])).rowCount ?? 0;
  }

  tx<T>(body: (sql: PgSql) => Promise<T>): Promise<T> {
    if (this.inTx) return body(this);
    const key = mailboxLockKey(this.mailbox);
    return inTransaction(this.pool, [STORE_LOCK_CLASS, key], (client) =>
      body(new MailboxSql(this.pool, client, this.mailbox, true)),
    );
  }
}

/** The SQL of one mailbox's store over `pool`. */
export function mailboxSql(pool: Pool, mailbox: string): PgSql {
  return new MailboxSql(pool, pool, mailbox, false);
}
