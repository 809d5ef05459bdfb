/**
 * Issue 17 "Done when", with no browser: the service as `npm start` runs it — in process
 * (startSandboxService → startService), over real loopback HTTP: its one listener receiving the
 * Graph emulator's change notifications, MSAL Node's client credentials against the emulator's
 * Entra stand-in, the CRM's long-poll change signal — and both sandbox servers. 50 events made in
 * the emulator reach the CRM, driven by notifications (the runs' triggers say so; the safety poll
 * never ran), and 50 CRM activities reach the emulator. Convergence only: the seconds are the
 * bench's (test/bench/service.bench.ts, docs/BENCHMARKS.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCrmServer } from '../../../sandbox/crm';
import { DEMO_APPLICATION, startGraphServer } from '../../../sandbox/graph';
import {
  MAILBOX,
  Person,
  pullChanges,
  pushChanges,
  startLiveService,
  until,
  type LiveService,
} from '../../bench/serviceScenario';
import { TEST_CRM } from '../../support/crmServer';

jest.setTimeout(300_000);

const N = 50;

let crm: Awaited<ReturnType<typeof startCrmServer>>;
let graph: Awaited<ReturnType<typeof startGraphServer>>;
let live: LiveService;
let person: Person;
let dir: string;

beforeAll(async () => {
  crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  graph = await startGraphServer({
    port: 0,
    seedDemoData: false,
    authority: true,
    applications: [DEMO_APPLICATION],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'service-live-'));
  const servers = {
    crmUrl: crm.url,
    graphUrl: graph.url,
    authority: graph.authority ?? { url: '', caCertificate: '' },
  };
  live = await startLiveService(servers, dir);
  person = await Person.signIn(servers);
});

afterAll(async () => {
  await live?.close();
  await graph?.close();
  await crm?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const runs = () => live.events.filter((e) => e.event === 'run');

test('the service listens once and subscribed the mailbox through it, as the application', () => {
  const subscriptions = graph.emulator.notifier.active();
  expect(subscriptions).toHaveLength(1);
  expect(subscriptions[0]).toMatchObject({
    mailbox: MAILBOX,
    resource: `/users/${MAILBOX}/events`, // the address as written, `@` and all
    notificationUrl: live.running.notificationUrl,
    applicationId: DEMO_APPLICATION.clientId,
  });
  expect(new URL(live.running.notificationUrl).origin).toBe(new URL(live.running.url).origin);
});

test(`${N} events made in the Graph emulator reach the CRM, by notification`, async () => {
  const before = runs().length;
  await pushChanges(person, N, 'Live');
  const { subjects } = await person.crmChanges(null);
  const ours = subjects.filter((s) => s.startsWith('Live push '));
  expect(new Set(ours).size).toBe(N);
  expect(ours).toHaveLength(N); // no duplicate
  // A run's writes are visible before it ends and logs itself: wait for its log line.
  await until('a run by notification logged', () =>
    runs()
      .slice(before)
      .some((r) => r.trigger === 'notification' && r.state === 'done'),
  );
  const during = runs().slice(before);
  // Nothing came by the safety poll (5 minutes): notifications drove it.
  expect(during.filter((r) => r.trigger === 'poll')).toEqual([]);
  expect(live.running.receiver.ignored).toBe(0);
});

test(`${N} activities made in the CRM reach the Graph emulator, by the CRM's signal`, async () => {
  const before = runs().length;
  await pullChanges(person, N, 'Live');
  const ours = (await person.outlookSubjects()).filter((s) => s.startsWith('Live pull '));
  expect(new Set(ours).size).toBe(N);
  expect(ours).toHaveLength(N); // no duplicate
  await until('a run by the CRM signal logged', () =>
    runs()
      .slice(before)
      .some((r) => r.trigger === 'crmChange' && r.state === 'done'),
  );
  const during = runs().slice(before);
  expect(during.filter((r) => r.trigger === 'poll')).toEqual([]);
});
