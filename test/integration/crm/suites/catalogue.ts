/** Company settings, users, activity types (picklist language), resources and relations. */
import { DEMO } from '../../../../sandbox/crm/index';
import { type Api, startTestServer, type TestServer } from '../harness';

type Items<T> = { items: T[] };
type Named = { id: string; name: string };

export function catalogueSuite(): void {
  describe('company, users and catalogue', () => {
    let s: TestServer;
    let anna: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
    });
    afterAll(() => s.close());

    it('reads company settings with any key and changes them only with an admin key', async () => {
      expect((await s.api.get('/api/v1/company')).body).toMatchObject({ syncEnabled: true });
      expect((await s.admin.get('/api/v1/company')).status).toBe(200);
      const denied = await s.api.patch('/api/v1/company', { syncEnabled: false });
      expect([denied.status, denied.body.code]).toEqual([403, 'wrong-api-key-type']);
      const off = await s.admin.patch<{ syncEnabled: boolean }>('/api/v1/company', {
        syncEnabled: false,
      });
      expect(off.body.syncEnabled).toBe(false);
      await s.admin.patch('/api/v1/company', { syncEnabled: true });
      expect((await s.admin.patch('/api/v1/company', { syncEnabled: 'yes' })).status).toBe(400);
    });

    it('tells who is signed in and finds users', async () => {
      const me = await anna.get<{ id: string; aliases: string[]; company: { name: string } }>(
        '/api/v1/me',
      );
      expect(me.body).toMatchObject({
        id: 'usr_anna',
        aliases: ['anna.andersson@contoso.example'],
      });
      expect(me.body.company.name).toBe('Contoso');
      const ben = await anna.get<Items<{ email: string }>>('/api/v1/users?q=ben');
      expect(ben.body.items.map((u) => u.email)).toEqual([DEMO.users[1]]);
      expect((await anna.get<Items<unknown>>('/api/v1/users?q=%25')).body.items).toHaveLength(0);
      expect((await anna.get('/api/v1/users/usr_carla')).status).toBe(200);
      expect((await anna.get('/api/v1/users/usr_nobody')).body.code).toBe('not-found');
      expect((await anna.get('/api/v1/users?unknown=1')).status).toBe(400);
    });

    it('names activity types in the picklist language', async () => {
      type T = { id: string; name: string; personal: boolean };
      const en = await anna.get<Items<T>>('/api/v1/activity-types');
      expect(en.body.items.find((t) => t.id === 'typ_call')?.name).toBe('Phone call');
      expect(en.body.items.filter((t) => t.personal).map((t) => t.id)).toEqual(['typ_personal']);
      const fi = await anna.get<Items<T>>('/api/v1/activity-types?lang=fi');
      expect(fi.body.items.find((t) => t.id === 'typ_call')?.name).toBe('Puhelu');
      const ben = await s.signIn(DEMO.users[1]);
      const bens = await ben.get<Items<T>>('/api/v1/activity-types');
      expect(bens.body.items[0]?.name).toBe('Palaveri');
      const de = await anna.get<Items<T>>('/api/v1/activity-types?lang=de');
      expect(de.body.items[0]?.name).toBe('Besprechung');
      expect((await anna.get('/api/v1/activity-types?lang=xx')).status).toBe(400);
    });

    it('searches resources', async () => {
      const rooms = await anna.get<Items<Named & { email: string | null }>>(
        '/api/v1/resources?q=room',
      );
      expect(rooms.body.items.map((r) => r.id).sort()).toEqual([
        'res_room_aurora',
        'res_room_fjord',
      ]);
      const projector = await anna.get<{ email: string | null }>('/api/v1/resources/res_projector');
      expect(projector.body.email).toBeNull();
      expect((await anna.get('/api/v1/resources/res_none')).status).toBe(404);
    });

    it('searches customers, projects and sales cases', async () => {
      const customers = await anna.get<Items<Named>>('/api/v1/customers?q=north');
      expect(customers.body.items.map((c) => c.id)).toEqual(['cus_northwind']);
      expect((await anna.get<Named>('/api/v1/customers/cus_fabrikam')).body.name).toBe(
        'Fabrikam Oy',
      );
      const projects = await anna.get<Items<Named>>('/api/v1/projects?customerId=cus_fabrikam');
      expect(projects.body.items.map((p) => p.id)).toEqual(['prj_fabrikam_crm']);
      expect((await anna.get('/api/v1/projects/prj_northwind_portal')).status).toBe(200);
      const cases = await anna.get<Items<Named>>('/api/v1/sales-cases?q=licence');
      expect(cases.body.items.map((c) => c.id)).toEqual(['sc_tailspin_licences']);
      expect((await anna.get('/api/v1/sales-cases/sc_northwind_upsell')).status).toBe(200);
      expect((await anna.get('/api/v1/sales-cases/sc_none')).status).toBe(404);
      expect((await anna.get('/api/v1/customers?customerId=x')).status).toBe(400);
    });
  });
}
