/**
 * Issue 14, item 4: a create replayed after the CRM's 24-hour idempotency window
 * (sandbox/crm/domain/idempotency.ts) makes no second activity. The run crashes between the CRM
 * create and the Outlook stamp; the CRM clock moves 25 hours on, so the key is forgotten; the
 * replay looks for the activity already carrying the event's Outlook link and finishes with it.
 * Both sandbox servers over real HTTP.
 */
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { TEST_CRM } from '../../support/crmServer';
import { startGraphServer } from '../../../sandbox/graph';
import { CrmSession } from '../../../src/crm';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../../src/sync/compose';
import { SyncError } from '../../../src/sync/core/errors';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { dexieStore, dbOf } from '../../support/store';

jest.setTimeout(120_000);

const MAILBOX = 'anna@contoso.example';
const memoryStore = (): CrmTokenStore => {
  let token: string | null = null;
  return {
    load: async () => token,
    save: async (t) => void (token = t),
    clear: async () => void (token = null),
  };
};

let crmServer: Awaited<ReturnType<typeof startCrmServer>>;
let graphServer: Awaited<ReturnType<typeof startGraphServer>>;

afterAll(async () => {
  await crmServer?.close();
  await graphServer?.close();
});

it('the 25-hour replay makes no duplicate: it finds the activity carrying the Outlook link', async () => {
  const start = Date.parse('2026-11-22T10:00:00Z');
  let crmMs = start;
  crmServer = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:', now: () => crmMs });
  graphServer = await startGraphServer({ port: 0, seedDemoData: false, now: () => start });
  const tokens = new SandboxTokenProvider({
    tokenUrl: `${graphServer.url}/sandbox/token`,
    mailbox: () => MAILBOX,
  });
  const graphToken = await tokens.getToken();
  const graph = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${graphServer.url}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.ok).toBe(true);
    return (await response.json()) as Record<string, unknown>;
  };
  const crmSession = await CrmSession.signIn({
    address: crmServer.url,
    apiKey: DEMO.apiKey,
    username: MAILBOX,
    password: DEMO.password,
    remember: false,
    tokenStore: memoryStore(),
    now: () => crmMs,
  });
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
    crmUserId: crmSession.userId,
  };
  const deps: EngineDeps = createEngineDeps({
    graphBaseUrl: `${graphServer.url}/v1.0`,
    graphTokens: tokens,
    crmSession,
    settings,
    calendarId: calendars.value.find((c) => c.isDefaultCalendar)!.id,
    holderId: 'late-replay-client',
    store: dexieStore(`late-replay-${Date.now()}@contoso.example`),
    lock: new InProcessRunLock(),
    clock: () => new Date(crmMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  await graph('POST', '/me/events', {
    subject: 'Replayed a day later',
    start: { dateTime: '2026-11-24T09:00:00', timeZone: 'UTC' },
    end: { dateTime: '2026-11-24T10:00:00', timeZone: 'UTC' },
  });
  const subjects = async () =>
    (await deps.crm.listWindow({ start: '2026-11-20T00:00:00Z', end: '2026-12-31T00:00:00Z' }))
      .filter((a) => a.item.subject === 'Replayed a day later' && !a.cancelled)
      .map((a) => a.id);

  // The first run crashes after the CRM create, before the Outlook stamp: the intent stays.
  const crashing: EngineDeps = {
    ...deps,
    outlook: Object.assign(Object.create(deps.outlook) as typeof deps.outlook, {
      stamp: () => Promise.reject(new SyncError('offline', 'The network went away')),
    }),
  };
  expect(await runSync(crashing)).toMatchObject({ state: 'failed' });
  expect(await subjects()).toHaveLength(1);
  expect(await dbOf(deps).outbox.count()).toBe(1);

  // 25 hours later the CRM has forgotten the Idempotency-Key; the replay must not create again.
  crmMs += 25 * 3_600_000;
  expect(await runSync(deps)).toMatchObject({ state: 'done' });
  const [only] = await subjects();
  expect(await subjects()).toEqual([only]);
  expect(await dbOf(deps).outbox.count()).toBe(0);
  expect(await deps.store.linkByCrmId('calendar', only!)).toBeDefined();
  const events = (await graph('GET', '/me/events?$top=100&$select=subject')) as {
    value: { subject: string }[];
  };
  expect(events.value.filter((e) => e.subject === 'Replayed a day later')).toHaveLength(1);
});
