/**
 * Issue 17 "Tests for the subscription life", through the service itself: startService (in
 * process, real loopback HTTP) with its one listener, MSAL Node's client credentials against the
 * emulator's Entra stand-in, the CRM and the engine — not the SubscriptionManager alone (that is
 * subscriptionLife.test.ts). Validation, a forged notification ignored, renewal, each lifecycle
 * notification, a missed notification recovered by delta (the event reaches the CRM), and a
 * restart after the subscriptions expired.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { DEMO_APPLICATION, startGraphServer } from '../../../sandbox/graph';
import type { ServiceConfig } from '../../../src/service/config';
import { EVENT_SUBSCRIPTION_MINUTES } from '../../../src/service/graph';
import { startService, type RunningService } from '../../../src/service/start';
import { MAILBOX, Person, until, type LiveServers } from '../../bench/serviceScenario';
import { TEST_CRM } from '../../support/crmServer';

jest.setTimeout(120_000);

const MINUTE = 60_000;

let clock = Date.now();
let crm: Awaited<ReturnType<typeof startCrmServer>>;
let graph: Awaited<ReturnType<typeof startGraphServer>>;
let servers: LiveServers;
let dir: string;
let running: RunningService | null = null;
let events: Readonly<Record<string, unknown>>[] = [];

async function call(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status}`);
  return res;
}

/** Anna paired and the demo company switched to the service (what npm start does first). */
async function pairAndSwitch(): Promise<void> {
  const api = `${crm.url}/api/v1`;
  const session = await call(`${api}/sessions`, {
    method: 'POST',
    headers: { 'x-api-key': DEMO.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ username: MAILBOX, password: DEMO.password }),
  });
  const { accessToken } = (await session.json()) as { accessToken: string };
  await call(`${api}/pairing`, {
    method: 'PUT',
    headers: {
      'x-api-key': DEMO.apiKey,
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ mailbox: MAILBOX }),
  });
  await call(`${api}/company`, {
    method: 'PATCH',
    headers: { 'x-api-key': DEMO.adminApiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ syncService: { url: 'http://127.0.0.1:1/' } }),
  });
}

async function start(): Promise<RunningService> {
  events = [];
  const config: ServiceConfig = {
    crmUrl: crm.url,
    graphUrl: `${graph.url}/v1.0`,
    graphAuth: 'app',
    tenantId: DEMO_APPLICATION.tenantId,
    clientId: DEMO_APPLICATION.clientId,
    dataDir: dir,
    port: 0,
    host: '127.0.0.1',
    paneOrigins: [],
    pollSeconds: 300,
    signalWaitSeconds: 5,
    sandbox: true,
  };
  running = await startService(config, {
    authority: servers.authority,
    timing: { debounceMs: 50 },
    subscriptionClock: () => clock,
    log: (event) => events.push(event),
  });
  const r = running;
  await until('subscribed', () => r.subscriptions.subscriptions().has(MAILBOX));
  // A new subscription asks for a resync (what changed before it went unnotified); a run then,
  // and nothing due after it but the safety poll.
  await until(
    'subscribed (its resync asked for) and a run done',
    () =>
      events.some((e) => e.event === 'subscribed') &&
      events.some((e) => e.event === 'run' && e.state === 'done'),
  );
  await until('a quiet service', () => {
    const snap = r.service.runner(MAILBOX).scheduler.getSnapshot();
    return snap.state === 'idle' && (snap.nextRunAt ?? 0) > Date.now() + 60_000;
  });
  return r;
}

const runsBy = (trigger: string) =>
  events.filter((e) => e.event === 'run' && e.trigger === trigger && e.state === 'done');

const emulatorSubs = () => graph.emulator.notifier.active();

async function inCrm(person: Person, subject: string): Promise<boolean> {
  return (await person.crmChanges(null)).subjects.includes(subject);
}

const trigger = (id: string, lifecycleEvent: string) =>
  call(`${graph.url}/sandbox/subscriptions/${id}/lifecycle`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lifecycleEvent }),
  }).then((r) => r.json());

beforeEach(async () => {
  clock = Date.now();
  crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  graph = await startGraphServer({
    port: 0,
    seedDemoData: false,
    now: () => clock,
    authority: true,
    applications: [DEMO_APPLICATION],
    notifications: { retryBaseMs: 10, maxDeliveryAttempts: 2 },
  });
  servers = {
    crmUrl: crm.url,
    graphUrl: graph.url,
    authority: graph.authority ?? { url: '', caCertificate: '' },
  };
  dir = mkdtempSync(path.join(tmpdir(), 'service-subs-'));
  await pairAndSwitch();
});

afterEach(async () => {
  await running?.stop();
  running = null;
  await graph.close();
  await crm.close();
  rmSync(dir, { recursive: true, force: true });
});

test('subscribes through its listener’s validation handshake; a notification makes a run', async () => {
  const r = await start();
  // The emulator validated the URL before it made the subscription (it refuses otherwise).
  expect(emulatorSubs()).toEqual([
    expect.objectContaining({ mailbox: MAILBOX, notificationUrl: r.notificationUrl }),
  ]);
  // The handshake itself: 200, text/plain, the decoded token.
  const token = 'Validation: Testing client application reachability <b>x</b>';
  const res = await fetch(`${r.notificationUrl}?validationToken=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await res.text()).toBe(token);
  const person = await Person.signIn(servers);
  await person.createOutlookEvent('Made in Outlook', 10);
  await until('in the CRM', () => inCrm(person, 'Made in Outlook'));
  await until('a run by notification', () => runsBy('notification').length > 0);
});

test('a forged notification (wrong clientState) is answered 202 and ignored', async () => {
  const r = await start();
  const id = r.subscriptions.subscriptions().get(MAILBOX)?.id ?? '';
  const res = await fetch(r.notificationUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      value: [
        { subscriptionId: id, clientState: 'guessed', changeType: 'created', resource: 'x' },
        { subscriptionId: id, clientState: 'guessed', lifecycleEvent: 'subscriptionRemoved' },
      ],
    }),
  });
  expect(res.status).toBe(202);
  await res.arrayBuffer();
  expect(r.receiver.ignored).toBe(2);
  // Nothing was handed on: no lifecycle logged, the subscription not replaced, no run asked.
  expect(events.filter((e) => e.event === 'lifecycle')).toEqual([]);
  expect(emulatorSubs().map((s) => s.id)).toEqual([id]);
  expect(r.service.runner(MAILBOX).scheduler.getSnapshot().state).toBe('idle');
  expect(JSON.stringify(events)).not.toContain('guessed');
});

test('renews before expiry (and not before it is due) on its check', async () => {
  const r = await start();
  const first = emulatorSubs()[0];
  clock += 60 * MINUTE;
  await r.service.checkSubscriptions();
  expect(emulatorSubs()[0]?.expiresAt).toBe(first?.expiresAt);
  clock = (first?.expiresAt ?? 0) - 23 * 60 * MINUTE; // under 24 h left
  await r.service.checkSubscriptions();
  const renewed = emulatorSubs()[0];
  expect(renewed?.id).toBe(first?.id);
  expect(renewed?.expiresAt).toBe(clock + EVENT_SUBSCRIPTION_MINUTES * MINUTE);
});

test('reauthorizationRequired: renewed (reauthorized), a resync run, notifications flow again', async () => {
  const r = await start();
  const id = r.subscriptions.subscriptions().get(MAILBOX)?.id ?? '';
  const resyncs = runsBy('resync').length;
  await trigger(id, 'reauthorizationRequired');
  await until('a resync run', () => runsBy('resync').length > resyncs);
  expect(emulatorSubs()).toEqual([expect.objectContaining({ id, paused: false })]);
  const person = await Person.signIn(servers);
  await person.createOutlookEvent('After reauthorization', 20);
  await until('in the CRM', () => inCrm(person, 'After reauthorization'));
});

test('subscriptionRemoved: subscribes again and resyncs', async () => {
  const r = await start();
  const old = r.subscriptions.subscriptions().get(MAILBOX)?.id ?? '';
  const resyncs = runsBy('resync').length;
  await trigger(old, 'subscriptionRemoved');
  await until('a resync run', () => runsBy('resync').length > resyncs);
  const now = emulatorSubs();
  expect(now).toHaveLength(1);
  expect(now[0]?.id).not.toBe(old);
  expect(r.subscriptions.subscriptions().get(MAILBOX)?.id).toBe(now[0]?.id);
  const notified = runsBy('notification').length;
  const person = await Person.signIn(servers);
  await person.createOutlookEvent('On the new subscription', 30);
  await until('a run by notification', () => runsBy('notification').length > notified);
});

test('missed: a change never notified reaches the CRM through the resync’s delta', async () => {
  const r = await start();
  const id = r.subscriptions.subscriptions().get(MAILBOX)?.id ?? '';
  const sub = graph.emulator.store.state.subscriptions?.[id];
  if (!sub) throw new Error('no subscription in the emulator');
  sub.paused = true; // the emulator holds this change's notification back: it is lost
  const person = await Person.signIn(servers);
  await person.createOutlookEvent('Never notified', 40);
  expect(await inCrm(person, 'Never notified')).toBe(false);
  const resyncs = runsBy('resync').length;
  await trigger(id, 'missed');
  await until('a resync run', () => runsBy('resync').length > resyncs);
  await until('in the CRM', () => inCrm(person, 'Never notified'));
  expect(runsBy('notification')).toEqual([]);
});

test('restarted after its subscriptions expired: subscribes anew and reads the gap by delta', async () => {
  const first = await start();
  const old = first.subscriptions.subscriptions().get(MAILBOX)?.id;
  await first.stop();
  running = null;
  clock += (EVENT_SUBSCRIPTION_MINUTES + 1) * MINUTE;
  expect(emulatorSubs()).toEqual([]); // Graph removed it at expiry, without notice
  const person = await Person.signIn(servers); // the emulator's clock moved: fresh tokens
  await person.createOutlookEvent('Made while the service was down', 50);
  const second = await start();
  const subs = emulatorSubs();
  expect(subs).toHaveLength(1);
  expect(subs[0]?.id).not.toBe(old);
  expect(subs[0]?.notificationUrl).toBe(second.notificationUrl);
  await until('in the CRM', () => inCrm(person, 'Made while the service was down'));
  await person.createOutlookEvent('After the restart', 60);
  await until('a run by notification', () => runsBy('notification').length > 0);
  await until('in the CRM', () => inCrm(person, 'After the restart'));
});
