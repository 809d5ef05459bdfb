/**
 * The one set-up for the engine over both sandbox servers (loopback HTTP): the reference CRM
 * server and the Graph emulator on ephemeral ports, a CRM session and a Graph token for the
 * mailbox, and `createEngineDeps` — the composition root the product uses — over a fresh
 * fake-indexeddb store. Optionally a rewriting proxy in front of either server (the engine then
 * reaches that server through it; the test's own calls below never do). Optionally every API
 * request each server answers counted (`count`, then `counted`).
 */
import type { FastifyInstance } from 'fastify';
import { buildCrmApp, DEMO } from '../../sandbox/crm';
import { buildGraphApp } from '../../sandbox/graph';
import { CrmSession } from '../../src/crm';
import type { CrmTokenStore } from '../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../src/sync/compose';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../src/sync/core/settings';
import type { EngineDeps } from '../../src/sync/engine/context';
import { InProcessRunLock } from '../../src/sync/engine/lock';
import { runSync, type RunOutcome } from '../../src/sync/engine/run';
import { TEST_CRM } from './crmServer';
import { settings as planSettings } from './planFixtures';
import { startRewritingProxy, type JsonRewrite, type RewritingProxy } from './rewritingProxy';
import { dexieStore } from './store';

export const MAILBOX = 'anna@contoso.example';
export const NOW = '2026-11-22T10:00:00Z';

type Json = Record<string, unknown>;

/** A call to Graph as one mailbox: the answer's JSON ({} when it has none); throws unless 2xx. */
export type GraphCall = <T = Json>(method: string, path: string, body?: unknown) => Promise<T>;

export interface TwoSidesOptions {
  /** The engine's holder id and its store's name (each call gets a store of its own). */
  readonly name?: string;
  readonly mailbox?: string;
  /** Over the defaults: planFixtures' settings with both directions 60 days ahead. */
  readonly settings?: Partial<SyncSettings>;
  /** The CRM server's and its session's clock in ms: NOW unless given (a test may move it on). */
  readonly crmNow?: () => number;
  /** The engine's clock: NOW unless given. */
  readonly clock?: () => string;
  /**
   * A rewriting proxy in front of a server, for each side named (null: a pass-through whose
   * `rewrite` the test sets later). The engine reaches that server through it.
   */
  readonly proxy?: { readonly crm?: JsonRewrite | null; readonly graph?: JsonRewrite | null };
  /** The CRM server offers its bulk operations (default true; false: a CRM without them). */
  readonly crmBulk?: boolean;
  /** Log every API request each server answers, for `counted`. */
  readonly count?: boolean;
}

/**
 * One API request a server answered (`/v1.0/…` on Graph, `/api/v1/…` on the CRM; never their own
 * `/sandbox` controls, the emulator's token endpoint among them), logged as it arrived — so
 * whoever sent it, the engine or the test, through a proxy or not.
 */
export interface Sent {
  readonly server: 'crm' | 'graph';
  readonly method: string;
  /**
   * Path and query as the server got them. A Graph `$batch` arrives as `POST /v1.0/$batch`, then
   * each of its sub-requests as a request of its own (the emulator runs them through its routes).
   */
  readonly path: string;
  /** For a 2xx JSON answer listing items (`value` on Graph, `items` on the CRM): how many. */
  entries?: number;
}

/** What `work` came to, and the API requests the servers answered while it ran. */
export interface Counted<T> {
  readonly value: T;
  /** Both servers' requests in the order they arrived. */
  readonly sent: readonly Sent[];
  /** `METHOD path` of each request, per server. */
  readonly crm: readonly string[];
  readonly graph: readonly string[];
}

export interface TwoSides {
  readonly deps: EngineDeps;
  /** The engine's CRM session (through the CRM proxy when there is one). */
  readonly session: CrmSession;
  /** The servers' own addresses. */
  readonly crmUrl: string;
  readonly graphUrl: string;
  readonly crmProxy: RewritingProxy | undefined;
  readonly graphProxy: RewritingProxy | undefined;
  /** Direct to the Graph emulator as the mailbox (`/sandbox/…` paths to its controls). */
  readonly graph: GraphCall;
  /** Every item of a Graph list, its `@odata.nextLink` pages followed (direct, as the mailbox). */
  graphAll<T>(path: string): Promise<T[]>;
  /** Direct to the Graph emulator as another mailbox. */
  graphAs(mailbox: string): Promise<GraphCall>;
  /** Direct to the CRM server's API as the signed-in user. */
  crm<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
  /** A session of its own, direct to the CRM server (never through the proxy). */
  signIn(username?: string): Promise<CrmSession>;
  /** The mailbox's default calendar, which the engine syncs. */
  readonly calendarId: string;
  /** Runs `work` with the request log emptied first (needs the `count` option). */
  counted<T>(work: () => Promise<T>): Promise<Counted<T>>;
  close(): Promise<void>;
}

const memoryTokens = (): CrmTokenStore => {
  let token: string | null = null;
  return {
    load: async () => token,
    save: async (t) => void (token = t),
    clear: async () => void (token = null),
  };
};

async function call<T>(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: {
      ...headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

/** Logs `server`'s requests under `prefix` into `log`, and how many items each answer listed. */
function countOn(app: FastifyInstance, server: Sent['server'], prefix: string, log: Sent[]): void {
  const entryOf = new WeakMap<object, Sent>();
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith(prefix)) return;
    const entry: Sent = { server, method: request.method, path: request.url };
    entryOf.set(request, entry);
    log.push(entry);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const entry = entryOf.get(request);
    if (entry === undefined || reply.statusCode >= 300 || typeof payload !== 'string')
      return payload;
    try {
      const body = JSON.parse(payload) as { value?: unknown; items?: unknown } | null;
      const list = body?.value ?? body?.items;
      if (Array.isArray(list)) entry.entries = list.length;
    } catch {
      // Not JSON: nothing listed.
    }
    return payload;
  });
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

let started = 0;

export async function startTwoSides(options: TwoSidesOptions = {}): Promise<TwoSides> {
  const mailbox = options.mailbox ?? MAILBOX;
  const name = options.name ?? 'two-sides';
  const fixed = Date.parse(NOW);
  const crmNow = options.crmNow ?? (() => fixed);
  const crmApp = await buildCrmApp({
    ...TEST_CRM,
    dbPath: ':memory:',
    now: crmNow,
    ...(options.crmBulk === false ? { bulk: false } : {}),
  });
  const graphApp = await buildGraphApp({ seedDemoData: false, now: () => fixed });
  const log: Sent[] = [];
  if (options.count) {
    countOn(crmApp, 'crm', '/api/v1/', log);
    countOn(graphApp, 'graph', '/v1.0/', log);
  }
  const crmServer = { url: await listen(crmApp), close: () => crmApp.close() };
  const graphServer = { url: await listen(graphApp), close: () => graphApp.close() };
  const crmProxy =
    options.proxy?.crm === undefined
      ? undefined
      : await startRewritingProxy(crmServer.url, options.proxy.crm);
  const graphProxy =
    options.proxy?.graph === undefined
      ? undefined
      : await startRewritingProxy(graphServer.url, options.proxy.graph);

  const tokensFor = (who: string) =>
    new SandboxTokenProvider({ tokenUrl: `${graphServer.url}/sandbox/token`, mailbox: () => who });
  const graphAs = async (who: string): Promise<GraphCall> => {
    const token = await tokensFor(who).getToken();
    return (method, path, body) =>
      call(
        `${graphServer.url}${path.startsWith('/sandbox') ? '' : '/v1.0'}${path}`,
        method,
        { authorization: `Bearer ${token}`, prefer: 'outlook.timezone="UTC"' },
        body,
      );
  };
  const signInAt = (address: string, username: string) =>
    CrmSession.signIn({
      address,
      apiKey: DEMO.apiKey,
      username,
      password: DEMO.password,
      remember: false,
      tokenStore: memoryTokens(),
      now: crmNow,
    });
  const tokens = tokensFor(mailbox);
  const graph = await graphAs(mailbox);
  const session = await signInAt(crmProxy?.url ?? crmServer.url, mailbox);
  const crm = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    call<T>(
      `${crmServer.url}/api/v1${path}`,
      method,
      {
        'x-api-key': DEMO.apiKey,
        authorization: `Bearer ${await session.accessToken()}`,
        ...headers,
      },
      body,
    );

  const calendars = await graph<{ value: { id: string; isDefaultCalendar: boolean }[] }>(
    'GET',
    '/me/calendars',
  );
  const settings: SyncSettings = {
    ...planSettings,
    outlookToCrm: { ...DEFAULT_DIRECTION, daysAhead: 60 },
    crmToOutlook: { ...DEFAULT_DIRECTION, daysAhead: 60 },
    mailbox,
    crmUserId: session.userId,
    ...options.settings,
  };
  const calendarId = calendars.value.find((c) => c.isDefaultCalendar)?.id ?? '';
  started += 1;
  const deps = createEngineDeps({
    graphBaseUrl: `${graphProxy?.url ?? graphServer.url}/v1.0`,
    graphTokens: tokens,
    crmSession: session,
    settings,
    calendarId,
    holderId: name,
    store: dexieStore(`${name}-${started}-${Date.now()}@contoso.example`),
    lock: new InProcessRunLock(),
    clock: options.clock ?? (() => NOW),
  });
  return {
    deps,
    session,
    crmUrl: crmServer.url,
    graphUrl: graphServer.url,
    crmProxy,
    graphProxy,
    graph,
    graphAll: async <T>(first: string) => {
      const out: T[] = [];
      for (let path: string | undefined = first; path !== undefined;) {
        const page: { value: T[]; '@odata.nextLink'?: string } = await graph('GET', path);
        out.push(...page.value);
        path = page['@odata.nextLink']?.replace(/^.*\/v1\.0/, '');
      }
      return out;
    },
    graphAs,
    crm,
    signIn: (username = mailbox) => signInAt(crmServer.url, username),
    calendarId,
    async counted<T>(work: () => Promise<T>): Promise<Counted<T>> {
      if (!options.count) throw new Error('counted needs startTwoSides({ count: true })');
      log.length = 0;
      const value = await work();
      const sent = [...log];
      const lines = (server: Sent['server']) =>
        sent.filter((s) => s.server === server).map((s) => `${s.method} ${s.path}`);
      return { value, sent, crm: lines('crm'), graph: lines('graph') };
    },
    async close() {
      await crmProxy?.close();
      await graphProxy?.close();
      await crmServer.close();
      await graphServer.close();
    },
  };
}

/** One engine run that must end done, and the API requests it made (needs the `count` option). */
export async function countedRun(sides: TwoSides): Promise<Counted<RunOutcome>> {
  const run = await sides.counted(() => runSync(sides.deps, {}));
  if (run.value.state !== 'done') throw new Error(`run ended ${run.value.state}`);
  return run;
}

/** The i-th one-hour slot of the coming days (09:00–17:00 UTC), as UTC instants. */
export function slot(i: number): { start: string; end: string } {
  const day = Math.floor(i / 8);
  const hour = 9 + (i % 8);
  const date = new Date(Date.UTC(2026, 10, 23 + day, hour));
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return { start: iso(date), end: iso(new Date(date.getTime() + 3_600_000)) };
}
