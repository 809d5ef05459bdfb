import * as z from 'zod';
import { runBatch } from '../../../src/outlook/graphBatch';
import { GraphClient } from '../../../src/outlook/graphClient';
import { ConflictError, SyncError } from '../../../src/sync/core/errors';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;
interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function setup(replies: Reply[] | ((req: Seen) => Reply), opts = {}) {
  const seen: Seen[] = [];
  const sleeps: number[] = [];
  const tokens: (string | undefined)[] = [];
  const queue = Array.isArray(replies) ? [...replies] : null;
  const fakeFetch: typeof fetch = async (input, init) => {
    const req: Seen = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    seen.push(req);
    const r = queue ? (queue.shift() ?? { status: 500 }) : (replies as (r: Seen) => Reply)(req);
    if (r instanceof Error) throw r;
    const text =
      r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    return new Response(r.status === 204 ? null : text, {
      status: r.status,
      headers: r.headers ?? {},
    });
  };
  const client = new GraphClient({
    baseUrl: 'https://graph.test/v1.0',
    tokens: {
      getToken: async (o) => {
        tokens.push(o?.claims);
        return o?.claims ? 'token-2' : 'token-1';
      },
    },
    fetch: fakeFetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    ...opts,
  });
  return { client, seen, sleeps, tokens };
}

const ok = z.object({ id: z.string() });
const get = (client: GraphClient, path = '/me/events/a') =>
  client.request({ method: 'GET', path, schema: ok });
const err = (code: string) => ({ error: { code, message: 'secret event content' } });

async function failure(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SyncError) return e;
    throw e;
  }
  throw new Error('expected a SyncError');
}

describe('GraphClient', () => {
  it('sends the token and both Prefer values, and validates the body', async () => {
    const { client, seen } = setup([{ status: 200, body: { id: 'a', extra: 1 } }]);
    expect((await get(client)).data).toEqual({ id: 'a', extra: undefined });
    expect(seen[0]?.url).toBe('https://graph.test/v1.0/me/events/a');
    expect(seen[0]?.headers.Authorization).toBe('Bearer token-1');
    expect(seen[0]?.headers.Prefer).toBe('IdType="ImmutableId", outlook.timezone="UTC"');
  });

  it('follows absolute next links as they are', async () => {
    const { client, seen } = setup([{ status: 200, body: { id: 'a' } }]);
    await get(client, 'https://graph.test/v1.0/me/x?$skiptoken=1');
    expect(seen[0]?.url).toBe('https://graph.test/v1.0/me/x?$skiptoken=1');
  });

  it.each<[string, Reply, string, string]>([
    ['401', { status: 401, body: err('InvalidAuthenticationToken') }, 'graphSignInFailed', 'auth'],
    [
      '403 consent',
      { status: 403, body: err('Authorization_RequestDenied') },
      'graphConsentRequired',
      'auth',
    ],
    ['403 access', { status: 403, body: err('ErrorAccessDenied') }, 'roleMissing', 'forbidden'],
    ['404', { status: 404, body: err('ErrorItemNotFound') }, 'itemNotFound', 'notFound'],
    [
      '404 mailbox',
      { status: 404, body: err('MailboxNotEnabledForRESTAPI') },
      'mailboxNotFound',
      'notFound',
    ],
    ['410', { status: 410, body: err('syncStateNotFound') }, 'cursorExpired', 'resyncRequired'],
    [
      '400 syncStateNotFound',
      { status: 400, body: err('syncStateNotFound') },
      'cursorExpired',
      'resyncRequired',
    ],
    ['412', { status: 412, body: err('ErrorIrresolvableConflict') }, 'editConflict', 'conflict'],
    ['400', { status: 400, body: err('ErrorInvalidRequest') }, 'invalidRequest', 'invalidData'],
    ['200 not JSON', { status: 200, body: '<html>' }, 'invalidResponse', 'invalidData'],
    ['200 wrong shape', { status: 200, body: { id: 5 } }, 'invalidResponse', 'invalidData'],
  ])('maps %s', async (_l, reply, code, kind) => {
    const { client, seen } = setup([reply]);
    const e = await failure(get(client));
    expect([e.code, e.kind, seen.length]).toEqual([code, kind, 1]);
    expect(e.message).not.toContain('secret');
    if (code === 'editConflict') expect(e).toBeInstanceOf(ConflictError);
  });

  it('429: waits Retry-After each time; exhausted → throttled carrying the wait', async () => {
    const { client, sleeps, seen } = setup(() => ({
      status: 429,
      headers: { 'Retry-After': '2' },
    }));
    const e = await failure(get(client));
    expect([e.code, e.retryAfterMs, seen.length]).toEqual(['throttled', 2000, 5]);
    expect(sleeps).toEqual([2000, 2000, 2000, 2000]);
  });

  it('503 then success; 500/502/504 and network errors back off exponentially', async () => {
    const { client, sleeps } = setup([
      { status: 503, headers: { 'Retry-After': '1' } },
      { status: 500 },
      new TypeError('fetch failed'),
      { status: 504 },
      { status: 200, body: { id: 'a' } },
    ]);
    await get(client);
    expect(sleeps).toEqual([1000, 500, 1000, 2000]); // random 0 → d/2 of 1000, 2000, 4000
  });

  it('exhausted 5xx → serverError; exhausted network errors → offline', async () => {
    expect((await failure(get(setup(() => ({ status: 502 })).client))).code).toBe('serverError');
    const net = setup(() => new TypeError('fetch failed'));
    expect((await failure(get(net.client))).code).toBe('offline');
    expect(net.sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('401 with a claims challenge: one retry with getToken({claims})', async () => {
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}';
    const challenge = {
      'WWW-Authenticate': `Bearer realm="", error="insufficient_claims", claims="${btoa(claims)}"`,
    };
    const { client, tokens, seen } = setup([
      { status: 401, headers: challenge },
      { status: 200, body: { id: 'a' } },
    ]);
    await get(client);
    expect(tokens).toEqual([undefined, claims]);
    expect(seen[1]?.headers.Authorization).toBe('Bearer token-2');
    const again = setup(() => ({ status: 401, headers: challenge }));
    expect((await failure(get(again.client))).code).toBe('graphSignInFailed');
    expect(again.seen).toHaveLength(2);
  });

  it('never has more than 4 requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const client = new GraphClient({
      baseUrl: 'https://graph.test/v1.0',
      tokens: { getToken: async () => 't' },
      fetch: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return new Response('{"id":"a"}', { status: 200 });
      },
    });
    await Promise.all(Array.from({ length: 25 }, () => get(client)));
    expect(peak).toBe(4);
  });
});

describe('runBatch', () => {
  const item = (i: number) => ({ method: 'GET' as const, url: `/me/events/${i}`, schema: ok });
  const answer = (status: (id: number) => number, round: { n: number }) => (req: Seen) => {
    round.n++;
    const { requests } = req.body as { requests: { id: string; url: string }[] };
    return {
      status: 200,
      body: {
        responses: requests.map((r) => {
          const s = status(Number(r.id));
          return {
            id: r.id,
            status: s,
            headers: s === 429 ? { 'Retry-After': '3' } : {},
            body:
              s === 200
                ? { id: r.url.split('/').pop() }
                : s === 404
                  ? err('ErrorItemNotFound')
                  : undefined,
          };
        }),
      },
    };
  };

  it('splits 45 requests into envelopes of 20, 20, 5 and keeps the order of results', async () => {
    const round = { n: 0 };
    const { client, seen } = setup(answer((i) => (i === 7 ? 404 : 200), round));
    const results = await runBatch(
      client,
      Array.from({ length: 45 }, (_, i) => item(i)),
    );
    expect(seen.map((s) => (s.body as { requests: unknown[] }).requests.length)).toEqual([
      20, 20, 5,
    ]);
    expect(results.map((r) => (r.ok ? r.data.id : r.error.code))[7]).toBe('itemNotFound');
    expect(results.filter((r) => r.ok).map((r) => r.ok && r.data.id)).toHaveLength(44);
    expect(results[44]).toEqual({ ok: true, status: 200, data: { id: '44' } });
    const sub = (seen[0]?.body as { requests: { headers: Record<string, string> }[] }).requests[0];
    expect(sub?.headers.Prefer).toBe('IdType="ImmutableId", outlook.timezone="UTC"');
  });

  it('sends 429 items again after their Retry-After, and only them', async () => {
    const round = { n: 0 };
    const { client, seen, sleeps } = setup(
      answer((i) => (i % 2 === 0 && round.n === 1 ? 429 : 200), round),
    );
    const results = await runBatch(
      client,
      Array.from({ length: 6 }, (_, i) => item(i)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sleeps).toEqual([3000]);
    expect((seen[1]?.body as { requests: { id: string }[] }).requests.map((r) => r.id)).toEqual([
      '0',
      '2',
      '4',
    ]);
  });

  it('a malformed item body is that item’s invalidResponse', async () => {
    const { client } = setup([
      { status: 200, body: { responses: [{ id: '0', status: 200, body: { id: 1 } }] } },
    ]);
    const [r] = await runBatch(client, [item(0)]);
    expect(r?.ok === false && r.error.code).toBe('invalidResponse');
  });
});
