/**
 * The engine through both sandbox servers over real HTTP (issue 4): a first sync of a calendar
 * whose 200 items already exist on both sides links them all without a single duplicate, and a
 * change on either side reaches the other.
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
let deps: EngineDeps;
let graphToken: string;

async function graph(
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${graphServer.url}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
}

async function allEvents(): Promise<{ id: string; subject: string; location: string }[]> {
  const out: { id: string; subject: string; location: string }[] = [];
  let path = `/me/events?$top=100&$select=id,subject,location`;
  for (;;) {
    const page = (await graph('GET', path)) as {
      value: { id: string; subject: string; location?: { displayName?: string } }[];
      '@odata.nextLink'?: string;
    };
    out.push(
      ...page.value.map((e) => ({
        id: e.id,
        subject: e.subject,
        location: e.location?.displayName ?? '',
      })),
    );
    if (!page['@odata.nextLink']) return out;
    path = page['@odata.nextLink'].replace(/^.*\/v1\.0/, '');
  }
}

function slot(i: number): { start: string; end: string } {
  // 200 one-hour items over the coming days, 09:00–17:00 UTC.
  const day = Math.floor(i / 8);
  const hour = 9 + (i % 8);
  const date = new Date(Date.UTC(2026, 10, 23 + day, hour));
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return { start: iso(date), end: iso(new Date(date.getTime() + 3_600_000)) };
}

beforeAll(async () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  // A CRM with the demo users and types but without the demo activities would be cleaner; the
  // demo activities are part of what must sync without duplicates, so they stay.
  crmServer = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:', now: () => now });
  graphServer = await startGraphServer({ port: 0, seedDemoData: false, now: () => now });
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
    now: () => now,
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
  deps = createEngineDeps({
    graphBaseUrl: `${graphServer.url}/v1.0`,
    graphTokens: tokens,
    crmSession,
    settings,
    calendarId: calendars.value.find((c) => c.isDefaultCalendar)!.id,
    holderId: 'integration-client',
    store: dexieStore(`sandbox-sync-${Date.now()}@contoso.example`),
    lock: new InProcessRunLock(),
    clock: () => '2026-11-22T10:00:00Z',
  });

  // The same 200 items on both sides, made independently (no stamps): the first sync must link.
  for (let i = 0; i < 200; i += 1) {
    const { start, end } = slot(i);
    const subject = `Existing item ${i}`;
    await graph('POST', '/me/events', {
      subject,
      start: { dateTime: start.slice(0, -1), timeZone: 'UTC' },
      end: { dateTime: end.slice(0, -1), timeZone: 'UTC' },
    });
    await deps.crm.create(
      {
        item: {
          subject,
          time: { kind: 'timed', start, end, timeZone: 'Europe/Helsinki' },
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
      { idempotencyKey: `seed-${i}` },
    );
  }
});

afterAll(async () => {
  await crmServer?.close();
  await graphServer?.close();
});

it('first sync links the 200 existing pairs without a single duplicate', async () => {
  const outcome = await runSync(deps);
  expect(outcome).toMatchObject({ state: 'done' });
  if (outcome.state !== 'done') return;
  expect(outcome.counts.link).toBe(200);
  const events = await allEvents();
  const seeded = events.filter((e) => e.subject.startsWith('Existing item '));
  expect(seeded).toHaveLength(200);
  expect(new Set(events.map((e) => e.subject)).size).toBe(events.length);
  expect(await dbOf(deps).links.count()).toBe(events.length);

  // A second run writes nothing new.
  const again = await runSync(deps);
  expect(again).toMatchObject({ state: 'done' });
  if (again.state === 'done') {
    expect(Object.keys(again.counts).filter((op) => op !== 'rebase')).toEqual([]);
  }
  expect(await allEvents()).toHaveLength(events.length);
});

it('a change in the Graph emulator reaches the CRM server, and one in the CRM reaches the emulator', async () => {
  const target = (await allEvents()).find((e) => e.subject === 'Existing item 7')!;
  await graph('PATCH', `/me/events/${target.id}`, {
    subject: 'Existing item 7 (moved in Outlook)',
  });
  expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { updateCrm: 1 } });
  const link = await dbOf(deps).links.get(target.id);
  const activity = await deps.crm.get(link!.crmId);
  expect(activity?.item.subject).toBe('Existing item 7 (moved in Outlook)');

  await deps.crm.update(
    activity!.id,
    { ...activity!.item, location: 'Room from the CRM' },
    { etag: activity!.etag },
  );
  expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { updateOutlook: 1 } });
  const event = (await allEvents()).find((e) => e.id === target.id);
  expect(event).toMatchObject({
    subject: 'Existing item 7 (moved in Outlook)',
    location: 'Room from the CRM',
  });
});
