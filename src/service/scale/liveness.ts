/**
 * Which workers are alive, and handing back what a dead one held (issue 18: "a worker killed with
 * kill -9 mid-run: its mailboxes resume on the other worker within 60 s").
 *
 * graphile-worker leaves a job locked by a worker that died for 4 hours before it may be taken
 * again, unless `force_unlock_workers(ids)` is called (worker.graphile.org, "Worker crashes"; its
 * SQL function in the schema since migration 000016). So each worker process holds, on one
 * connection of its own for its whole life, a session advisory lock keyed by its process id, and
 * lists in sync_scale.processes the id it locks jobs with (0.17: its worker pool's id). PostgreSQL
 * releases that lock the moment the killed process's connection closes; every worker's sweep
 * (every `sweepMs`) tries the locks of the others' rows, and one it can take belongs to a dead
 * process: in one transaction it unlocks that process's jobs and named queues, closes its open
 * runs in the run log as `killed`, and deletes its row. A job locked by an id no process lists (a
 * process that died in the milliseconds between creating its pool and listing the pool's id) is
 * handed back once it has been locked for `orphanSeconds`.
 *
 * The same connection elects the one worker that long-polls the CRM's change signal (a company
 * allows 8 waiting requests; N workers asking the same question gain nothing).
 */
import type { Pool, PoolClient } from 'pg';
import { LOCK_CLASS, SCHEMA } from './schema';

export interface LivenessOptions {
  readonly pool: Pool;
  readonly processId: string;
  /** graphile-worker's schema (default graphile_worker). */
  readonly workerSchema?: string;
  readonly sweepMs?: number;
  readonly orphanSeconds?: number;
  /** The liveness connection failed: this process can no longer prove it is alive. */
  readonly onLost: (error: Error) => void;
  readonly log: (event: Readonly<Record<string, unknown>>) => void;
}

export class Liveness {
  private client: PoolClient | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly workerIds = new Set<string>();
  private registering: Promise<void> = Promise.resolve();
  private leader = false;
  private stopped = false;

  constructor(private readonly options: LivenessOptions) {}

  private get schema(): string {
    return this.options.workerSchema ?? 'graphile_worker';
  }

  /** Takes this process's lock and lists it; then sweeps every sweepMs. */
  async start(): Promise<void> {
    const client = await this.options.pool.connect();
    this.client = client;
    client.on('error', (error) => {
      if (!this.stopped) this.options.onLost(error);
    });
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [
      LOCK_CLASS.workerAlive,
      this.options.processId,
    ]);
    await client.query(
      `INSERT INTO ${SCHEMA}.processes (process_id) VALUES ($1)
       ON CONFLICT (process_id) DO UPDATE SET worker_ids = '{}', started_at = now()`,
      [this.options.processId],
    );
    this.schedule();
  }

  /** A lock holder id of this process (its graphile pool's id, 'pool:create'); listed soon. */
  addWorker(workerId: string): void {
    this.workerIds.add(workerId);
    const ids = [...this.workerIds];
    this.registering = this.registering
      .then(() =>
        this.options.pool.query(
          `UPDATE ${SCHEMA}.processes SET worker_ids = $2 WHERE process_id = $1`,
          [this.options.processId, ids],
        ),
      )
      .then(
        () => undefined,
        (error: unknown) => this.options.onLost(error as Error),
      );
  }

  ownWorkerIds(): string[] {
    return [...this.workerIds];
  }

  /** Whether this process long-polls the CRM's signal now (tried again at every sweep). */
  isLeader(): boolean {
    return this.leader;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.registering;
    const client = this.client;
    this.client = null;
    if (!client) return;
    try {
      await client.query(`DELETE FROM ${SCHEMA}.processes WHERE process_id = $1`, [
        this.options.processId,
      ]);
      await client.query('SELECT pg_advisory_unlock_all()');
      client.release();
    } catch {
      client.release(true);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sweep()
        .catch((error: unknown) =>
          this.options.log({ event: 'sweepError', code: (error as { code?: string }).code }),
        )
        .finally(() => this.schedule());
    }, this.options.sweepMs ?? 2_000);
    this.timer.unref();
  }

  /** One sweep: the leader's lock tried, dead processes and orphaned locks handed back. */
  async sweep(): Promise<string[]> {
    const client = this.client;
    if (!client) return [];
    if (!this.leader) {
      const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, 0) AS ok', [
        LOCK_CLASS.signalLeader,
      ]);
      this.leader = got.rows[0]?.ok === true;
    }
    const others = await this.options.pool.query<{ process_id: string }>(
      `SELECT process_id FROM ${SCHEMA}.processes WHERE process_id <> $1`,
      [this.options.processId],
    );
    const dead: string[] = [];
    for (const { process_id: id } of others.rows) {
      if (await this.handBackIfDead(id)) dead.push(id);
    }
    await this.handBackOrphans();
    return dead;
  }

  private async handBackIfDead(processId: string): Promise<boolean> {
    const tx = await this.options.pool.connect();
    try {
      await tx.query('BEGIN');
      const got = await tx.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok',
        [LOCK_CLASS.workerAlive, processId],
      );
      if (got.rows[0]?.ok !== true) {
        await tx.query('ROLLBACK');
        return false;
      }
      const row = await tx.query<{ worker_ids: string[] }>(
        `DELETE FROM ${SCHEMA}.processes WHERE process_id = $1 RETURNING worker_ids`,
        [processId],
      );
      const ids = row.rows[0]?.worker_ids ?? [];
      if (ids.length > 0) {
        await tx.query(`SELECT ${this.schema}.force_unlock_workers($1::text[])`, [ids]);
      }
      const closed = await tx.query(
        `UPDATE ${SCHEMA}.runs SET ended_at = clock_timestamp(), outcome = 'killed'
          WHERE process_id = $1 AND ended_at IS NULL`,
        [processId],
      );
      await tx.query('COMMIT');
      this.options.log({
        event: 'workerDead',
        process: processId,
        workers: ids.length,
        runsClosed: closed.rowCount ?? 0,
      });
      return true;
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      tx.release();
    }
  }

  private async handBackOrphans(): Promise<void> {
    const orphans = await this.options.pool.query<{ locked_by: string }>(
      `SELECT DISTINCT locked_by FROM ${this.schema}._private_jobs
        WHERE locked_by IS NOT NULL
          AND locked_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM ${SCHEMA}.processes p WHERE locked_by = ANY (p.worker_ids))`,
      [this.options.orphanSeconds ?? 30],
    );
    const ids = orphans.rows.map((r) => r.locked_by);
    if (ids.length === 0) return;
    await this.options.pool.query(`SELECT ${this.schema}.force_unlock_workers($1::text[])`, [ids]);
    this.options.log({ event: 'orphanedJobs', workers: ids.length });
  }
}
