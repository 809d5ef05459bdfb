/**
 * The one set-up for the engine over both sandbox servers (loopback HTTP): the reference CRM
 * server and the Graph emulator on ephemeral ports, a CRM session and a Graph token for the
 * mailbox, and `createEngineDeps` — the composition root the product uses — over a fresh
 * fake-indexeddb store. Optionally a rewriting proxy in front of either server (the engine then
 * reaches that server through it; the test's own calls below never do).
 */
import { DEMO, startCrmServer } from '../../sandbox/crm';
import { startGraphServer } from '../../sandbox/graph';
import { CrmSession } from '../../src/crm';
import type { CrmTokenStore } from '../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../src/sync/compose';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../src/sync/core/settings';
import type { EngineDeps } from '../../src/sync/engine/context';
import { InProcessRunLock } from '../../src/sync/engine/lock';
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

let started = 0;

export async function startTwoSides(options: TwoSidesOptions = {}): Promise<TwoSides> {
  const mailbox = options.mailbox ?? MAILBOX;
  const name = options.name ?? 'two-sides';
  const fixed = Date.parse(NOW);
  const crmNow = options.crmNow ?? (() => fixed);
  const crmServer = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:', now: crmNow });
  const graphServer = await startGraphServer({ port: 0, seedDemoData: false, now: () => fixed });
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
  started += 1;
  const deps = createEngineDeps({
    graphBaseUrl: `${graphProxy?.url ?? graphServer.url}/v1.0`,
    graphTokens: tokens,
    crmSession: session,
    settings,
    calendarId: calendars.value.find((c) => c.isDefaultCalendar)?.id ?? '',
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
    async close() {
      await crmProxy?.close();
      await graphProxy?.close();
      await crmServer.close();
      await graphServer.close();
    },
  };
}

/** The i-th one-hour slot of the coming days (09:00–17:00 UTC), as UTC instants. */
export function slot(i: number): { start: string; end: string } {
  const day = Math.floor(i / 8);
  const hour = 9 + (i % 8);
  const date = new Date(Date.UTC(2026, 10, 23 + day, hour));
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return { start: iso(date), end: iso(new Date(date.getTime() + 3_600_000)) };
}
