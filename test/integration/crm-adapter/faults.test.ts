/**
 * Faults on the wire against the reference CRM: Retry-After is honoured, dropped connections are
 * retried without duplicates, an expired access token is refreshed once (single-flight) and the
 * call repeated. Sleeps are injected and recorded, so nothing here waits for real.
 */
import { SyncError } from '../../../src/sync/core/errors';
import { sampleItem } from '../../contract/crmActivities.contract';
import {
  type Crm,
  createCrmActivities,
  DEMO,
  MemoryTokenStore,
  recordingSleep,
  startCrm,
} from './harness';

const WINDOW = { start: '2026-03-01T00:00:00Z', end: '2026-03-31T00:00:00Z' };

describe('CRM adapter under faults', () => {
  let crm: Crm;
  beforeEach(async () => {
    crm = await startCrm({ accessTokenTtlSeconds: 60 });
  });
  afterEach(() => crm.close());

  it('429 with Retry-After: waits the asked time, then succeeds', async () => {
    const { sleep, waits } = recordingSleep();
    const crmApi = createCrmActivities(await crm.signIn(DEMO.users[0], { sleep }));
    await crm.sandbox('/faults', {
      status: 429,
      retryAfterSeconds: 1,
      count: 1,
      pathPrefix: '/api/v1/activities',
    });
    expect((await crmApi.listWindow(WINDOW)).length).toBeGreaterThan(0);
    expect(waits).toEqual([1000]);
  });

  it('503 twice with Retry-After: retries twice, then succeeds', async () => {
    const { sleep, waits } = recordingSleep();
    const crmApi = createCrmActivities(await crm.signIn(DEMO.users[0], { sleep }));
    await crm.sandbox('/faults', {
      status: 503,
      retryAfterSeconds: 1,
      count: 2,
      pathPrefix: '/api/v1/activities',
    });
    await crmApi.changes(null);
    expect(waits).toEqual([1000, 1000]);
  });

  it('keeps throttling: gives up after a bounded number of attempts, as throttled', async () => {
    const { sleep, waits } = recordingSleep();
    const crmApi = createCrmActivities(await crm.signIn(DEMO.users[0], { sleep, maxAttempts: 3 }));
    await crm.sandbox('/faults', {
      status: 429,
      retryAfterSeconds: 1,
      count: 10,
      pathPrefix: '/api/v1/activities',
    });
    const err = await crmApi.listWindow(WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect(err).toMatchObject({ code: 'throttled', kind: 'throttled', retryAfterMs: 1000 });
    expect(waits).toEqual([1000, 1000]);
  });

  it('a dropped connection on create is retried with the same Idempotency-Key: one activity', async () => {
    const { sleep, waits } = recordingSleep();
    const crmApi = createCrmActivities(
      await crm.signIn(DEMO.users[0], { sleep, random: () => 0.5 }),
    );
    await crm.sandbox('/faults/drop', {
      count: 1,
      pathPrefix: '/api/v1/activities',
      method: 'POST',
    });
    const created = await crmApi.create(
      { item: sampleItem({ subject: 'Dropped once' }), typeId: 'typ_meeting' },
      { idempotencyKey: 'drop-1' },
    );
    expect(waits).toHaveLength(1); // one backoff (0.75 × 250 ms with random 0.5)
    expect(waits[0]).toBe(188);
    const all = await crmApi.changes(null);
    expect(all.changed.filter((a) => a.item.subject === 'Dropped once').map((a) => a.id)).toEqual([
      created.id,
    ]);
  });

  it('a hung request is given up after its timeout and tried again; one that keeps hanging is offline', async () => {
    const { sleep, waits } = recordingSleep();
    let hangs = 0;
    const hanging: typeof fetch = (input, init) => {
      // A request that is not meant to hang must not be cut by the 100 ms timeout either: on a
      // loaded machine a real loopback call can take longer, and a second backoff would make
      // this test fail with no defect behind it (seen in a clean clone's CI run).
      if (hangs === 0) return fetch(input, { ...init, signal: null });
      hangs -= 1;
      // Never answers: only the request's own timeout ends it.
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    };
    const crmApi = createCrmActivities(
      await crm.signIn(DEMO.users[0], { fetch: hanging, sleep, timeoutMs: 100, maxAttempts: 3 }),
    );
    hangs = 1;
    expect((await crmApi.listWindow(WINDOW)).length).toBeGreaterThan(0);
    expect(waits).toHaveLength(1);
    hangs = 3;
    const err = await crmApi.listWindow(WINDOW).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'offline', kind: 'offline' });
  });

  it('an expired access token (server clock moved on) is refreshed once, silently', async () => {
    let refreshes = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/sessions/refresh')) refreshes += 1;
      return fetch(input, init);
    };
    const store = new MemoryTokenStore();
    // The session's own clock stands still, so only the server's 401 token-expired tells it.
    const frozen = crm.clock.ms;
    const session = await crm.signIn(DEMO.users[0], { fetch: counting }, store, () => frozen);
    const remembered = store.token;
    crm.clock.ms += 120_000;
    const api = createCrmActivities(session);
    const results = await Promise.all([1, 2, 3, 4].map(() => api.listWindow(WINDOW)));
    expect(results.every((r) => r.length > 0)).toBe(true);
    expect(refreshes).toBe(1);
    expect(store.token).not.toBe(remembered); // the rotated refresh token is remembered (C3)
  });

  it('refreshes ahead of expiry when its own clock says the token is about to lapse', async () => {
    let refreshes = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/sessions/refresh')) refreshes += 1;
      return fetch(input, init);
    };
    const api = createCrmActivities(await crm.signIn(DEMO.users[0], { fetch: counting }));
    crm.clock.ms += 45_000; // 60 s tokens, 30 s skew
    await Promise.all([api.listWindow(WINDOW), api.changes(null)]);
    expect(refreshes).toBe(1);
  });

  it('resumes from a remembered refresh token; sign-out revokes it and clears the store', async () => {
    const store = new MemoryTokenStore();
    await crm.signIn(DEMO.users[0], undefined, store);
    const { CrmSession } = await import('../../../src/crm/session');
    const conn = {
      address: crm.url,
      apiKey: DEMO.apiKey,
      tokenStore: store,
      now: () => crm.clock.ms,
    };
    const resumed = await CrmSession.resume(conn);
    expect(resumed?.userId).toBe('usr_anna');
    const token = store.token;
    await resumed?.signOut();
    expect(store.token).toBeNull();
    store.token = token; // a stolen copy is useless after sign-out
    await expect(CrmSession.resume(conn)).rejects.toMatchObject({ code: 'sessionExpired' });
    expect(store.token).toBeNull();
  });
});
