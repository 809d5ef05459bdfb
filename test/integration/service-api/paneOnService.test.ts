/**
 * The pane as the service's control surface (issue 17, item 6), over real HTTP: a real CRM session
 * (the reference CRM), the service's control API over a SQLite-backed ServiceControl, and the
 * pane's composition-root pieces (ServiceSites) deciding where sync runs. With a service the pane's
 * own StartSync is never called; without one it is, as before.
 */
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { CrmSession } from '../../../src/crm/session';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';
import { listenControlApi } from '../../../src/service/api/controlApi';
import { crmVerifier } from '../../../src/service/api/verifyCaller';
import type { AskedBrake } from '../../../src/service/control';
import type { Connection } from '../../../src/taskpane/connection/connectionService';
import { SERVICE_POLL_MS } from '../../../src/taskpane/syncService/serviceController';
import { ServiceSites } from '../../../src/taskpane/syncService/serviceSites';
import type { StatusOverview } from '../../../src/taskpane/status/statusService';
import type { StartSync, SyncController } from '../../../src/taskpane/sync/syncController';
import { TEST_CRM } from '../../support/crmServer';
import { SqliteServiceControl } from '../../support/sqliteServiceControl';

const ANNA = DEMO.users[0];

let crm: Awaited<ReturnType<typeof startCrmServer>>;
let api: Awaited<ReturnType<typeof listenControlApi>>;
let control: SqliteServiceControl;
let session: CrmSession;

const memoryTokens = (): CrmTokenStore => {
  let token: string | null = null;
  return {
    load: async () => token,
    save: async (value) => {
      token = value;
    },
    clear: async () => {
      token = null;
    },
  };
};

function connectionFor(syncService: { url: string } | null): Connection {
  return {
    address: crm.url,
    user: { displayName: 'Anna', email: ANNA },
    mailbox: ANNA,
    calendars: [{ id: 'cal', name: 'Calendar', isDefault: true, canEdit: true }],
    syncService,
    crm: { session, userId: session.userId, timeZone: 'UTC', activityTypes: async () => [] },
    activityTypes: async () => [],
    startSync: async () => undefined,
    signOut: async () => undefined,
    unpair: async () => undefined,
  };
}

/** The pane's own StartSync, counting: it must not be called when the service runs sync. */
function countingLocal(): { start: StartSync; calls: () => number } {
  let calls = 0;
  return {
    start: async () => {
      calls += 1;
      throw new Error('the pane engine was started');
    },
    calls: () => calls,
  };
}

/** Polls `read` until `done` holds; bounded, no fixed sleep. */
async function until<T>(read: () => T, done: (value: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out; last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ASKED: AskedBrake[] = [
  {
    brake: { kind: 'sideEmpty', side: 'crm', linked: 4, ids: ['o-1'] },
    items: [{ id: 'o-1', subject: 'Review', start: '2026-12-07T09:00:00Z' }],
  },
];

beforeAll(async () => {
  crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  session = await CrmSession.signIn({
    address: crm.url,
    apiKey: DEMO.apiKey,
    username: ANNA,
    password: DEMO.password,
    remember: false,
    tokenStore: memoryTokens(),
    locks: { run: (_name, task) => task() },
  });
  await fetch(`${crm.url}/api/v1/pairing`, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/json',
      'X-Api-Key': DEMO.apiKey,
      Authorization: `Bearer ${await session.accessToken()}`,
    },
    body: JSON.stringify({ mailbox: ANNA }),
  });
  control = new SqliteServiceControl(() => '2026-12-05T12:00:00Z');
  const store = control.add(ANNA);
  const run = await store.startRun({
    startedAt: '2026-12-05T10:00:00Z',
    state: 'running',
    counts: {},
    failures: [],
  });
  await store.finishRun({
    id: run,
    startedAt: '2026-12-05T10:00:00Z',
    finishedAt: '2026-12-05T10:00:03Z',
    state: 'done',
    counts: { createInCrm: 3 },
    failures: [],
  });
  await store.addTrash({
    at: '2026-12-05T10:00:02Z',
    outlookId: 'AAA',
    crmId: 'act_1',
    lost: { field: 'location', side: 'outlook', value: 'Room 1' },
  });
  control.setStatus(ANNA, {
    lastSyncAt: '2026-12-05T10:00:03Z',
    lastOutcome: { state: 'done', counts: { createInCrm: 3 }, failures: 0 },
  });
  api = await listenControlApi({
    control,
    verify: crmVerifier({ crmAddress: crm.url }),
    paneOrigins: ['https://pane.example'],
    host: '127.0.0.1',
    port: 0,
  });
});

afterAll(async () => {
  await api?.close();
  await crm?.close();
  control?.close();
});

test('with the company on the service the pane starts no engine and shows the service state', async () => {
  const sites = new ServiceSites();
  const local = countingLocal();
  const connection = sites.adopt(connectionFor({ url: api.url }));
  const controller: SyncController = await sites.startSync(local.start)({
    connection,
    calendarId: 'cal',
    config: {} as never,
    host: {} as never,
    busySubject: 'Busy',
  });
  try {
    expect(local.calls()).toBe(0);
    expect(controller.runsOn).toBe('service');
    const idle = await until(controller.getSnapshot, (s) => s.state === 'idle');
    expect(idle.lastSyncAt).toBe(Date.parse('2026-12-05T10:00:03Z'));
    expect(idle.lastOutcome).toEqual({ state: 'done', counts: { createInCrm: 3 }, failures: 0 });

    controller.syncNow();
    await until(
      () => control.syncNowCount(ANNA),
      (n) => n === 1,
    );

    // The brake's question reaches the pane's view; "Go ahead" confirms exactly what it showed.
    // The pane reads the service's state every SERVICE_POLL_MS (nothing pushes it): the brake
    // shows at the next read, up to a whole period later, plus that read's own time under load.
    control.brake(ANNA, ASKED);
    await until(controller.getSnapshot, (s) => s.state === 'braked', SERVICE_POLL_MS + 10_000);
    const braked = controller.getSnapshot().lastOutcome;
    expect(braked?.state === 'braked' && braked.asked).toEqual(ASKED);
    controller.confirmMassDelete();
    await until(
      () => control.answers(ANNA).length,
      (n) => n === 1,
    );
    expect(control.answers(ANNA)).toEqual([
      [{ items: 'calendar', ids: ['o-1'], sideEmpty: 'crm' }],
    ]);
    await until(controller.getSnapshot, (s) => s.state === 'idle');
  } finally {
    controller.stop();
  }
  expect(controller.getSnapshot().state).toBe('stopped');
});

test("the Status view's lists come from the service; restore goes to it", async () => {
  const sites = new ServiceSites();
  sites.adopt(connectionFor({ url: api.url }));
  const localStatus = {
    forMailbox: () => {
      throw new Error('the pane store was opened');
    },
  };
  const status = sites.status(localStatus).forMailbox(ANNA);
  const seen: StatusOverview[] = [];
  const subscription = status.overview().subscribe({ next: (value) => seen.push(value) });
  try {
    const [first] = await until(
      () => seen,
      (s) => s.length > 0,
    );
    expect(first!.runs).toEqual([expect.objectContaining({ state: 'done', changes: 3 })]);
    expect(first!.trash).toEqual([
      expect.objectContaining({ lost: { field: 'location', side: 'outlook', value: 'Room 1' } }),
    ]);
    expect(await status.restore(first!.trash[0]!.id)).toBe(true);
    // The view reads again at once after an action: the row says it is asked back.
    const after = await until(
      () => seen.at(-1),
      (v) => v?.trash[0]?.restore?.state === 'requested',
    );
    expect(after!.trash[0]!.restore).toEqual({
      state: 'requested',
      requestedAt: '2026-12-05T12:00:00Z',
    });
    await expect(status.unlink('o:AAA')).rejects.toThrow(/not offered/);
  } finally {
    subscription.unsubscribe();
  }
});

test('without a service the pane runs its own loop, as today', async () => {
  const sites = new ServiceSites();
  const local = countingLocal();
  const connection = sites.adopt(connectionFor(null));
  await expect(
    sites.startSync(local.start)({
      connection,
      calendarId: 'cal',
      config: {} as never,
      host: {} as never,
      busySubject: 'Busy',
    }),
  ).rejects.toThrow('the pane engine was started');
  expect(local.calls()).toBe(1);
  expect(sites.clientFor(ANNA)).toBeNull();
});

test('a service address that is plain http off loopback is refused before any request', () => {
  const sites = new ServiceSites();
  expect(() => sites.adopt(connectionFor({ url: 'http://sync.example.com' }))).toThrow(
    expect.objectContaining({ code: 'insecureAddress' }),
  );
});

test('the service unreachable: the pane says so and keeps polling, bounded', async () => {
  const sites = new ServiceSites();
  const connection = sites.adopt(connectionFor({ url: 'http://127.0.0.1:9' }));
  const controller = await sites.startSync(countingLocal().start)({
    connection,
    calendarId: 'cal',
    config: {} as never,
    host: {} as never,
    busySubject: 'Busy',
  });
  try {
    const snapshot = await until(controller.getSnapshot, (s) => s.state !== 'stopped');
    expect(snapshot.state).toBe('offline');
    expect(snapshot.lastOutcome?.state).toBe('failed');
  } finally {
    controller.stop();
  }
});
