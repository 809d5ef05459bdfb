/**
 * Issue 13 item 4: one Graph client per mailbox. Graph allows 4 concurrent requests per app and
 * mailbox (concepts/throttling-limits.md, Outlook service limits), so the limit must hold across
 * every service of a runtime, not per service. Two services from one runtime root — the engine's
 * calendar adapter on the silent client and the connection's calendar list on the interactive one
 * — never have more than 4 requests in flight together against the Graph emulator; two roots (two
 * runtimes, as the pane had three before) do, which shows what the test tells apart.
 */
import 'fake-indexeddb/auto';
import { startGraphServer } from '../../../sandbox/graph/index';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { GraphOutlookCalendar } from '../../../src/outlook/graphOutlookCalendar';
import { openMailbox, RuntimeRoot, type MailboxResources } from '../../../src/sync/compose';

const MAILBOX = 'anna@contoso.example';
let server: Awaited<ReturnType<typeof startGraphServer>>;

beforeEach(async () => {
  // The emulator's own refusal is lifted so that it measures how many the client lets through.
  server = await startGraphServer({ port: 0, seedDemoData: false, maxConcurrentPerMailbox: 100 });
  // Long enough that the requests of both services overlap even on a loaded machine.
  server.faults.add({ kind: 'latency', ms: 200, count: 1000, method: 'GET' });
});
afterEach(() => server.close());

function root(): RuntimeRoot {
  const tokens = new SandboxTokenProvider({
    tokenUrl: `${server.url}/sandbox/token`,
    mailbox: () => MAILBOX,
  });
  const silent = Object.assign(tokens, { signIn: async () => undefined });
  return new RuntimeRoot(
    (mailbox) =>
      openMailbox({
        mailbox,
        graphBaseUrl: `${server.url}/v1.0`,
        silentTokens: silent,
        interactiveTokens: tokens,
      }),
    async () => 'holder-test',
  );
}

/** The engine's adapter on the silent client, the connection's list on the interactive one. */
async function twoServicesBusy(engine: MailboxResources, connection: MailboxResources) {
  const engineSide = new GraphOutlookCalendar({ client: engine.graph, personZone: 'UTC' });
  const connectionSide = new GraphOutlookCalendar({
    client: connection.graphInteractive,
    personZone: 'UTC',
  });
  await Promise.all([
    ...Array.from({ length: 8 }, () => engineSide.listCalendars()),
    ...Array.from({ length: 8 }, () => connectionSide.listCalendars()),
  ]);
}

it('two services of one runtime root never have more than 4 Graph requests in flight together', async () => {
  const runtime = root();
  const resources = runtime.mailbox(MAILBOX);
  // The same mailbox, however it is spelled, is the same resources.
  expect(runtime.mailbox(' Anna@Contoso.example ')).toBe(resources);
  await twoServicesBusy(resources, resources);
  expect(server.faults.stats.peakInFlight).toBe(4);
  runtime.close();
});

it('two roots (a client per service, as before) exceed the mailbox limit', async () => {
  const a = root();
  const b = root();
  await twoServicesBusy(a.mailbox(MAILBOX), b.mailbox(MAILBOX));
  expect(server.faults.stats.peakInFlight).toBeGreaterThan(4);
  a.close();
  b.close();
});

it('a root opens a mailbox once and reads the holder id once', async () => {
  let opened = 0;
  let holderReads = 0;
  const runtime = new RuntimeRoot(
    (mailbox) => {
      opened += 1;
      return openMailbox({
        mailbox,
        graphBaseUrl: `${server.url}/v1.0`,
        silentTokens: { getToken: async () => 'x', signIn: async () => undefined },
      });
    },
    async () => `holder-${++holderReads}`,
  );
  const first = runtime.mailbox(MAILBOX);
  expect(runtime.mailbox(MAILBOX).db).toBe(first.db);
  expect(first.db.name).toBe(`crm-sync:${MAILBOX}`);
  expect(await Promise.all([runtime.holderId(), runtime.holderId()])).toEqual([
    'holder-1',
    'holder-1',
  ]);
  runtime.mailbox('ben@contoso.example');
  expect(opened).toBe(2);
  runtime.close();
});
