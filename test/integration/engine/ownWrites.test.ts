/**
 * Issue 15 item 5 and issue 16 item 2 through both sandbox servers over real HTTP: 5 + 5 creates
 * read nothing back (every request the engine sends is counted on its way out, $batch
 * sub-requests included), the run right after them reads no echo, and the engine's own fresh
 * copy deleted before the next run is seen by that run (the emulator reports that deletion
 * either way; test/unit/sync/ownWrites.test.ts has the fake that does not).
 */
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { TEST_CRM } from '../../support/crmServer';
import { startGraphServer } from '../../../sandbox/graph';
import { CrmSession } from '../../../src/crm';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../../src/sync/compose';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync, type RunOutcome } from '../../../src/sync/engine/run';
import { dexieStore, dbOf } from '../../support/store';

jest.setTimeout(120_000);

const MAILBOX = 'anna@contoso.example';
const NOW = Date.parse('2026-11-22T10:00:00Z');
const memoryStore = (): CrmTokenStore => {
  let token: string | null = null;
  return {
    load: async () => token,
    save: async (t) => void (token = t),
    clear: async () => void (token = null),
  };
};

/** One request the engine sent: which server, method, path (a $batch's sub-requests each). */
interface Sent {
  readonly server: 'graph' | 'crm';
  readonly method: string;
  readonly path: string;
  /** For a delta page or a change-feed page: how many entries it answered. */
  entries?: number;
}

let crmServer: Awaited<ReturnType<typeof startCrmServer>>;
let graphServer: Awaited<ReturnType<typeof startGraphServer>>;
let deps: EngineDeps;
let graphToken: string;
let calendarId: string;
const sent: Sent[] = [];
const realFetch = globalThis.fetch;

/** Counts what goes to either server on its way out, then sends it unchanged. */
async function countingFetch(input: string | URL | Request, init?: RequestInit) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const server = url.origin === new URL(graphServer.url).origin ? 'graph' : 'crm';
  const method = (init?.method ?? 'GET').toUpperCase();
  const path = `${url.pathname}${url.search}`;
  if (server === 'graph' && path.startsWith('/v1.0/$batch') && typeof init?.body === 'string') {
    const batch = JSON.parse(init.body) as { requests: { method: string; url: string }[] };
    for (const r of batch.requests) sent.push({ server, method: r.method, path: r.url });
  } else sent.push({ server, method, path });
  const entry = sent[sent.length - 1]!;
  const answer = await realFetch(input, init);
  if (/calendarView\/delta|\/activities\/changes/.test(path) && answer.ok) {
    const body = (await answer.clone().json()) as { value?: unknown[]; items?: unknown[] };
    entry.entries = (body.value ?? body.items ?? []).length;
  }
  return answer;
}

async function graph(method: string, path: string, body?: unknown) {
  const response = await realFetch(`${graphServer.url}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
}

const hourOn = (day: number, hour: number) =>
  new Date(Date.UTC(2026, 10, day, hour)).toISOString().replace('.000Z', 'Z');

async function seed(round: number): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    const start = hourOn(24 + round, 8 + i);
    await graph('POST', `/me/calendars/${calendarId}/events`, {
      subject: `Outlook ${round}.${i}`,
      start: { dateTime: start.slice(0, -1), timeZone: 'UTC' },
      end: { dateTime: hourOn(24 + round, 9 + i).slice(0, -1), timeZone: 'UTC' },
    });
    await deps.crm.create(
      {
        item: {
          subject: `CRM ${round}.${i}`,
          time: {
            kind: 'timed',
            start: hourOn(24 + round, 14 + i),
            end: hourOn(24 + round, 15 + i),
            timeZone: 'Europe/Helsinki',
          },
          location: '',
          description: '',
          isPrivate: false,
          showAs: 'busy',
          reminderMinutes: 15,
          participants: [],
          recurrence: null,
          occurrenceOf: null,
          isCancelled: false,
        },
        typeId: 'typ_meeting',
      },
      { idempotencyKey: `seed-${round}-${i}` },
    );
  }
}

/** A GET of one item: an event by id (alone or in a $batch), an activity by id. */
function isItemRead(s: Sent): boolean {
  if (s.method !== 'GET') return false;
  const path = s.path.replace(/^\/v1\.0/, '').split('?')[0] ?? '';
  if (s.server === 'graph') return /^\/me\/(calendars\/[^/]+\/)?events\/[^/]+$/.test(path);
  return /\/activities\/[^/]+$/.test(path) && !path.endsWith('/changes');
}

/** What a run wrote (a rebase is bookkeeping: the demo's series are read again once, see below). */
const countsOf = (outcome: RunOutcome) =>
  Object.fromEntries(
    Object.entries(outcome.state === 'done' ? outcome.counts : {}).filter(
      ([op]) => op !== 'rebase',
    ),
  );

beforeAll(async () => {
  crmServer = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:', now: () => NOW });
  graphServer = await startGraphServer({ port: 0, seedDemoData: false, now: () => NOW });
  const tokens = new SandboxTokenProvider({
    tokenUrl: `${graphServer.url}/sandbox/token`,
    mailbox: () => MAILBOX,
  });
  graphToken = await tokens.getToken();
  const crmSession = await CrmSession.signIn({
    address: crmServer.url,
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
  calendarId = calendars.value.find((c) => c.isDefaultCalendar)!.id;
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
    crmUserId: crmSession.userId,
  };
  deps = createEngineDeps({
    graphBaseUrl: `${graphServer.url}/v1.0`,
    graphTokens: tokens,
    crmSession,
    settings,
    calendarId,
    holderId: 'own-writes-client',
    store: dexieStore(`own-writes-${Date.now()}@contoso.example`),
    lock: new InProcessRunLock(),
    clock: () => new Date(NOW).toISOString().replace('.000Z', 'Z'),
  });
  // The demo company's own activities are synced first, so that the counted run is 5 + 5.
  expect(await runSync(deps)).toMatchObject({ state: 'done' });
  globalThis.fetch = countingFetch as typeof fetch;
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await crmServer?.close();
  await graphServer?.close();
});

it('issue 16 item 2: 5 + 5 creates make no read-back GET, and the run right after reads no echo', async () => {
  await seed(0);
  sent.length = 0;
  const outcome = await runSync(deps);
  expect(countsOf(outcome)).toEqual({ createInCrm: 5, createInOutlook: 5 });
  const firstWrite = sent.findIndex((s) => s.method !== 'GET');
  expect(firstWrite).toBeGreaterThan(0);
  const readBacks = sent.slice(firstWrite).filter(isItemRead);
  expect(readBacks).toEqual([]);
  // After the first write: per item its create and its link write, and one round per side
  // past them (fewer once writes are batched or bulk).
  const after = sent.slice(firstWrite);
  if (process.env.OWN_WRITES_LOG)
    console.log(after.map((s) => `${s.server} ${s.method} ${s.path}`));
  expect(after.filter((s) => s.server === 'graph').length).toBeLessThanOrEqual(5 + 5 + 1);
  // The CRM's also take and give back the sync lease.
  expect(after.filter((s) => s.server === 'crm').length).toBeLessThanOrEqual(5 + 5 + 1 + 2);

  sent.length = 0;
  const next = await runSync(deps);
  expect(countsOf(next)).toEqual({});
  // One page each, and nothing on it: the engine's own writes are behind both cursors.
  expect(sent.filter((s) => s.server === 'graph')).toEqual([
    expect.objectContaining({ method: 'GET', entries: 0 }),
  ]);
  expect(sent.filter((s) => s.server === 'crm')).toEqual([
    expect.objectContaining({ method: 'GET', entries: 0 }),
  ]);
});

it('SPEC D1 (issue 15 item 5): the engine’s own Outlook copy deleted before the next run cancels its activity at that run', async () => {
  await seed(1);
  expect(countsOf(await runSync(deps))).toEqual({ createInCrm: 5, createInOutlook: 5 });
  const copy = (await dbOf(deps).links.toArray()).find((l) => l.outlookBase.subject === 'CRM 1.0');
  expect(copy).toBeDefined();
  await graph('DELETE', `/me/events/${copy!.outlookId}`);

  expect(countsOf(await runSync(deps))).toEqual({ cancelInCrm: 1 });
  expect((await deps.crm.get(copy!.crmId))?.cancelled).toBe(true);
});
