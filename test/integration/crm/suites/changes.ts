/** The change feed: paging, tombstones, visibility changes, 400 and 410 cursors. */
import { DEMO } from '../../../../sandbox/crm/index';
import type { Activity } from '../../../../sandbox/crm/schemas/activity';
import { type Api, startTestServer, type TestServer } from '../harness';
import { ANNA_VISIBLE, idem, newActivity } from './fixtures';

type Change =
  | { id: string; deleted: false; activity: Activity }
  | { id: string; deleted: true; reason: string };
type Page = { items: Change[]; nextCursor: string; hasMore: boolean };

/** Reads the feed to the end; returns every item and the final cursor. */
async function drain(api: Api, cursor?: string, limit = 4) {
  const items: Change[] = [];
  let next = cursor;
  for (;;) {
    const q = new URLSearchParams({ limit: String(limit), ...(next ? { cursor: next } : {}) });
    const res = await api.get<Page>(`/api/v1/activities/changes?${q.toString()}`);
    if (res.status !== 200) throw new Error(res.text);
    items.push(...res.body.items);
    next = res.body.nextCursor;
    if (!res.body.hasMore) return { items, cursor: next };
  }
}

export function changesSuite(): void {
  describe('activities: change feed', () => {
    let s: TestServer;
    let anna: Api;
    let ben: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
      ben = await s.signIn(DEMO.users[1]);
    });
    afterAll(() => s.close());

    it('starts from the beginning without a cursor, in pages', async () => {
      const { items } = await drain(anna, undefined, 3);
      expect(items.map((c) => c.id).sort()).toEqual(ANNA_VISIBLE);
      expect(items.every((c) => !c.deleted)).toBe(true);
    });

    it('reports creates, updates, deletes (tombstones) and lost visibility', async () => {
      const start = (await drain(anna)).cursor;
      const benStart = (await drain(ben)).cursor;
      const body = newActivity({ participants: [{ kind: 'user', userId: 'usr_ben' }] });
      const a = (await anna.post<Activity>('/api/v1/activities', body, idem())).body;
      const b = (await anna.post<Activity>('/api/v1/activities', newActivity(), idem())).body;
      await anna.patch(
        `/api/v1/activities/${b.id}`,
        { subject: 'Renamed' },
        { headers: { 'if-match': b.etag } },
      );

      const seen = await drain(anna, start);
      expect(seen.items.map((c) => c.id)).toEqual([a.id, b.id]);
      const renamed = seen.items[1];
      expect(renamed?.deleted === false && renamed.activity.subject).toBe('Renamed');
      expect((await drain(anna, seen.cursor)).items).toEqual([]);

      await ben.post(`/api/v1/activities/${a.id}/remove-me`);
      await anna.delete(`/api/v1/activities/${b.id}`);
      const later = await drain(anna, seen.cursor);
      expect(later.items.map((c) => [c.id, c.deleted])).toEqual([
        [a.id, false],
        [b.id, true],
      ]);
      const bens = await drain(ben, benStart);
      expect(bens.items).toEqual([
        expect.objectContaining({ id: a.id, deleted: true, reason: 'no-longer-visible' }),
      ]);
    });

    it('answers 400 to a malformed cursor', async () => {
      for (const cursor of ['garbage', Buffer.from('c1.999999.0').toString('base64url')]) {
        const res = await anna.get(`/api/v1/activities/changes?cursor=${cursor}`);
        expect([res.status, res.body.code]).toEqual([400, 'invalid-cursor']);
      }
    });

    it('answers 410 to a cursor older than the compacted log; a resync works', async () => {
      const old = (await drain(anna)).cursor;
      const a = (await anna.post<Activity>('/api/v1/activities', newActivity(), idem())).body;
      await anna.delete(`/api/v1/activities/${a.id}`);
      const compacted = await s.admin.post<{ removed: number }>('/sandbox/compact-changes', {});
      expect(compacted.body.removed).toBeGreaterThan(0);
      const gone = await anna.get(`/api/v1/activities/changes?cursor=${old}`);
      expect([gone.status, gone.body.code]).toEqual([410, 'cursor-expired']);
      const resync = await drain(anna);
      expect(resync.items.map((c) => c.id)).not.toContain(a.id);
      expect(resync.items.length).toBeGreaterThanOrEqual(ANNA_VISIBLE.length);
    });

    it('compacts by itself after the configured retention (injected clock)', async () => {
      const short = await startTestServer({ changeRetention: { maxAgeSeconds: 60 } });
      try {
        const api = await short.signIn();
        const old = (await drain(api)).cursor;
        const a = (await api.post<Activity>('/api/v1/activities', newActivity(), idem())).body;
        await api.patch(
          `/api/v1/activities/${a.id}`,
          { subject: 'v2' },
          { headers: { 'if-match': a.etag } },
        );
        expect((await api.get(`/api/v1/activities/changes?cursor=${old}`)).status).toBe(200);
        short.clock.advance(3600);
        const later = await short.signIn();
        await later.post('/api/v1/activities', newActivity(), idem());
        expect((await later.get(`/api/v1/activities/changes?cursor=${old}`)).status).toBe(410);
      } finally {
        await short.close();
      }
    });
  });
}
