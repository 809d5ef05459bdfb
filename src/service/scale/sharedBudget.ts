/**
 * Graph's request budgets counted in PostgreSQL (issue 18, item 3), so that every worker spends
 * one budget rather than each its own: src/outlook/pacer.ts's SharedBudgetCounts.
 *
 * microsoft-graph-docs-contrib concepts/throttling-limits.md:
 * - "Outlook service limits", per app ID and mailbox: 10,000 API requests in a 10 minute period
 *   (each $batch sub-request counts: concepts/json-batching.md) — scope `mailbox:<address>`;
 * - the global limit, per app across all tenants: 2,000 requests per second — scope `app`.
 * The 4 concurrent requests per app and mailbox need no shared count here: the queue and the
 * advisory lock run one run of a mailbox at a time across all workers, and that run's client
 * keeps its own gate of 4 (src/outlook/semaphore.ts).
 *
 * Counts are kept per second (a row per scope and second, summed over the window), under a
 * transaction-scoped advisory lock per scope so a check and its spending are one step. Times are
 * the database's clock: the workers' clocks may disagree, PostgreSQL's is one. A second of margin
 * on the window's edge (as the in-memory pacer keeps two) covers Graph's clock against ours.
 */
import type { Pool } from 'pg';
import type { GraphBudget, SharedBudgetCounts } from '../../outlook/pacer';
import { GRAPH_BUDGET } from '../../outlook/pacer';
import { LOCK_CLASS, SCHEMA } from './schema';

/** concepts/throttling-limits.md: "Any | 2000 requests per second" per app across all tenants. */
export const APP_BUDGET: GraphBudget = { limit: 2_000, windowMs: 1_000 };

export interface BudgetScope {
  readonly scope: string;
  readonly budget: GraphBudget;
}

const MARGIN_SECONDS = 1;

export class PgBudgetCounts implements SharedBudgetCounts {
  constructor(
    private readonly pool: Pool,
    private readonly scopes: readonly BudgetScope[],
  ) {}

  /** The mailbox's budget and the app's, as Graph counts them. */
  static forMailbox(pool: Pool, mailbox: string, options: { appBudget?: boolean } = {}) {
    return new PgBudgetCounts(pool, [
      { scope: `mailbox:${mailbox.toLowerCase()}`, budget: GRAPH_BUDGET },
      ...(options.appBudget === false ? [] : [{ scope: 'app', budget: APP_BUDGET }]),
    ]);
  }

  async tryTake(cost: number): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const nowRow = await client.query<{ s: string }>(
        'SELECT floor(extract(epoch FROM clock_timestamp()))::bigint AS s',
      );
      const now = Number(nowRow.rows[0]?.s ?? Math.floor(Date.now() / 1000));
      let wait = 0;
      // Locks in one order (the scopes' order, the same for every worker): no deadlock.
      for (const { scope, budget } of this.scopes) {
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          LOCK_CLASS.budget,
          scope,
        ]);
        const windowSeconds = Math.max(1, Math.ceil(budget.windowMs / 1000));
        const from = now - windowSeconds - MARGIN_SECONDS + 1;
        const rows = await client.query<{ second: string; cost: number }>(
          `SELECT second, cost FROM ${SCHEMA}.graph_budget
            WHERE scope = $1 AND second >= $2 ORDER BY second`,
          [scope, from],
        );
        const n = Math.min(budget.limit, Math.max(1, Math.ceil(cost)));
        let over = rows.rows.reduce((sum, r) => sum + r.cost, 0) + n - budget.limit;
        if (over <= 0) continue;
        // Enough of the oldest spending must leave the window first.
        let until = now + windowSeconds + MARGIN_SECONDS;
        for (const row of rows.rows) {
          over -= row.cost;
          if (over <= 0) {
            until = Number(row.second) + windowSeconds + MARGIN_SECONDS;
            break;
          }
        }
        wait = Math.max(wait, (until - now) * 1000);
      }
      if (wait > 0) {
        await client.query('ROLLBACK');
        return wait;
      }
      for (const { scope, budget } of this.scopes) {
        const n = Math.min(budget.limit, Math.max(1, Math.ceil(cost)));
        await client.query(
          `INSERT INTO ${SCHEMA}.graph_budget (scope, second, cost) VALUES ($1, $2, $3)
           ON CONFLICT (scope, second) DO UPDATE SET cost = ${SCHEMA}.graph_budget.cost + $3`,
          [scope, now, n],
        );
      }
      await client.query('COMMIT');
      return 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Drops counts older than the longest window (the safety poll calls it). */
export async function pruneBudget(pool: Pool): Promise<void> {
  const keep = Math.ceil(GRAPH_BUDGET.windowMs / 1000) + 60;
  await pool.query(
    `DELETE FROM ${SCHEMA}.graph_budget
      WHERE second < floor(extract(epoch FROM clock_timestamp()))::bigint - $1`,
    [keep],
  );
}
