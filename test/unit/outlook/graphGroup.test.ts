/**
 * Issue 16 item 1: the batch writer (src/outlook/graphGroup.ts over graphBatch.ts) and the pacer
 * (src/outlook/pacer.ts), against a behaving fake of Graph's $batch (one per-item status each).
 */
import * as z from 'zod';
import { GraphClient } from '../../../src/outlook/graphClient';
import { GroupedGraphClient, RequestGroup } from '../../../src/outlook/graphGroup';
import { Pacer } from '../../../src/outlook/pacer';
import { ConflictError, SyncError } from '../../../src/sync/core/errors';

interface SubRequest {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}
interface SubResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A Graph whose $batch answers each sub-request by `answer`; single requests by `single`. */
function fakeGraph(
  answer: (sub: SubRequest, round: number) => SubResponse,
  opts: {
    readonly clock?: { now: number };
    readonly budget?: { readonly limit: number; readonly windowMs: number };
  } = {},
) {
  const envelopes: SubRequest[][] = [];
  const sentAt: number[] = [];
  const singles: string[] = [];
  const sleeps: number[] = [];
  let inFlight = 0;
  let peak = 0;
  const client = new GraphClient({
    baseUrl: 'https://graph.test/v1.0',
    tokens: { getToken: async () => 't' },
    fetch: async (input, init) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 0));
      inFlight--;
      const url = String(input);
      if (!url.endsWith('/$batch')) {
        singles.push(`${init?.method ?? 'GET'} ${url}`);
        return new Response('{"id":"single"}', { status: 200 });
      }
      const { requests } = JSON.parse(String(init?.body)) as { requests: SubRequest[] };
      envelopes.push(requests);
      sentAt.push(opts.clock?.now ?? 0);
      const round = envelopes.length;
      const responses = requests.map((r) => ({ id: r.id, ...answer(r, round) }));
      return new Response(JSON.stringify({ responses }), { status: 200 });
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      if (opts.clock) opts.clock.now += ms;
    },
    ...(opts.clock ? { now: () => opts.clock?.now ?? 0 } : {}),
    ...(opts.budget ? { budget: opts.budget } : {}),
    random: () => 0,
  });
  return { client, envelopes, sentAt, singles, sleeps, peak: () => peak };
}

const event = z.object({ id: z.string(), changeKey: z.string().optional() });
const ok = (sub: SubRequest): SubResponse => ({
  status: sub.method === 'DELETE' ? 204 : sub.method === 'POST' ? 201 : 200,
  ...(sub.method === 'DELETE'
    ? {}
    : { body: { id: sub.url.split('/').pop() ?? '', changeKey: `ck-${sub.id}` } }),
});
const graphError = (code: string) => ({ error: { code, message: 'hostile subject <b>' } });

/** `n` callers of one group, each making `work(client, i)` and leaving when done. */
async function members<T>(
  base: GraphClient,
  n: number,
  work: (client: GraphClient, i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const group = new RequestGroup(base, n);
  const client = new GroupedGraphClient(base, group);
  return Promise.allSettled(
    Array.from({ length: n }, (_, i) => work(client, i).finally(() => group.leave())),
  );
}

const write = (client: GraphClient, i: number) => {
  const kind = i % 3;
  if (kind === 0) {
    return client.request({
      method: 'POST',
      path: `/me/calendars/cal/events`,
      body: { subject: `s${i}`, transactionId: `tx-${i}` },
      schema: event,
    });
  }
  if (kind === 1) {
    return client.request({
      method: 'PATCH',
      path: `/me/events/e${i}`,
      body: { subject: `s${i}` },
      headers: { 'If-Match': `etag-${i}` },
      schema: event,
    });
  }
  return client.request({ method: 'DELETE', path: `/me/events/e${i}`, schema: null });
};

describe('the batch writer (RequestGroup)', () => {
  it('sends the writes of 20 callers in one $batch, each with its own headers and answer', async () => {
    const graph = fakeGraph(ok);
    const results = await members(graph.client, 20, write);
    expect(graph.envelopes).toHaveLength(1);
    expect(graph.singles).toEqual([]);
    const [sent] = graph.envelopes;
    expect(sent?.map((r) => r.method).slice(0, 3)).toEqual(['POST', 'PATCH', 'DELETE']);
    const patch = sent?.find((r) => r.method === 'PATCH');
    expect(patch?.headers?.['If-Match']).toMatch(/^etag-/);
    expect(patch?.headers?.['Content-Type']).toBe('application/json');
    expect(sent?.find((r) => r.method === 'POST')?.body).toMatchObject({ transactionId: 'tx-0' });
    // Each caller gets its own answer: the version (changeKey) comes from the write itself.
    const first = results[1];
    expect(first?.status === 'fulfilled' && first.value.data).toMatchObject({
      id: 'e1',
      changeKey: expect.stringMatching(/^ck-/),
    });
  });

  it('a failing item among 20 fails its caller alone, as the single request would have', async () => {
    const graph = fakeGraph((sub) =>
      sub.url === '/me/events/e4'
        ? { status: 412, body: graphError('ErrorIrresolvableConflict') }
        : sub.url === '/me/events/e7'
          ? { status: 400, body: graphError('ErrorInvalidRequest') }
          : ok(sub),
    );
    const results = await members(graph.client, 20, write);
    expect(graph.envelopes).toHaveLength(1);
    const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [[i, r.reason]] : []));
    expect(rejected.map(([i]) => i)).toEqual([4, 7]);
    expect(rejected[0]?.[1]).toBeInstanceOf(ConflictError);
    expect(rejected[1]?.[1]).toBeInstanceOf(SyncError);
    expect((rejected[1]?.[1] as SyncError).kind).toBe('invalidData');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(18);
  });

  it('retries per-item 429s after the longest Retry-After, and only those items', async () => {
    const graph = fakeGraph((sub, round) =>
      round === 1 && Number(sub.id) % 5 === 0
        ? { status: 429, headers: { 'Retry-After': sub.id === '5' ? '7' : '2' } }
        : ok(sub),
    );
    const results = await members(graph.client, 20, write);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(graph.sleeps).toEqual([7000]);
    expect(graph.envelopes.map((e) => e.length)).toEqual([20, 4]);
  });

  it('sends a 424 (failed dependency) item again on its own', async () => {
    const graph = fakeGraph((sub, round) =>
      round === 1 && sub.id === '3'
        ? { status: 424, body: graphError('FailedDependency') }
        : ok(sub),
    );
    const results = await members(graph.client, 6, write);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(graph.envelopes.map((e) => e.map((r) => r.id))).toEqual([
      ['0', '1', '2', '3', '4', '5'],
      ['3'],
    ]);
  });

  it('a 424 that keeps coming is that item’s failure, after a bounded number of rounds', async () => {
    const graph = fakeGraph((sub) =>
      sub.url === '/me/events/e1' ? { status: 424, body: graphError('FailedDependency') } : ok(sub),
    );
    const results = await members(graph.client, 3, write);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(graph.envelopes.length).toBe(4);
  });

  it('waits for a caller busy elsewhere, and sends without one that left', async () => {
    const graph = fakeGraph(ok);
    let release: () => void = () => undefined;
    const busy = new Promise<void>((r) => (release = r));
    const done = members(graph.client, 4, async (client, i) => {
      if (i === 3) {
        await busy; // at the store, say
        return null;
      }
      return write(client, i);
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(graph.envelopes).toHaveLength(0);
    release();
    await done;
    expect(graph.envelopes.map((e) => e.length)).toEqual([3]);
  });

  it('a failed envelope fails every caller in it with the side’s error', async () => {
    const base = new GraphClient({
      baseUrl: 'https://graph.test/v1.0',
      tokens: { getToken: async () => 't' },
      fetch: async () =>
        new Response(JSON.stringify(graphError('InvalidAuthenticationToken')), {
          status: 401,
        }),
      sleep: async () => undefined,
    });
    const results = await members(base, 3, write);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as SyncError).kind)).toEqual([
      'auth',
      'auth',
      'auth',
    ]);
  });

  it('a $batch takes the gate’s 4 slots: no other request runs beside it', async () => {
    const graph = fakeGraph(ok);
    const group = new RequestGroup(graph.client, 8);
    const grouped = new GroupedGraphClient(graph.client, group);
    const writes = Array.from({ length: 8 }, (_, i) =>
      write(grouped, i).finally(() => group.leave()),
    );
    const reads = Array.from({ length: 3 }, () =>
      graph.client.request({ method: 'GET', path: 'https://graph.test/v1.0/me', schema: event }),
    );
    await Promise.all([...writes, ...reads]);
    expect(graph.peak()).toBeLessThanOrEqual(3);
  });
});

describe('the pacer', () => {
  it('never spends more than the budget in a window: it waits instead', async () => {
    const clock = { now: 1_000_000 };
    const budget = { limit: 30, windowMs: 60_000 };
    const graph = fakeGraph(ok, { clock, budget });
    // 5 groups of 20 writes: 100 sub-requests against a budget of 30 a minute.
    for (let i = 0; i < 5; i++) await members(graph.client, 20, write);
    const sends = graph.envelopes.map((e, k) => ({ n: e.length, at: graph.sentAt[k] ?? 0 }));
    expect(sends.reduce((sum, e) => sum + e.n, 0)).toBe(100);
    for (const { at } of sends) {
      const inWindow = sends
        .filter((e) => e.at > at - budget.windowMs && e.at <= at)
        .reduce((sum, e) => sum + e.n, 0);
      expect(inWindow).toBeLessThanOrEqual(budget.limit);
    }
    // It waited rather than being refused: no 429 came, and the waits were bounded.
    expect(graph.sleeps.length).toBeGreaterThan(0);
    expect(Math.max(...graph.sleeps)).toBeLessThanOrEqual(budget.windowMs + 2_001);
    expect(graph.client.budgetState().waitedMs).toBeGreaterThan(budget.windowMs);
  });

  it('a cost above the limit is taken as the whole budget, not waited for forever', async () => {
    const clock = { now: 0 };
    const sleeps: number[] = [];
    const pacer = new Pacer({
      budget: { limit: 10, windowMs: 1_000 },
      now: () => clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now += ms;
      },
    });
    await pacer.take(25);
    await pacer.take(1);
    expect(sleeps).toHaveLength(1);
    expect(pacer.state().used).toBe(1);
  });
});
