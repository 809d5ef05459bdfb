/**
 * Issue 14, item 6: sessions against the reference CRM over loopback HTTP. The CRM's refresh
 * token is single use and presenting a rotated one revokes the session
 * (sandbox/crm/domain/sessions.ts), so two panes refreshing at once, or a refresh retried after a
 * lost answer, used to sign the person out.
 *
 * The panes here are two CrmSessions in one process sharing one IndexedDB (fake-indexeddb): the
 * cross-pane lock they take is the in-process implementation of refreshLock.ts (a FIFO queue per
 * lock name, the same exclusive semantics as Web Locks, which Node does not have).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO } from '../../../sandbox/crm';
import { CrmDirectory } from '../../../src/crm';
import {
  API_KEY_SLOT,
  EncryptedTokenStore,
} from '../../../src/crm/credentials/encryptedTokenStore';
import { InProcessLocks } from '../../../src/crm/refreshLock';
import { CrmSession, type CrmTransport } from '../../../src/crm/session';
import { SyncError } from '../../../src/sync/core/errors';
import { startTestServer, type TestServer } from '../crm/harness';

jest.setTimeout(30_000);

let crm: TestServer;
beforeEach(async () => {
  crm = await startTestServer();
});
afterEach(() => crm.close());

let dbCounter = 0;
const fast: CrmTransport = { sleep: async () => undefined };

/** Signs Anna in with "Remember my sign-in"; returns how a pane opened later resumes. */
async function rememberedSignIn(address: string) {
  const dbName = `crm-secrets-sessions-${(dbCounter += 1)}`;
  const store = () => EncryptedTokenStore.forCrm(address, undefined, dbName);
  await CrmSession.signIn({
    address,
    apiKey: DEMO.apiKey,
    username: DEMO.users[0]!,
    password: DEMO.password,
    remember: true,
    tokenStore: store(),
    now: crm.clock.now,
    transport: fast,
  });
  return (extra: { locks?: InProcessLocks } = {}) =>
    CrmSession.resume({
      address,
      apiKey: DEMO.apiKey,
      tokenStore: store(),
      now: crm.clock.now,
      transport: fast,
      ...extra,
    });
}

const me = (session: CrmSession) => new CrmDirectory(session).me();
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => (e instanceof SyncError ? e.code : String(e)),
  );

describe('two panes refreshing at once', () => {
  it('two panes refreshing at once stay signed in', async () => {
    const openPane = await rememberedSignIn(crm.url);
    // Both panes open at the same moment, each resuming from the one remembered token.
    const [a, b] = await Promise.all([openPane(), openPane()]);
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(await Promise.all([codeOf(me(a!)), codeOf(me(b!))])).toEqual(['ok', 'ok']);
    // Both access tokens expire; both panes refresh at once, twice over.
    for (const _round of [1, 2]) {
      crm.clock.advance(901);
      expect(await Promise.all([codeOf(me(a!)), codeOf(me(b!))])).toEqual(['ok', 'ok']);
    }
    // A third pane opened now still resumes from what the others remembered.
    const c = await openPane();
    expect(await codeOf(me(c!))).toBe('ok');
  });

  it('without the shared lock the same race signs a pane out (what the lock prevents)', async () => {
    const openPane = await rememberedSignIn(crm.url);
    // Each pane with a lock of its own: nothing orders their refreshes.
    const panes = await Promise.allSettled([
      openPane({ locks: new InProcessLocks() }),
      openPane({ locks: new InProcessLocks() }),
    ]);
    const codes = await Promise.all(
      panes.map((p) =>
        p.status === 'fulfilled' && p.value ? codeOf(me(p.value)) : Promise.resolve('signedOut'),
      ),
    );
    expect(codes).not.toEqual(['ok', 'ok']);
  });
});

/**
 * A gateway in front of the CRM that loses the answer of the first refresh: the CRM rotated the
 * token, the client gets a 502 (as from a proxy whose upstream connection dropped).
 */
async function lossyGateway(upstream: string) {
  let lost = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        }
        const answer = await fetch(`${upstream}${req.url ?? ''}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body === '' ? {} : { body }),
        });
        const text = await answer.text();
        if (req.url?.endsWith('/sessions/refresh') && lost === 0) {
          lost += 1;
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('Bad gateway');
          return;
        }
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lost: () => lost,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('a refresh retried after a 5xx', () => {
  it('refresh retried after 5xx staying signed in', async () => {
    const gateway = await lossyGateway(crm.url);
    try {
      const openPane = await rememberedSignIn(gateway.url);
      // The pane's first refresh (resume) is answered 502 after the CRM rotated the token; the
      // client retries with the same token.
      const pane = await openPane();
      expect(gateway.lost()).toBe(1);
      expect(await codeOf(me(pane!))).toBe('ok');
      // The session lives on: the next refresh and a pane opened later work too.
      crm.clock.advance(901);
      expect(await codeOf(me(pane!))).toBe('ok');
      expect(await codeOf(openPane().then((p) => me(p!)))).toBe('ok');
    } finally {
      await gateway.close();
    }
  });
});

describe('the CRM’s retry grace (sandbox/crm/domain/sessions.ts)', () => {
  type Tokens = { accessToken: string; refreshToken: string };
  const signIn = () =>
    crm.api.post<Tokens>('/api/v1/sessions', { username: DEMO.users[0], password: DEMO.password });
  const refresh = (refreshToken: string) =>
    crm.api.post<Tokens>('/api/v1/sessions/refresh', { refreshToken });

  it('a repeat within the grace gets a new pair and withdraws the unused one', async () => {
    const first = (await signIn()).body;
    const lostAnswer = (await refresh(first.refreshToken)).body;
    crm.clock.advance(30);
    const retried = await refresh(first.refreshToken);
    expect(retried.status).toBe(200);
    expect((await crm.api.withToken(retried.body.accessToken).get('/api/v1/me')).status).toBe(200);
    // The pair the client never received no longer works; the session does.
    expect((await crm.api.withToken(lostAnswer.accessToken).get('/api/v1/me')).status).toBe(401);
    expect((await refresh(lostAnswer.refreshToken)).status).toBe(401);
    expect((await refresh(retried.body.refreshToken)).status).toBe(200);
  });

  it('a repeat after the new token was used is a leak: the session is revoked', async () => {
    const first = (await signIn()).body;
    const second = (await refresh(first.refreshToken)).body;
    const third = (await refresh(second.refreshToken)).body;
    const reuse = await refresh(first.refreshToken);
    expect([reuse.status, reuse.body]).toMatchObject([401, { code: 'refresh-token-reused' }]);
    expect((await crm.api.withToken(third.accessToken).get('/api/v1/me')).status).toBe(401);
  });

  it('a repeat after the grace is a leak: the session is revoked', async () => {
    const first = (await signIn()).body;
    const second = (await refresh(first.refreshToken)).body;
    crm.clock.advance(61);
    expect((await refresh(first.refreshToken)).status).toBe(401);
    expect((await refresh(second.refreshToken)).status).toBe(401);
  });
});

describe('secrets sealed for their CRM address', () => {
  it('a changed CRM address in roaming settings never gets the old secrets', async () => {
    const dbName = `crm-secrets-moved-${(dbCounter += 1)}`;
    const seen: string[] = [];
    const other = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
      res.writeHead(500);
      res.end();
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      // Signed in to the real CRM with "Remember my sign-in": refresh token and API key sealed.
      await CrmSession.signIn({
        address: crm.url,
        apiKey: DEMO.apiKey,
        username: DEMO.users[0]!,
        password: DEMO.password,
        remember: true,
        tokenStore: EncryptedTokenStore.forCrm(crm.url, undefined, dbName),
        now: crm.clock.now,
      });
      await EncryptedTokenStore.forCrm(crm.url, API_KEY_SLOT, dbName).save(DEMO.apiKey);
      // The next start reads another address (createConnectionService.resume does this).
      const apiKey = await EncryptedTokenStore.forCrm(otherUrl, API_KEY_SLOT, dbName).load();
      const resumed = await CrmSession.resume({
        address: otherUrl,
        apiKey: apiKey ?? '',
        tokenStore: EncryptedTokenStore.forCrm(otherUrl, undefined, dbName),
      });
      expect([apiKey, resumed]).toEqual([null, null]);
      expect(seen).toEqual([]);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});
