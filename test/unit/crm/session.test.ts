/**
 * CrmSession with an injected fetch: the password is sent once and kept nowhere, "remember"
 * decides what reaches the token store (SPEC C3), refreshes are single-flight and rotate the
 * stored refresh token.
 */
import { inspect } from 'node:util';
import { CrmSession } from '../../../src/crm/session';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';

let n = 0;
const tokens = () => {
  n += 1;
  return {
    accessToken: `acc-${n}`,
    tokenType: 'Bearer',
    expiresIn: 900,
    refreshToken: `ref-${n}`,
    refreshExpiresIn: 9e5,
    userId: 'usr_anna',
  };
};

function fakeCrm() {
  const paths: string[] = [];
  const bodies: string[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    paths.push(path);
    bodies.push(String(init?.body ?? ''));
    await new Promise((r) => setTimeout(r, 5));
    if (path.endsWith('/sessions/revoke')) return new Response(null, { status: 204 });
    return new Response(JSON.stringify(tokens()), {
      status: path.endsWith('/sessions') ? 201 : 200,
    });
  };
  return { paths, bodies, fetchFn };
}

function store(initial: string | null = null) {
  const s = { token: initial, saved: [] as string[], cleared: 0 };
  const api: CrmTokenStore = {
    load: async () => s.token,
    save: async (t) => void (s.saved.push(t), (s.token = t)),
    clear: async () => void ((s.cleared += 1), (s.token = null)),
  };
  return { s, api };
}

const signIn = (fetchFn: typeof fetch, tokenStore: CrmTokenStore, remember: boolean) =>
  CrmSession.signIn({
    address: 'crm.example.com',
    apiKey: 'KEY',
    username: 'anna@contoso.example',
    password: 'Pa55-word!',
    remember,
    tokenStore,
    transport: { fetch: fetchFn },
  });

describe('CrmSession', () => {
  it('sends the password once and keeps it nowhere', async () => {
    const crm = fakeCrm();
    const { api } = store();
    const session = await signIn(crm.fetchFn, api, true);
    expect(crm.bodies.filter((b) => b.includes('Pa55-word!'))).toHaveLength(1);
    expect(inspect(session, { depth: 10, showHidden: true })).not.toContain('Pa55-word!');
    expect(session.address).toBe('https://crm.example.com');
  });

  it('remember on: the refresh token is stored and replaced on every rotation', async () => {
    const crm = fakeCrm();
    const { s, api } = store();
    const session = await signIn(crm.fetchFn, api, true);
    await session.refreshAfterExpiry(await session.accessToken());
    expect(s.saved).toHaveLength(2);
    expect(s.token).toBe(s.saved[1]);
  });

  it('remember off: nothing is stored and an old token is wiped (SPEC C3)', async () => {
    const crm = fakeCrm();
    const { s, api } = store('ref-old');
    await signIn(crm.fetchFn, api, false);
    expect(s.saved).toEqual([]);
    expect(s.token).toBeNull();
  });

  it('concurrent expiries share one refresh (single-flight)', async () => {
    const crm = fakeCrm();
    const { api } = store();
    const session = await signIn(crm.fetchFn, api, true);
    const stale = await session.accessToken();
    const fresh = await Promise.all([1, 2, 3, 4, 5].map(() => session.refreshAfterExpiry(stale)));
    expect(new Set(fresh).size).toBe(1);
    expect(crm.paths.filter((p) => p.endsWith('/sessions/refresh'))).toHaveLength(1);
    // A late caller holding the stale token gets the new one without another refresh.
    expect(await session.refreshAfterExpiry(stale)).toBe(fresh[0]);
    expect(crm.paths.filter((p) => p.endsWith('/sessions/refresh'))).toHaveLength(1);
  });

  it('resume() without a remembered token is null; signOut revokes and clears', async () => {
    const crm = fakeCrm();
    const empty = store();
    const conn = { address: 'crm.example.com', apiKey: 'KEY', transport: { fetch: crm.fetchFn } };
    expect(await CrmSession.resume({ ...conn, tokenStore: empty.api })).toBeNull();
    const kept = store('ref-kept');
    const session = await CrmSession.resume({ ...conn, tokenStore: kept.api });
    expect(session).not.toBeNull();
    await session?.signOut();
    expect(crm.paths.at(-1)).toBe('/api/v1/sessions/revoke');
    expect(kept.s.token).toBeNull();
  });
});
