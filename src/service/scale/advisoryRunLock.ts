/**
 * A RunLock (src/sync/engine/lock.ts) across processes: a PostgreSQL session advisory lock per
 * name, held on one connection for the whole task. The queue already runs one job per mailbox at a
 * time (graphile-worker's named queue); this lock is the belt to its braces — two runs of one
 * mailbox can never overlap even if the queue erred (graphile/worker#621: its `localQueue` option
 * breaks a named queue's one-at-a-time; we leave it off). PostgreSQL drops a session lock the
 * moment its connection closes, so a worker killed with SIGKILL frees its mailboxes at once.
 *
 * Names are hashed to 32 bits (hashtext): two mailboxes that collide only ever wait for each
 * other (one ends `busy` and is tried again), never run together.
 */
import type { Pool } from 'pg';
import type { RunLock } from '../../sync/engine/lock';
import { LOCK_CLASS } from './schema';

export class AdvisoryRunLock implements RunLock {
  constructor(private readonly pool: Pool) {}

  async ifAvailable<T>(name: string, task: () => Promise<T>): Promise<T | null> {
    const client = await this.pool.connect();
    let locked = false;
    try {
      const got = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
        [LOCK_CLASS.mailboxRun, name],
      );
      locked = got.rows[0]?.ok === true;
      if (!locked) return null;
      return await task();
    } finally {
      if (locked) {
        // A connection that failed meanwhile lost the lock with it: drop it from the pool.
        const released = await client
          .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS.mailboxRun, name])
          .then(
            () => true,
            () => false,
          );
        client.release(released ? undefined : true);
      } else {
        client.release();
      }
    }
  }
}
