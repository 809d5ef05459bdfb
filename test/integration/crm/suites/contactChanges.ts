/**
 * The contacts' change feed (SPEC K2): a full listing in pages, then changes since a cursor
 * with each user's own mark, archived contacts, tombstones of deleted ones, 400 and 410
 * cursors; Idempotency-Key on create.
 */
import { DEMO } from '../../../../sandbox/crm/index';
import type { Contact } from '../../../../sandbox/crm/schemas/contact';
import { type Api, startTestServer, type TestServer } from '../harness';
import { idem } from './fixtures';

type Change =
  | { id: string; deleted: false; changedAt: string; contact: Contact }
  | { id: string; deleted: true; changedAt: string };
type Page = { items: Change[]; nextCursor: string; hasMore: boolean };

async function drain(api: Api, cursor?: string, limit = 3) {
  const items: Change[] = [];
  let next = cursor;
  for (;;) {
    const q = new URLSearchParams({ limit: String(limit), ...(next ? { cursor: next } : {}) });
    const res = await api.get<Page>(`/api/v1/contacts/changes?${q.toString()}`);
    if (res.status !== 200) throw new Error(res.text);
    items.push(...res.body.items);
    next = res.body.nextCursor;
    if (!res.body.hasMore) return { items, cursor: next };
  }
}

const person = { firstName: 'Kaisa', lastName: 'Korhonen', email: 'kaisa@fabrikam.example' };

export function contactChangesSuite(): void {
  describe('contacts: change feed and idempotent create', () => {
    let s: TestServer;
    let anna: Api;
    let ben: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
      ben = await s.signIn(DEMO.users[1]);
    });
    afterAll(() => s.close());

    it('lists every contact without a cursor, in pages, with the reader’s own marks', async () => {
      const { items } = await drain(anna);
      const all = await anna.get<{ items: Contact[] }>(
        '/api/v1/contacts?includeArchived=true&limit=500',
      );
      expect(items.map((c) => c.id).sort()).toEqual(all.body.items.map((c) => c.id).sort());
      const marked = items.flatMap((c) => (!c.deleted && c.contact.syncToOutlook ? [c.id] : []));
      expect(marked.sort()).toEqual([
        'con_fabrikam_liisa',
        'con_fabrikam_mikko',
        'con_northwind_sven',
      ]);
      const forBen = (await drain(ben)).items;
      expect(forBen.some((c) => !c.deleted && c.contact.syncToOutlook)).toBe(false);
    });

    it('reports creates, edits, marks, archives and deletions (tombstones) since a cursor', async () => {
      const start = (await drain(anna)).cursor;
      const a = (await anna.post<Contact>('/api/v1/contacts', person, idem())).body;
      const b = (
        await anna.post<Contact>('/api/v1/contacts', { ...person, email: null, lastName: 'B' })
      ).body;
      const marked = await ben.patch<Contact>(
        `/api/v1/contacts/${a.id}`,
        { syncToOutlook: true },
        { headers: { 'if-match': a.etag } },
      );
      expect(marked.status).toBe(200);
      await anna.post(`/api/v1/contacts/${a.id}/archive`);
      expect((await s.admin.post(`/sandbox/contacts/${b.id}/delete`)).status).toBe(200);
      expect((await s.admin.post(`/sandbox/contacts/${b.id}/delete`)).status).toBe(404);

      const forAnna = await drain(anna, start, 1);
      expect(forAnna.items.map((c) => [c.id, c.deleted])).toEqual([
        [a.id, false],
        [b.id, true],
      ]);
      expect(forAnna.items[0]).toMatchObject({ contact: { archived: true, syncToOutlook: false } });
      const forBen = await drain(ben, start);
      expect(forBen.items[0]).toMatchObject({ contact: { syncToOutlook: true } });
      // Nothing new: the same cursor comes back empty.
      expect((await drain(anna, forAnna.cursor)).items).toEqual([]);
    });

    it('replays a create with the same Idempotency-Key; another body is 422', async () => {
      const key = idem();
      const first = await anna.post<Contact>('/api/v1/contacts', person, key);
      const again = await anna.post<Contact>('/api/v1/contacts', person, key);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const other = await anna.post('/api/v1/contacts', { ...person, title: 'CEO' }, key);
      expect([other.status, other.body.code]).toEqual([422, 'idempotency-key-reused']);
    });

    it('archiving twice changes nothing the second time', async () => {
      const c = (await anna.post<Contact>('/api/v1/contacts', person)).body;
      const once = await anna.post<Contact>(`/api/v1/contacts/${c.id}/archive`);
      const twice = await anna.post<Contact>(`/api/v1/contacts/${c.id}/archive`);
      expect(twice.body.etag).toBe(once.body.etag);
    });

    it('answers 400 to a foreign cursor and 410 to one older than the compacted log', async () => {
      const bad = await anna.get('/api/v1/contacts/changes?cursor=bm9wZQ');
      expect([bad.status, bad.body.code]).toEqual([400, 'invalid-cursor']);
      const { cursor } = await drain(anna);
      await anna.post<Contact>('/api/v1/contacts', person);
      s.clock.advance(60);
      await s.admin.post('/sandbox/compact-changes', {});
      const gone = await anna.get(`/api/v1/contacts/changes?cursor=${cursor}`);
      expect([gone.status, gone.body.code]).toEqual([410, 'cursor-expired']);
      expect((await drain(anna)).items.length).toBeGreaterThan(0);
    });
  });
}
