/**
 * One engine over the real sandbox servers (as test/integration/engine/sandboxSync.test.ts sets
 * it up), each behind a tamper proxy: the corpus runner seeds both sides, runs the sync and
 * reads both servers directly to see what became of every item.
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
import { TEST_CRM } from '../support/crmServer';
import { dexieStore } from '../support/store';
import { byId, startRewritingProxy, type RewritingProxy } from '../support/rewritingProxy';
import type { JsonObject } from './types';

export const MAILBOX = 'anna@contoso.example';
export const NOW = '2026-11-22T10:00:00Z';

/** A rewriting proxy that shows each registered object (by id) as its function makes it. */
export interface TamperProxy extends RewritingProxy {
  /** Object id → how answers show that object. */
  readonly tamper: Map<string, (value: JsonObject) => JsonObject>;
}

async function startTamperProxy(upstream: string): Promise<TamperProxy> {
  const tamper = new Map<string, (value: JsonObject) => JsonObject>();
  return Object.assign(await startRewritingProxy(upstream, byId(tamper)), { tamper });
}

export interface World {
  readonly deps: EngineDeps;
  readonly crmUrl: string;
  readonly graphUrl: string;
  readonly crmProxy: TamperProxy;
  readonly graphProxy: TamperProxy;
  /** Direct to the Graph emulator (never through the proxy). */
  graph(method: string, path: string, body?: unknown): Promise<JsonObject>;
  /** Direct to the CRM server as the signed-in user (never through the proxy). */
  crm(method: string, path: string, body?: unknown): Promise<JsonObject>;
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

async function json(response: Response, what: string): Promise<JsonObject> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? {} : ((await response.json()) as JsonObject);
}

let worlds = 0;

export async function startWorld(): Promise<World> {
  const now = Date.parse(NOW);
  const crmServer = await startCrmServer({
    ...TEST_CRM,
    port: 0,
    dbPath: ':memory:',
    now: () => now,
  });
  const graphServer = await startGraphServer({ port: 0, seedDemoData: false, now: () => now });
  const crmProxy = await startTamperProxy(crmServer.url);
  const graphProxy = await startTamperProxy(graphServer.url);
  const tokens = new SandboxTokenProvider({
    tokenUrl: `${graphServer.url}/sandbox/token`,
    mailbox: () => MAILBOX,
  });
  const graphToken = await tokens.getToken();
  const session = await CrmSession.signIn({
    address: crmProxy.url,
    apiKey: DEMO.apiKey,
    username: MAILBOX,
    password: DEMO.password,
    remember: false,
    tokenStore: memoryTokens(),
    now: () => now,
  });
  const graph = async (method: string, path: string, body?: unknown) =>
    json(
      await fetch(`${graphServer.url}${path.startsWith('/sandbox') ? '' : '/v1.0'}${path}`, {
        method,
        headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
      `Graph ${method} ${path}`,
    );
  let keys = 0;
  const crm = async (method: string, path: string, body?: unknown) =>
    json(
      await fetch(`${crmServer.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await session.accessToken()}`,
          'x-api-key': DEMO.apiKey,
          'content-type': 'application/json',
          ...(method === 'POST' ? { 'idempotency-key': `corpus-seed-${(keys += 1)}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
      `CRM ${method} ${path}`,
    );
  const calendars = (await graph('GET', '/me/calendars')) as {
    value: { id: string; isDefaultCalendar: boolean }[];
  };
  const settings: SyncSettings = {
    outlookToCrm: { ...DEFAULT_DIRECTION, daysAhead: 60 },
    crmToOutlook: { ...DEFAULT_DIRECTION, daysAhead: 60 },
    defaultTypeId: 'typ_meeting',
    personalTypeId: 'typ_personal',
    privateMode: 'full',
    busySubject: 'Busy',
    conflictPolicy: 'newest-wins',
    timeZone: 'Europe/Helsinki',
    mailbox: MAILBOX,
    crmUserId: session.userId,
  };
  worlds += 1;
  const deps = createEngineDeps({
    graphBaseUrl: `${graphProxy.url}/v1.0`,
    graphTokens: tokens,
    crmSession: session,
    settings,
    calendarId: calendars.value.find((c) => c.isDefaultCalendar)!.id,
    holderId: `corpus-${worlds}`,
    store: dexieStore(`corpus-${worlds}-${Date.now()}@contoso.example`),
    lock: new InProcessRunLock(),
    clock: () => NOW,
  });
  return {
    deps,
    crmUrl: crmServer.url,
    graphUrl: graphServer.url,
    crmProxy,
    graphProxy,
    graph,
    crm,
    async close() {
      await crmProxy.close();
      await graphProxy.close();
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
