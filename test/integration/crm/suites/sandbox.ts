/** Sandbox controls: fault injection (429/503 + Retry-After, latency, drops), clock, reset. */
import type { Activity } from '../../../../sandbox/crm/schemas/activity';
import { type Api, startTestServer, type TestServer } from '../harness';
import { idem, newActivity } from './fixtures';

export function sandboxSuite(): void {
  describe('sandbox controls', () => {
    let s: TestServer;
    let anna: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
    });
    afterAll(() => s.close());

    it('are guarded by the admin key', async () => {
      expect((await s.api.post('/sandbox/faults', { status: 503 })).status).toBe(403);
      expect((await s.api.withKey(null).post('/sandbox/reset')).status).toBe(401);
    });

    it('answers the next N matching requests with 503/429 and Retry-After', async () => {
      const armed = await s.admin.post('/sandbox/faults', {
        status: 503,
        retryAfterSeconds: 7,
        count: 2,
        pathPrefix: '/api/v1/me',
      });
      expect(armed.status).toBe(201);
      for (let i = 0; i < 2; i++) {
        const res = await anna.get('/api/v1/me');
        expect([res.status, res.headers.get('retry-after'), res.body.code]).toEqual([
          503,
          '7',
          'service-unavailable',
        ]);
      }
      expect((await anna.get('/api/v1/me')).status).toBe(200);
      await s.admin.post('/sandbox/faults', { status: 429, retryAfterSeconds: 2, method: 'POST' });
      expect((await anna.get('/api/v1/me')).status).toBe(200);
      const limited = await anna.post('/api/v1/activities', newActivity(), idem());
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    });

    it('delays and drops requests', async () => {
      await s.admin.post('/sandbox/faults/latency', { ms: 300, pathPrefix: '/api/v1/company' });
      const t = Date.now();
      expect((await anna.get('/api/v1/company')).status).toBe(200);
      expect(Date.now() - t).toBeGreaterThanOrEqual(290);
      await s.admin.post('/sandbox/faults/drop', { count: 1, pathPrefix: '/api/v1/me' });
      await expect(fetch(`${s.url}/api/v1/me`)).rejects.toThrow();
      expect((await anna.get('/api/v1/me')).status).toBe(200);
      await s.admin.post('/sandbox/faults', { status: 503, count: 5 });
      expect((await s.admin.get<{ items: unknown[] }>('/sandbox/faults')).body.items).toHaveLength(
        1,
      );
      expect((await s.admin.delete('/sandbox/faults')).status).toBe(204);
      expect((await anna.get('/api/v1/me')).status).toBe(200);
    });

    it("count 0 arms a fault until it is cleared (a remote service's round trip, for benches)", async () => {
      await s.admin.post('/sandbox/faults/latency', {
        ms: 150,
        count: 0,
        pathPrefix: '/api/v1/company',
      });
      for (let i = 0; i < 3; i++) {
        const t = Date.now();
        expect((await anna.get('/api/v1/company')).status).toBe(200);
        expect(Date.now() - t).toBeGreaterThanOrEqual(140);
      }
      type Pending = { items: { remaining: number | null }[] };
      expect((await s.admin.get<Pending>('/sandbox/faults')).body.items).toEqual([
        expect.objectContaining({ remaining: null }),
      ]);
      expect((await s.admin.delete('/sandbox/faults')).status).toBe(204);
      expect((await s.admin.get<Pending>('/sandbox/faults')).body.items).toEqual([]);
    });

    it('moves the clock so tokens expire for out-of-process clients', async () => {
      expect((await s.admin.post('/sandbox/clock', { advanceSeconds: 901 })).status).toBe(200);
      expect((await anna.get('/api/v1/me')).body.code).toBe('token-expired');
      anna = await s.signIn();
    });

    it('resets to the demo data; old cursors then get 410', async () => {
      type Page = { nextCursor: string };
      const cursor = (await anna.get<Page>('/api/v1/activities/changes?limit=500')).body.nextCursor;
      const a = (await anna.post<Activity>('/api/v1/activities', newActivity(), idem())).body;
      expect((await s.admin.post('/sandbox/reset')).status).toBe(204);
      anna = await s.signIn();
      expect((await anna.get(`/api/v1/activities/${a.id}`)).status).toBe(404);
      expect((await anna.get('/api/v1/activities/act_weekly_team')).status).toBe(200);
      expect((await anna.get(`/api/v1/activities/changes?cursor=${cursor}`)).status).toBe(410);
    });
  });
}
