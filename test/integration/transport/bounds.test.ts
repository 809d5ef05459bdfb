/**
 * Issue 14, item 2 (transport): hostile services on loopback HTTP — a huge Retry-After, a feed
 * that never ends, a nextLink cycle, a nextLink to another origin, redirects — against the real
 * CRM and Graph clients. Each must end in a bounded, clear error with nothing sent where it does
 * not belong.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCrmActivities } from '../../../src/crm';
import { CrmHttp } from '../../../src/crm/http';
import { CrmSession } from '../../../src/crm/session';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';
import { readChanges } from '../../../src/outlook/deltaReader';
import { GraphClient } from '../../../src/outlook/graphClient';
import { MAX_RETRY_AFTER_MS, SyncError } from '../../../src/sync/core/errors';
import { MAX_PAGES } from '../../../src/transport/bounds';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly apiKey: string | undefined;
  readonly body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: readonly Seen[]) => void;

/** A loopback HTTP server that records every request it gets. */
async function serve(handler: Handler) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        apiKey: req.headers['x-api-key'] as string | undefined,
        body,
      });
      handler(req, res, seen);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected a SyncError');
}

const sleeps: number[] = [];
const recordSleep = async (ms: number) => void sleeps.push(ms);
beforeEach(() => (sleeps.length = 0));

const tokens = { getToken: async () => 'graph-token' };
const window = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };
const ctx = { personZone: 'Europe/Helsinki' };
const page = (extra: Record<string, string>) => ({ value: [], ...extra });

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(handler: Handler) {
  const s = await serve(handler);
  servers.push(s);
  return s;
}

describe('the huge Retry-After', () => {
  // 2^31 − 1 ms is 24.8 days: setTimeout fires at once past it. 30 days:
  const HUGE = String(30 * 24 * 3600);

  it('CRM: one request, no tight loop, and the error asks for at most an hour', async () => {
    const crm = await server((_req, res) =>
      json(res, 429, { code: 'rate-limited', status: 429 }, { 'retry-after': HUGE }),
    );
    const http = new CrmHttp({ address: crm.url, apiKey: 'KEY', sleep: recordSleep });
    const error = await failure(
      http.call({ method: 'GET', path: '/me', schema: null, auth: null }),
    );
    expect(error.code).toBe('throttled');
    expect(error.retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(crm.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('Graph: one request, no tight loop, and the error asks for at most an hour', async () => {
    const graph = await server((_req, res) =>
      json(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': HUGE }),
    );
    const client = new GraphClient({ baseUrl: `${graph.url}/v1.0`, tokens, sleep: recordSleep });
    const error = await failure(client.request({ method: 'GET', path: '/me', schema: null }));
    expect(error.code).toBe('throttled');
    expect(error.retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(graph.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('an error built from any Retry-After stays within [0, one hour]', () => {
    const far = new SyncError('throttled', 'x', { retryAfterMs: 2 ** 40 });
    const past = new SyncError('throttled', 'x', { retryAfterMs: -5 });
    expect([far.retryAfterMs, past.retryAfterMs]).toEqual([MAX_RETRY_AFTER_MS, 0]);
  });
});

describe('the endless feed', () => {
  it('a CRM change feed answering hasMore: true for ever ends with a clear error', async () => {
    let n = 0;
    const crm = await server((_req, res) =>
      json(res, 200, { items: [], nextCursor: `c${(n += 1)}`, hasMore: true }),
    );
    // The product's bound is MAX_PAGES (1,000); a smaller one keeps the test short.
    const http = new CrmHttp({ address: crm.url, apiKey: 'KEY', maxPages: 25 });
    const auth = { accessToken: async () => 'at', refreshAfterExpiry: async () => 'at' };
    const error = await failure(createCrmActivities({ http, ...auth }).changes('start'));
    expect(error.code).toBe('invalidResponse');
    expect(error.message).toMatch(/kept sending more pages/);
    expect(crm.seen).toHaveLength(25);
    expect(MAX_PAGES).toBeGreaterThanOrEqual(100);
  });

  it('a CRM change feed handing back a cursor it sent before stops at once', async () => {
    const crm = await server((_req, res) =>
      json(res, 200, { items: [], nextCursor: 'same', hasMore: true }),
    );
    const http = new CrmHttp({ address: crm.url, apiKey: 'KEY' });
    const auth = { accessToken: async () => 'at', refreshAfterExpiry: async () => 'at' };
    const error = await failure(createCrmActivities({ http, ...auth }).changes('start'));
    expect(error.message).toMatch(/cycle/);
    expect(crm.seen).toHaveLength(2);
  });

  it('endless distinct Graph nextLinks end the delta read with a clear error', async () => {
    let n = 0;
    const graph = await server((req, res) =>
      json(
        res,
        200,
        page({ '@odata.nextLink': `http://${req.headers.host}/v1.0/d?p=${(n += 1)}` }),
      ),
    );
    const client = new GraphClient({ baseUrl: `${graph.url}/v1.0`, tokens, maxPages: 25 });
    const error = await failure(readChanges(client, ctx, 'cal', window, null));
    expect(error.message).toMatch(/kept sending more pages/);
    expect(graph.seen).toHaveLength(25);
  });

  it('a Graph nextLink cycle ends the delta read with a clear error', async () => {
    const graph = await server((req, res) => {
      const self = `http://${req.headers.host}`;
      // Page 1 → page 2 → page 1 again.
      const next = req.url?.includes('page=2') ? 'page=1' : 'page=2';
      json(res, 200, page({ '@odata.nextLink': `${self}/v1.0/delta?${next}` }));
    });
    const client = new GraphClient({ baseUrl: `${graph.url}/v1.0`, tokens });
    const error = await failure(
      readChanges(client, ctx, 'cal', window, `${graph.url}/v1.0/delta?page=1`),
    );
    expect(error.code).toBe('invalidResponse');
    expect(error.message).toMatch(/cycle/);
    expect(graph.seen).toHaveLength(2);
  });
});

describe('tokens only to their origin', () => {
  it('token not sent to a foreign nextLink origin', async () => {
    const foreign = await server((_req, res) => json(res, 200, page({})));
    const graph = await server((_req, res) =>
      json(res, 200, page({ '@odata.nextLink': `${foreign.url}/v1.0/steal?page=2` })),
    );
    const client = new GraphClient({ baseUrl: `${graph.url}/v1.0`, tokens });
    const error = await failure(readChanges(client, ctx, 'cal', window, null));
    expect(error.code).toBe('invalidResponse');
    expect(error.message).toMatch(/another origin/);
    expect(graph.seen.map((s) => s.authorization)).toEqual(['Bearer graph-token']);
    expect(foreign.seen).toEqual([]);
  });

  it('an absolute link on Graph’s own origin is followed, with the token', async () => {
    const graph = await server((req, res) => {
      const self = `http://${req.headers.host}`;
      if (req.url?.includes('page=2')) json(res, 200, page({ '@odata.deltaLink': `${self}/d` }));
      else json(res, 200, page({ '@odata.nextLink': `${self}/v1.0/delta?page=2` }));
    });
    const client = new GraphClient({ baseUrl: `${graph.url}/v1.0`, tokens });
    const changes = await readChanges(client, ctx, 'cal', window, null);
    expect(changes.deltaLink).toBe(`${graph.url}/d`);
    expect(graph.seen.map((s) => s.authorization)).toEqual([
      'Bearer graph-token',
      'Bearer graph-token',
    ]);
  });
});

describe('redirect with credentials refused', () => {
  const memoryStore = (): CrmTokenStore => ({
    load: async () => null,
    save: async () => undefined,
    clear: async () => undefined,
  });

  it.each([301, 302, 307, 308])(
    'CRM sign-in answered %i: neither the API key nor the password reaches the target',
    async (status) => {
      const target = await server((_req, res) => json(res, 201, {}));
      const crm = await server((req, res) => {
        res.writeHead(status, { location: `${target.url}${req.url ?? ''}` });
        res.end();
      });
      const error = await failure(
        CrmSession.signIn({
          address: crm.url,
          apiKey: 'SECRET-KEY',
          username: 'anna@contoso.example',
          password: 'Pa55-word!',
          remember: false,
          tokenStore: memoryStore(),
          transport: { sleep: recordSleep },
        }),
      );
      expect(error.code).toBe('crmRedirected');
      expect(error.kind).toBe('offline');
      expect(crm.seen).toHaveLength(1); // not retried either
      expect(target.seen).toEqual([]);
    },
  );

  it('Graph answered 307: the bearer token does not follow', async () => {
    const target = await server((_req, res) => json(res, 200, page({})));
    const graph = await server((req, res) => {
      res.writeHead(307, { location: `${target.url}${req.url ?? ''}` });
      res.end();
    });
    const client = new GraphClient({ baseUrl: `${graph.url}/v1.0`, tokens, sleep: recordSleep });
    const error = await failure(client.request({ method: 'GET', path: '/me', schema: null }));
    expect(error.code).toBe('serverError');
    expect(error.message).toMatch(/redirect/);
    expect(target.seen).toEqual([]);
  });
});
