/**
 * The scale-out worker's own tables in PostgreSQL (issue 18, items 2–4), beside graphile-worker's
 * schema (its jobs and queues) and the SyncStore's tables: the workers' liveness rows, the run
 * log, each mailbox's health (consecutive failures, quarantine), the shared Graph budget and the
 * mailboxes' change-notification subscriptions. Migrations are numbered and run once, under a
 * transaction-scoped advisory lock, so workers starting together never race on them.
 */
import type { Pool, PoolClient } from 'pg';

export const SCHEMA = 'sync_scale';

/** Advisory lock classes (pg_advisory_lock(int, int)): ours, away from anyone's single-key locks. */
export const LOCK_CLASS = {
  migrate: 18_000,
  mailboxRun: 18_001,
  workerAlive: 18_002,
  signalLeader: 18_003,
  budget: 18_004,
} as const;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sync_scale.processes (
     process_id text PRIMARY KEY,
     worker_ids text[] NOT NULL DEFAULT '{}',
     started_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE sync_scale.runs (
     id bigserial PRIMARY KEY,
     mailbox text NOT NULL,
     process_id text NOT NULL,
     trigger text NOT NULL,
     signal_at timestamptz,
     started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     ended_at timestamptz,
     outcome text,
     code text
   );
   CREATE INDEX runs_mailbox_started ON sync_scale.runs (mailbox, started_at);
   CREATE INDEX runs_ended ON sync_scale.runs (ended_at);
   CREATE TABLE sync_scale.mailbox_health (
     mailbox text PRIMARY KEY,
     consecutive_failures integer NOT NULL DEFAULT 0,
     last_code text,
     last_failure_at timestamptz,
     quarantined_at timestamptz,
     last_done_at timestamptz,
     last_outcome jsonb,
     last_trigger text,
     brake jsonb
   );
   CREATE TABLE sync_scale.graph_budget (
     scope text NOT NULL,
     second bigint NOT NULL,
     cost integer NOT NULL,
     PRIMARY KEY (scope, second)
   );
   CREATE TABLE sync_scale.subscriptions (
     mailbox text PRIMARY KEY,
     subscription_id text NOT NULL UNIQUE,
     client_state text NOT NULL,
     expires_at timestamptz NOT NULL
   );`,
];

/** Brings sync_scale up to date; safe to call from every worker at start. */
export async function migrateScale(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CLASS.migrate]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.migrations (
         version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await client.query<{ version: number }>(
      `SELECT version FROM ${SCHEMA}.migrations`,
    );
    const applied = new Set(done.rows.map((r) => r.version));
    for (const [index, sql] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await client.query(sql);
      await client.query(`INSERT INTO ${SCHEMA}.migrations (version) VALUES ($1)`, [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `fn` in a transaction on one pooled connection. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
