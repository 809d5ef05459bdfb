/** The per-user sync lease: compare-and-set with a TTL on the injected clock. */
import { DEMO } from '../../../../sandbox/crm/index';
import { type Api, startTestServer, type TestServer } from '../harness';

type Lease = { holderId: string; expiresAt: string; version: number };

export function leaseSuite(): void {
  describe('sync lease', () => {
    let s: TestServer;
    let anna: Api;
    let ben: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
      ben = await s.signIn(DEMO.users[1]);
    });
    afterAll(() => s.close());

    const acquire = (api: Api, holderId: string, extra: Record<string, unknown> = {}) =>
      api.put<Lease>('/api/v1/sync-lease', { holderId, ttlSeconds: 60, ...extra });

    it('grants, refuses another holder, renews, and expires by the server clock', async () => {
      expect((await anna.get('/api/v1/sync-lease')).status).toBe(404);
      const first = await acquire(anna, 'pc-1');
      expect(first.body).toEqual({
        holderId: 'pc-1',
        version: 1,
        expiresAt: '2026-03-04T10:01:00Z',
      });
      const other = await anna.put('/api/v1/sync-lease', { holderId: 'laptop', ttlSeconds: 60 });
      expect([other.status, other.body.current]).toEqual([409, first.body]);
      expect((await acquire(ben, 'laptop')).status).toBe(200);
      s.clock.advance(30);
      expect((await acquire(anna, 'pc-1')).body).toMatchObject({
        version: 2,
        expiresAt: '2026-03-04T10:01:30Z',
      });
      expect((await anna.get<Lease>('/api/v1/sync-lease')).body.holderId).toBe('pc-1');
      s.clock.advance(61);
      expect((await anna.get('/api/v1/sync-lease')).status).toBe(404);
      expect((await acquire(anna, 'laptop')).body).toMatchObject({
        holderId: 'laptop',
        version: 3,
      });
    });

    it('compares and sets on expectedVersion', async () => {
      const body = { holderId: 'laptop', ttlSeconds: 60, expectedVersion: 1 };
      const stale = await anna.put('/api/v1/sync-lease', body);
      expect([stale.status, stale.body]).toEqual([
        409,
        expect.objectContaining({ code: 'lease-held' }),
      ]);
      expect((await acquire(anna, 'laptop', { expectedVersion: 3 })).body.version).toBe(4);
    });

    it('releases only for the holder', async () => {
      const denied = await anna.delete('/api/v1/sync-lease?holderId=pc-1');
      expect(denied.status).toBe(409);
      expect((await anna.delete('/api/v1/sync-lease?holderId=laptop')).status).toBe(204);
      expect((await anna.get('/api/v1/sync-lease')).status).toBe(404);
      expect((await acquire(anna, 'pc-1')).body.version).toBe(5);
      expect(
        (await anna.put('/api/v1/sync-lease', { holderId: 'pc 1', ttlSeconds: 60 })).status,
      ).toBe(400);
      expect(
        (await anna.put('/api/v1/sync-lease', { holderId: 'pc-1', ttlSeconds: 9999 })).status,
      ).toBe(400);
    });
  });
}
