/**
 * @jest-environment jest-fixed-jsdom
 */
// A browser-like environment: localStorage exists to be scanned; WebCrypto comes from Node.
import '../../setup/unit';
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { TEST_CRM } from '../../support/crmServer';
import {
  EncryptedTokenStore,
  wipeLocalCredentials,
} from '../../../src/crm/credentials/encryptedTokenStore';
import { CrmSession } from '../../../src/crm/session';
import { findSecret } from '../../unit/credentials/storageScan';

/**
 * SPEC C3 end to end: sign in to the reference CRM with "Remember my sign-in", then look through
 * everything the browser profile keeps (IndexedDB via fake-indexeddb, localStorage, roaming
 * settings) for the password and every token the server handed out.
 */
let server: Awaited<ReturnType<typeof startCrmServer>>;
beforeAll(async () => {
  server = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
});
afterAll(() => server.close());

/** Wraps fetch to note every token the CRM sends, so the scan knows what to look for. */
function recordingFetch() {
  const tokens = new Set<string>();
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => null);
    if (body && typeof body === 'object') {
      for (const key of ['accessToken', 'refreshToken'] as const) {
        const value = (body as Record<string, unknown>)[key];
        if (typeof value === 'string') tokens.add(value);
      }
    }
    return response;
  };
  return { fetch: wrapped, tokens };
}

test('remembered sign-in keeps no secret in plain text, resumes, and sign-out empties it', async () => {
  const store = new EncryptedTokenStore('crm-sync-secrets-remember');
  const recorder = recordingFetch();
  const connection = {
    address: server.url,
    apiKey: DEMO.apiKey,
    tokenStore: store,
    transport: { fetch: recorder.fetch },
  };
  // Roaming settings in node have no Office: stand in with the preferences the pane would keep.
  const roamingSettings = { rememberSignIn: true, crmAddress: server.url };
  const session = await CrmSession.signIn({
    ...connection,
    username: DEMO.users[0],
    password: DEMO.password,
    remember: true,
  });
  await session.accessToken();
  expect(recorder.tokens.size).toBeGreaterThanOrEqual(2);
  expect(await store.load()).not.toBeNull();
  for (const secret of [DEMO.password, ...recorder.tokens]) {
    expect({
      secret: secret.slice(0, 4),
      found: await findSecret(secret, { roamingSettings }),
    }).toEqual({ secret: secret.slice(0, 4), found: [] });
  }

  const resumed = await CrmSession.resume(connection);
  expect(resumed).not.toBeNull();
  expect(await resumed!.accessToken()).toEqual(expect.any(String));

  await resumed!.signOut();
  expect(await store.load()).toBeNull();
  store.close();
  await wipeLocalCredentials('crm-sync-secrets-remember');
});
