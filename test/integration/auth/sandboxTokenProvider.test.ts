import { DEMO_MAILBOXES, startGraphServer } from '../../../sandbox/graph';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { SyncError } from '../../../src/sync/core/errors';

let server: Awaited<ReturnType<typeof startGraphServer>>;

beforeAll(async () => {
  server = await startGraphServer({ port: 0, seedDemoData: false });
});
afterAll(() => server.close());

const countingFetch = () => {
  let count = 0;
  const wrapped: typeof fetch = (input, init) => {
    count++;
    return fetch(input, init);
  };
  return { fetch: wrapped, count: () => count };
};

test('the token works against the emulator and is cached until near expiry', async () => {
  let now = Date.now();
  const counter = countingFetch();
  const provider = new SandboxTokenProvider({
    tokenUrl: `${server.url}/sandbox/token`,
    mailbox: () => DEMO_MAILBOXES[0],
    fetch: counter.fetch,
    now: () => now,
  });
  const token = await provider.getToken();
  const me = await fetch(`${server.url}/v1.0/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ mail: DEMO_MAILBOXES[0] });

  expect(await provider.getToken()).toBe(token);
  expect(counter.count()).toBe(1);
  now += 56 * 60_000; // inside the last five minutes of the emulator's one-hour lifetime
  await provider.getToken();
  expect(counter.count()).toBe(2);
});

test('a claims challenge fetches a new token instead of the cached one', async () => {
  const counter = countingFetch();
  const provider = new SandboxTokenProvider({
    tokenUrl: `${server.url}/sandbox/token`,
    mailbox: () => DEMO_MAILBOXES[1],
    fetch: counter.fetch,
  });
  await provider.getToken();
  await provider.getToken({ claims: '{"access_token":{}}' });
  expect(counter.count()).toBe(2);
});

test('a different mailbox gets its own token', async () => {
  let mailbox: string = DEMO_MAILBOXES[0];
  const provider = new SandboxTokenProvider({
    tokenUrl: `${server.url}/sandbox/token`,
    mailbox: () => mailbox,
  });
  const first = await provider.getToken();
  mailbox = DEMO_MAILBOXES[2];
  expect(await provider.getToken()).not.toBe(first);
});

test.each([
  ['an unknown mailbox', 'nobody@contoso.example', '/sandbox/token'],
  ['a wrong endpoint', DEMO_MAILBOXES[0], '/sandbox/health'],
])('%s → SyncError graphSignInFailed', async (_what, mailbox, path) => {
  const provider = new SandboxTokenProvider({
    tokenUrl: `${server.url}${path}`,
    mailbox: () => mailbox,
  });
  const error: unknown = await provider.getToken().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SyncError);
  expect((error as SyncError).code).toBe('graphSignInFailed');
});

test('an unreachable endpoint → SyncError graphSignInFailed', async () => {
  const provider = new SandboxTokenProvider({
    tokenUrl: 'http://127.0.0.1:9/sandbox/token',
    mailbox: () => DEMO_MAILBOXES[0],
  });
  await expect(provider.getToken()).rejects.toMatchObject({ code: 'graphSignInFailed' });
});
