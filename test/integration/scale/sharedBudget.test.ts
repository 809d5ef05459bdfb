/**
 * Issue 18, item 3: Graph's budget counted in PostgreSQL — two workers' counts (two pools, as two
 * processes have) spend one budget per mailbox, and the pacer of issue 16 waits on it.
 */
import { Pool } from 'pg';
import { Pacer } from '../../../src/outlook/pacer';
import { migrateScale } from '../../../src/service/scale/schema';
import { PgBudgetCounts } from '../../../src/service/scale/sharedBudget';
import { createDb, type TestDb } from './harness';

let db: TestDb;
const pools: Pool[] = [];

beforeAll(async () => {
  db = await createDb('scale_budget');
  for (let i = 0; i < 2; i += 1) pools.push(new Pool({ connectionString: db.url, max: 2 }));
  await migrateScale(pools[0] as Pool);
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db?.drop();
});

const budget = { limit: 10, windowMs: 60_000 };

it('two workers spend one budget per mailbox; past it they are told how long to wait', async () => {
  const [a, b] = pools.map(
    (pool) => new PgBudgetCounts(pool, [{ scope: 'mailbox:anna', budget }]),
  ) as [PgBudgetCounts, PgBudgetCounts];
  expect(await a.tryTake(4)).toBe(0);
  expect(await b.tryTake(6)).toBe(0); // 10 of 10, spent by two workers together
  const wait = await a.tryTake(1);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(62_000); // the window and its margin
  // Another mailbox's budget is its own.
  const other = new PgBudgetCounts(pools[1] as Pool, [{ scope: 'mailbox:ben', budget }]);
  expect(await other.tryTake(10)).toBe(0);
});

it('the pacer takes its counts from the shared source and waits as it says', async () => {
  const slept: number[] = [];
  const shared = new PgBudgetCounts(pools[0] as Pool, [{ scope: 'mailbox:carla', budget }]);
  const pacer = new Pacer({
    budget,
    shared,
    sleep: async (ms) => {
      slept.push(ms);
      // What another worker spent leaves the window meanwhile (as time passing would).
      await db.query(`DELETE FROM sync_scale.graph_budget WHERE scope = 'mailbox:carla'`);
    },
  });
  await pacer.take(10);
  expect(slept).toEqual([]);
  await pacer.take(3); // over: waits once, then the counts have room
  expect(slept).toHaveLength(1);
  expect(pacer.state().used).toBe(13); // this process's own spending
  const rows = await db.query<{ n: string }>(
    `SELECT sum(cost) AS n FROM sync_scale.graph_budget WHERE scope = 'mailbox:carla'`,
  );
  expect(Number(rows[0]?.n)).toBe(3);
});
