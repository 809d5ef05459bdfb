/** Contacts: per-user Outlook marks, ETags, If-Match rules, archiving. */
import { DEMO } from '../../../../sandbox/crm/index';
import type { Contact } from '../../../../sandbox/crm/schemas/contact';
import { type Api, startTestServer, type TestServer } from '../harness';

type Page = { items: Contact[]; hasMore: boolean };

export function contactsSuite(): void {
  describe('contacts', () => {
    let s: TestServer;
    let anna: Api;
    let ben: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
      ben = await s.signIn(DEMO.users[1]);
    });
    afterAll(() => s.close());

    it('lists the contacts each user marked for Outlook', async () => {
      const marked = await anna.get<Page>('/api/v1/contacts?syncToOutlook=true');
      expect(marked.body.items.map((c) => c.id).sort()).toEqual([
        'con_fabrikam_liisa',
        'con_fabrikam_mikko',
        'con_northwind_sven',
      ]);
      expect((await ben.get<Page>('/api/v1/contacts?syncToOutlook=true')).body.items).toEqual([]);
      const page = await anna.get<Page>('/api/v1/contacts?limit=2&offset=1');
      expect(page.body).toMatchObject({ hasMore: true });
      expect(page.body.items).toHaveLength(2);
      const byCustomer = await anna.get<Page>('/api/v1/contacts?customerId=cus_tailspin&q=giu');
      expect(byCustomer.body.items.map((c) => c.id)).toEqual(['con_tailspin_giulia']);
    });

    it('reads one contact with its ETag', async () => {
      const res = await anna.get<Contact>('/api/v1/contacts/con_northwind_sven');
      expect(res.headers.get('etag')).toBe(res.body.etag);
      expect((await anna.get('/api/v1/contacts/con_nobody')).status).toBe(404);
    });

    it('creates, updates with If-Match and archives', async () => {
      const created = await anna.post<Contact>('/api/v1/contacts', {
        firstName: 'Paula',
        lastName: 'Pérez',
        email: 'paula@tailspin.example',
        customerId: 'cus_tailspin',
        syncToOutlook: true,
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/v1/contacts/${created.body.id}`);
      const path = `/api/v1/contacts/${created.body.id}`;

      const noMatch = await anna.patch(path, { title: 'Buyer' });
      expect([noMatch.status, noMatch.body.code]).toEqual([428, 'precondition-required']);
      const stale = await anna.patch(
        path,
        { title: 'Buyer' },
        { headers: { 'if-match': '"old"' } },
      );
      expect(stale.status).toBe(412);
      expect(stale.body.current).toMatchObject({ id: created.body.id, title: null });

      const updated = await anna.patch<Contact>(
        path,
        { title: 'Buyer' },
        {
          headers: { 'if-match': created.body.etag },
        },
      );
      expect(updated.body).toMatchObject({ title: 'Buyer', version: 2, syncToOutlook: true });
      // The Outlook mark is per user.
      expect((await ben.get<Contact>(path)).body.syncToOutlook).toBe(false);

      const archived = await anna.post<Contact>(`${path}/archive`, undefined, {
        headers: { 'if-match': updated.body.etag },
      });
      expect(archived.body.archived).toBe(true);
      const list = await anna.get<Page>('/api/v1/contacts?q=Paula');
      expect(list.body.items).toEqual([]);
      const all = await anna.get<Page>('/api/v1/contacts?q=Paula&includeArchived=true');
      expect(all.body.items.map((c) => c.id)).toEqual([created.body.id]);
    });

    it('rejects unknown customers and hostile names without writing', async () => {
      const unknown = await anna.post('/api/v1/contacts', {
        firstName: 'A',
        lastName: 'B',
        customerId: 'cus_none',
      });
      expect([unknown.status, unknown.body.code]).toEqual([422, 'invalid-reference']);
      const hostile = await anna.post('/api/v1/contacts', {
        firstName: '<img src=x>',
        lastName: 'B',
      });
      expect(hostile.status).toBe(400);
      const before = await anna.get<Contact>('/api/v1/contacts/con_northwind_sven');
      const bad = await anna.patch(
        '/api/v1/contacts/con_northwind_sven',
        { lastName: 'Svens\u202Esson' },
        { headers: { 'if-match': before.body.etag } },
      );
      expect(bad.status).toBe(400);
      expect((await anna.get<Contact>('/api/v1/contacts/con_northwind_sven')).body).toEqual(
        before.body,
      );
      const all = await anna.get<Page>('/api/v1/contacts?q=B&includeArchived=true');
      expect(all.body.items.filter((c) => c.lastName === 'B')).toEqual([]);
    });
  });
}
