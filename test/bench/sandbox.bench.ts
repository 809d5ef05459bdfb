/**
 * `npm run bench`: baselines for the sandbox the adapters and the engine are measured against.
 * Real HTTP on loopback, one process, sequential requests (the adapters' worst case). Prints a
 * table and, last, one JSON line for docs/BENCHMARKS.md. Not a test: nothing here asserts.
 */
import { performance } from 'node:perf_hooks';
import { DEMO, startCrmServer } from '../../sandbox/crm';
import { TEST_CRM } from '../support/crmServer';
import { startGraphServer } from '../../sandbox/graph';

const N = Number(process.env.BENCH_ITEMS ?? 300);
const results: Record<string, number> = {};

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await run();
  results[name] = Math.round(performance.now() - started);
  return value;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function slot(i: number): { start: string; end: string } {
  const start = new Date(Date.UTC(2026, 11, 1, 8) + i * 3_600_000);
  return {
    start: start.toISOString().replace('.000', ''),
    end: new Date(start.getTime() + 1_800_000).toISOString().replace('.000', ''),
  };
}

async function benchCrm(): Promise<void> {
  const crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  try {
    const base = `${crm.url}/api/v1`;
    const key = { 'X-Api-Key': DEMO.apiKey, 'content-type': 'application/json' };
    const { accessToken } = await json<{ accessToken: string }>(
      await fetch(`${base}/sessions`, {
        method: 'POST',
        headers: key,
        body: JSON.stringify({ username: DEMO.users[0], password: DEMO.password }),
      }),
    );
    const auth = { ...key, authorization: `Bearer ${accessToken}` };
    await timed('crm.create_ms', async () => {
      for (let i = 0; i < N; i += 1) {
        const { start, end } = slot(i);
        await json(
          await fetch(`${base}/activities`, {
            method: 'POST',
            headers: { ...auth, 'idempotency-key': `bench-${i}` },
            body: JSON.stringify({
              subject: `Bench ${i}`,
              start,
              end,
              timeZone: 'Europe/Helsinki',
              typeId: 'typ_meeting',
            }),
          }),
        );
      }
    });
    await timed('crm.changes_full_ms', async () => {
      let cursor = '';
      for (;;) {
        const page = await json<{ nextCursor: string; hasMore: boolean }>(
          await fetch(`${base}/activities/changes?limit=100${cursor && `&cursor=${cursor}`}`, {
            headers: auth,
          }),
        );
        cursor = encodeURIComponent(page.nextCursor);
        if (!page.hasMore) return;
      }
    });
  } finally {
    await crm.close();
  }
}

async function benchGraph(): Promise<void> {
  const graph = await startGraphServer({ port: 0, seedDemoData: false });
  try {
    const { access_token: token } = await json<{ access_token: string }>(
      await fetch(`${graph.url}/sandbox/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mailbox: 'anna@contoso.example' }),
      }),
    );
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await timed('graph.create_ms', async () => {
      for (let i = 0; i < N; i += 1) {
        const { start, end } = slot(i);
        await json(
          await fetch(`${graph.url}/v1.0/me/events`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              subject: `Bench ${i}`,
              start: { dateTime: start.slice(0, -1), timeZone: 'UTC' },
              end: { dateTime: end.slice(0, -1), timeZone: 'UTC' },
            }),
          }),
        );
      }
    });
    const window = `startDateTime=2026-11-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z`;
    const prefer = { ...headers, prefer: 'odata.maxpagesize=50' };
    const deltaLink = await timed('graph.delta_initial_ms', async () => {
      let url = `${graph.url}/v1.0/me/calendarView/delta?${window}`;
      for (;;) {
        const page = await json<{ '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>(
          await fetch(url, { headers: prefer }),
        );
        if (page['@odata.deltaLink']) return page['@odata.deltaLink'];
        url = page['@odata.nextLink'] ?? '';
      }
    });
    await timed('graph.delta_empty_round_ms', async () =>
      json(await fetch(deltaLink, { headers: prefer })),
    );
  } finally {
    await graph.close();
  }
}

async function main(): Promise<void> {
  await benchCrm();
  await benchGraph();
  results.items = N;
  console.table(
    Object.entries(results).map(([metric, value]) => ({
      metric,
      value,
      perItemMs: metric.endsWith('_ms') && !metric.includes('empty') ? +(value / N).toFixed(2) : '',
    })),
  );
  console.log(JSON.stringify({ bench: 'sandbox', node: process.version, ...results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
