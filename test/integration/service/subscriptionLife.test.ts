/**
 * Issue 17 item 3, "Tests for the subscription life": the service's SubscriptionManager and
 * NotificationReceiver with the real MSAL Node and the Graph emulator's subscriptions — the
 * validation handshake, a forged notification ignored, renewal, each lifecycle notification, a
 * missed notification recovered by delta, and subscriptions re-created after a restart that
 * outlived them.
 */
import * as z from 'zod';
import { startGraphServer, DEMO_TENANT_ID } from '../../../sandbox/graph/index';
import {
  createAppGraphAuth,
  createServiceGraphClient,
  EVENT_SUBSCRIPTION_MINUTES,
  NotificationReceiver,
  SubscriptionManager,
  type LifecycleEvent,
} from '../../../src/service/graph';
import { eventually, startReceiver, type TestReceiver } from '../../support/webhookReceiver';
import { NOW, tokenFor } from '../graph/helpers';

const MINUTE = 60_000;
const ANNA = 'anna@contoso.example';
const APP = {
  clientId: '22222222-2222-4333-8444-555555555555',
  clientSecret: 'service-secret-value',
  tenantId: DEMO_TENANT_ID,
  roles: ['Calendars.ReadWrite', 'Contacts.ReadWrite'],
  mailboxes: [ANNA, 'ben@contoso.example'],
};

const deltaSchema = z.object({ value: z.array(z.object({ subject: z.string().optional() })) });

let clock = NOW;
let server: Awaited<ReturnType<typeof startGraphServer>>;
let rx: TestReceiver;
let annaToken = '';
/** What the HTTP endpoint hands each request to (swapped on a "restart"). */
let receiver: NotificationReceiver | null = null;
const down = new Set<string>();

interface Service {
  manager: SubscriptionManager;
  receiver: NotificationReceiver;
  changes: string[];
  resyncs: string[];
  lifecycle: [string, LifecycleEvent][];
  logs: string[];
  deltaSubjects: string[];
}

/** One "process" of the service's Graph side, wired as the service wires it. */
function startService(): Service {
  const auth = createAppGraphAuth({
    tenantId: APP.tenantId,
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    authorityHost: server.authority?.url ?? '',
    knownAuthorities: [new URL(server.authority?.url ?? 'https://x').host],
    caCertificate: server.authority?.caCertificate ?? '',
  });
  const baseUrl = `${server.url}/v1.0`;
  const s: Service = {
    changes: [],
    resyncs: [],
    lifecycle: [],
    logs: [],
    deltaSubjects: [],
  } as unknown as Service;
  s.manager = new SubscriptionManager({
    graph: createServiceGraphClient(auth, { baseUrl, maxAttempts: 2 }),
    notificationUrl: `${rx.url}/notify`,
    lifecycleNotificationUrl: `${rx.url}/lifecycle`,
    now: () => clock,
    newClientState: undefined,
    log: (m) => s.logs.push(m),
    // The delta run the service asks for after a gap: here a real calendarView/delta read.
    onResync: async (mailbox) => {
      const graph = createServiceGraphClient(auth, { baseUrl, mailbox });
      const { data } = await graph.request({
        method: 'GET',
        path: '/me/calendarView/delta?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-30T00:00:00Z',
        schema: deltaSchema,
      });
      for (const e of data.value) {
        if (e.subject) s.deltaSubjects.push(e.subject);
      }
      s.resyncs.push(mailbox);
    },
  });
  s.receiver = new NotificationReceiver({
    lookup: s.manager.lookup,
    onChange: (m) => void s.changes.push(m),
    onLifecycle: async (m, e) => {
      s.lifecycle.push([m, e]);
      await s.manager.handleLifecycle(m, e);
    },
    log: (m) => s.logs.push(m),
  });
  receiver = s.receiver;
  return s;
}

/** Reads every answer whole: an unread body holds its connection past the test. */
const drained = async (res: Promise<Response>): Promise<number> => {
  const r = await res;
  await r.arrayBuffer();
  return r.status;
};

const createEvent = (subject: string) =>
  drained(
    fetch(`${server.url}/v1.0/me/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${annaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject,
        start: { dateTime: '2025-03-21T09:00:00', timeZone: 'UTC' },
        end: { dateTime: '2025-03-21T10:00:00', timeZone: 'UTC' },
      }),
    }),
  );

interface SandboxSub {
  id: string;
  mailbox: string;
  expirationDateTime: string;
  paused: boolean;
}
const sandboxSubs = async (): Promise<SandboxSub[]> =>
  ((await (await fetch(`${server.url}/sandbox/subscriptions`)).json()) as { value: SandboxSub[] })
    .value;

const trigger = (id: string, lifecycleEvent: LifecycleEvent) =>
  drained(
    fetch(`${server.url}/sandbox/subscriptions/${id}/lifecycle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lifecycleEvent }),
    }),
  );

beforeEach(async () => {
  clock = NOW;
  down.clear();
  rx = await startReceiver((req) => {
    if (down.has(req.path) || !receiver) return { status: 503, headers: {}, body: '' };
    const out = receiver.handle({ query: req.query, body: req.body });
    return { status: out.status, headers: { ...out.headers }, body: out.body };
  });
  server = await startGraphServer({
    port: 0,
    seedDemoData: false,
    now: () => clock,
    authority: true,
    applications: [APP],
    notifications: { retryBaseMs: 10, maxDeliveryAttempts: 2 },
  });
  annaToken = await tokenFor(server.url, ANNA);
});

afterEach(async () => {
  receiver = null;
  await server.close();
  await rx.close();
});

describe('the service’s subscription life', () => {
  it('subscribes through the validation handshake and asks for a first delta run', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    const subs = await sandboxSubs();
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ mailbox: ANNA, paused: false });
    expect(Date.parse(subs[0]?.expirationDateTime ?? '')).toBe(
      clock + EVENT_SUBSCRIPTION_MINUTES * MINUTE,
    );
    expect(s.resyncs).toEqual([ANNA]);
    // ensure() again is a no-op while the subscription is far from expiry.
    await s.manager.ensure(ANNA);
    expect(await sandboxSubs()).toHaveLength(1);
  });

  it('turns a change notification into a sync request for the mailbox', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    await createEvent('Quarterly review');
    await eventually(() => s.changes.length > 0, 'a change');
    expect(s.changes).toEqual([ANNA]);
    expect(s.logs.join('\n')).not.toContain('Quarterly review');
  });

  it('answers a forged notification (wrong clientState) 202, ignores it and logs no content', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    const id = s.manager.subscriptions().get(ANNA)?.id ?? '';
    const res = await fetch(`${rx.url}/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [
          {
            subscriptionId: id,
            clientState: 'guessed-state',
            changeType: 'created',
            resource: 'Users/x/Events/<script>evil</script>',
            resourceData: { id: 'evil-id' },
          },
          {
            subscriptionId: id,
            clientState: 'guessed-state',
            lifecycleEvent: 'subscriptionRemoved',
          },
        ],
      }),
    });
    expect(res.status).toBe(202);
    await res.arrayBuffer();
    expect(s.receiver.ignored).toBe(2);
    expect(s.changes).toEqual([]);
    expect(s.lifecycle).toEqual([]);
    expect((await sandboxSubs())[0]?.id).toBe(id); // no re-subscription was provoked
    const logged = s.logs.join('\n');
    for (const secret of ['guessed-state', 'evil', id]) expect(logged).not.toContain(secret);
  });

  it('renews before expiry, and not before it is due', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    const first = (await sandboxSubs())[0];
    clock += 60 * MINUTE;
    await s.manager.renewDue();
    expect((await sandboxSubs())[0]?.expirationDateTime).toBe(first?.expirationDateTime);
    clock = NOW + (EVENT_SUBSCRIPTION_MINUTES - 23 * 60) * MINUTE; // under 24 h left
    await s.manager.renewDue();
    const renewed = (await sandboxSubs())[0];
    expect(renewed?.id).toBe(first?.id);
    expect(Date.parse(renewed?.expirationDateTime ?? '')).toBe(
      clock + EVENT_SUBSCRIPTION_MINUTES * MINUTE,
    );
    expect(s.resyncs).toEqual([ANNA]); // a renewal in time loses nothing: no extra delta run
  });

  it('reauthorizationRequired: renews (which reauthorizes) and reads the pause with delta', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    const sub = (await sandboxSubs())[0];
    clock += 10 * MINUTE;
    await trigger(sub?.id ?? '', 'reauthorizationRequired');
    await eventually(() => s.resyncs.length === 2, 'the delta run after reauthorizing');
    const after = (await sandboxSubs())[0];
    expect(after).toMatchObject({ id: sub?.id, paused: false });
    expect(Date.parse(after?.expirationDateTime ?? '')).toBe(
      clock + EVENT_SUBSCRIPTION_MINUTES * MINUTE,
    );
    await createEvent('after reauthorization');
    await eventually(() => s.changes.length > 0, 'notifications flowing again');
  });

  it('subscriptionRemoved: subscribes again, reads the gap with delta, notifications flow', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    const old = s.manager.subscriptions().get(ANNA)?.id ?? '';
    await trigger(old, 'subscriptionRemoved');
    await eventually(() => s.resyncs.length === 2, 'the delta run after re-subscribing');
    const now = await sandboxSubs();
    expect(now).toHaveLength(1);
    expect(now[0]?.id).not.toBe(old);
    expect(s.manager.subscriptions().get(ANNA)?.id).toBe(now[0]?.id);
    await createEvent('after removal');
    await eventually(() => s.changes.length > 0, 'notifications on the new subscription');
  });

  it('missed: asks for a delta run', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    await trigger(s.manager.subscriptions().get(ANNA)?.id ?? '', 'missed');
    await eventually(() => s.resyncs.length === 2, 'the delta run');
    expect(s.lifecycle).toEqual([[ANNA, 'missed']]);
  });

  it('a notification that could not be delivered is recovered by delta', async () => {
    const s = startService();
    await s.manager.ensure(ANNA);
    down.add('/notify');
    await createEvent('made while the webhook was down');
    await eventually(() => s.resyncs.length === 2, 'the delta run after missed');
    expect(s.changes).toEqual([]);
    expect(s.lifecycle).toEqual([[ANNA, 'missed']]);
    expect(s.deltaSubjects).toContain('made while the webhook was down');
  });

  it('re-creates subscriptions that expired while the service was stopped', async () => {
    const first = startService();
    await first.manager.ensure(ANNA);
    const old = first.manager.subscriptions().get(ANNA)?.id;
    first.manager.stop();
    receiver = null; // the service is down
    clock += (EVENT_SUBSCRIPTION_MINUTES + 1) * MINUTE;
    expect(await sandboxSubs()).toEqual([]); // Graph removed it at expiry
    annaToken = await tokenFor(server.url, ANNA); // the emulator's clock moved: a fresh token
    await createEvent('made while the service was stopped');
    const second = startService();
    await second.manager.ensure(ANNA);
    const subs = await sandboxSubs();
    expect(subs).toHaveLength(1);
    expect(subs[0]?.id).not.toBe(old);
    expect(second.resyncs).toEqual([ANNA]);
    expect(second.deltaSubjects).toContain('made while the service was stopped');
    await createEvent('after the restart');
    await eventually(() => second.changes.length > 0, 'notifications to the restarted service');
  });

  it('a restarted service replaces a still-live subscription whose clientState it lost', async () => {
    const first = startService();
    await first.manager.ensure(ANNA);
    const old = first.manager.subscriptions().get(ANNA)?.id;
    const second = startService();
    await second.manager.ensure(ANNA);
    const subs = await sandboxSubs();
    expect(subs.map((x) => x.id)).toEqual([second.manager.subscriptions().get(ANNA)?.id]);
    expect(subs[0]?.id).not.toBe(old);
  });
});
