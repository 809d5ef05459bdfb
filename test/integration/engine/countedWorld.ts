/**
 * Both sandbox servers on loopback with every API request they answer counted (their own
 * /sandbox controls are not the engine's), and an engine wired by the composition root — for the
 * request-count tests of issue 16 (contactsCadence.test.ts, bulkCreates.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import { buildCrmApp, DEMO } from '../../../sandbox/crm';
import { buildGraphApp } from '../../../sandbox/graph';
import { CrmSession } from '../../../src/crm';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../../src/sync/compose';
import type { ContactSettings } from '../../../src/sync/core/contacts/types';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { TEST_CRM } from '../../support/crmServer';
import { dexieStore } from '../../support/store';

export const MAILBOX = 'anna@contoso.example';
export const NOW = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60_000;

const memoryStore = (): CrmTokenStore => {
  let token: string | null = null;
  return {
    load: async () => token,
    save: async (t) => void (token = t),
    clear: async () => void (token = null),
  };
};

function counted(app: FastifyInstance, prefix: string): string[] {
  const requests: string[] = [];
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith(prefix)) requests.push(`${request.method} ${request.url}`);
  });
  return requests;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

export interface CountedWorld {
  readonly deps: EngineDeps;
  readonly crmUrl: string;
  /** One run at `minutes` after NOW (the engine's clock); the requests it made on each side. */
  runAt(minutes: number): Promise<{ crm: string[]; graph: string[] }>;
  /** A CRM API call as the signed-in user. */
  crm(method: string, path: string, body?: unknown, etag?: string): Promise<{ etag: string }>;
  /** A Graph call as the mailbox. */
  graph(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startCountedWorld(opts: {
  readonly contacts?: ContactSettings;
  /** The CRM offers its bulk operations (default true). */
  readonly crmBulk?: boolean;
  readonly name: string;
}): Promise<CountedWorld> {
  const crmApp = await buildCrmApp({
    ...TEST_CRM,
    dbPath: ':memory:',
    now: () => NOW,
    ...(opts.crmBulk === false ? { bulk: false } : {}),
  });
  const graphApp = await buildGraphApp({ seedDemoData: false, now: () => NOW });
  const crmRequests = counted(crmApp, '/api/v1/');
  const graphRequests = counted(graphApp, '/v1.0/');
  const crmUrl = await listen(crmApp);
  const graphUrl = await listen(graphApp);
  const tokens = new SandboxTokenProvider({
    tokenUrl: `${graphUrl}/sandbox/token`,
    mailbox: () => MAILBOX,
  });
  const graph = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${graphUrl}/v1.0${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokens.getToken()}`,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
    return res.status === 204 ? {} : ((await res.json()) as unknown);
  };
  const session = await CrmSession.signIn({
    address: crmUrl,
    apiKey: DEMO.apiKey,
    username: MAILBOX,
    password: DEMO.password,
    remember: false,
    tokenStore: memoryStore(),
    now: () => NOW,
  });
  const calendars = (await graph('GET', '/me/calendars')) as {
    value: { id: string; isDefaultCalendar: boolean }[];
  };
  const settings: SyncSettings = {
    outlookToCrm: { ...DEFAULT_DIRECTION, daysAhead: 7 },
    crmToOutlook: { ...DEFAULT_DIRECTION, daysAhead: 7 },
    defaultTypeId: 'typ_meeting',
    personalTypeId: 'typ_personal',
    privateMode: 'full',
    busySubject: 'Busy',
    conflictPolicy: 'newest-wins',
    timeZone: 'Europe/Helsinki',
    mailbox: MAILBOX,
    crmUserId: session.userId,
    ...(opts.contacts ? { contacts: opts.contacts } : {}),
  };
  let engineNow = NOW;
  const deps = createEngineDeps({
    graphBaseUrl: `${graphUrl}/v1.0`,
    graphTokens: tokens,
    crmSession: session,
    settings,
    calendarId: calendars.value.find((c) => c.isDefaultCalendar)!.id,
    holderId: opts.name,
    store: dexieStore(`${opts.name}-${Date.now()}@contoso.example`),
    lock: new InProcessRunLock(),
    clock: () => new Date(engineNow).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  return {
    deps,
    crmUrl,
    async runAt(minutes) {
      engineNow = NOW + minutes * MINUTE;
      crmRequests.length = 0;
      graphRequests.length = 0;
      const outcome = await runSync(deps, {});
      if (outcome.state !== 'done') throw new Error(`run ended ${outcome.state}`);
      return { crm: [...crmRequests], graph: [...graphRequests] };
    },
    async crm(method, path, body, etag) {
      const res = await fetch(`${crmUrl}/api/v1${path}`, {
        method,
        headers: {
          'x-api-key': DEMO.apiKey,
          authorization: `Bearer ${await session.accessToken()}`,
          'content-type': 'application/json',
          ...(etag ? { 'if-match': etag } : {}),
          ...(method === 'POST'
            ? { 'idempotency-key': `world-${Date.now()}-${Math.random()}` }
            : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
      return (await res.json()) as { etag: string };
    },
    graph,
    close: async () => {
      await crmApp.close();
      await graphApp.close();
    },
  };
}
