/** Pairing one mailbox with one CRM user (SPEC C5, C6, C7). */
import { DEMO } from '../../../../sandbox/crm/index';
import { type Api, startTestServer, type TestServer } from '../harness';

export function pairingSuite(): void {
  describe('pairing', () => {
    let s: TestServer;
    let anna: Api;
    let ben: Api;
    let carla: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
      ben = await s.signIn(DEMO.users[1]);
      carla = await s.signIn(DEMO.users[2]);
    });
    afterAll(() => s.close());

    it('pairs a mailbox that is the user e-mail or an alias, idempotently', async () => {
      expect((await anna.get('/api/v1/pairing')).status).toBe(404);
      const res = await anna.put('/api/v1/pairing', { mailbox: 'Anna.Andersson@contoso.example' });
      expect([res.status, res.body]).toEqual([
        200,
        expect.objectContaining({ userId: 'usr_anna' }),
      ]);
      expect(
        (await anna.put('/api/v1/pairing', { mailbox: 'anna.andersson@contoso.example' })).status,
      ).toBe(200);
      expect((await anna.get('/api/v1/pairing')).body).toMatchObject({
        mailbox: 'anna.andersson@contoso.example',
      });
    });

    it('refuses a mailbox paired with another user (409)', async () => {
      const res = await ben.put('/api/v1/pairing', { mailbox: 'anna.andersson@contoso.example' });
      expect([res.status, res.body.code]).toEqual([409, 'mailbox-paired-elsewhere']);
    });

    it('refuses a second mailbox until the first is unpaired (409)', async () => {
      const res = await anna.put('/api/v1/pairing', { mailbox: DEMO.users[0] });
      expect([res.status, res.body.code]).toEqual([409, 'user-already-paired']);
    });

    it('names both addresses when the mailbox is not the user (422)', async () => {
      const res = await ben.put('/api/v1/pairing', { mailbox: 'ben@elsewhere.example' });
      expect([res.status, res.body.code]).toEqual([422, 'mailbox-mismatch']);
      expect(res.body).toMatchObject({
        mailbox: 'ben@elsewhere.example',
        userEmails: [DEMO.users[1], 'b.berg@contoso.example'],
      });
      expect(res.body.detail).toContain('ben@elsewhere.example');
      expect(res.body.detail).toContain(DEMO.users[1]);
      expect((await ben.get('/api/v1/pairing')).status).toBe(404);
    });

    it('needs the company switch (403), toggled with the admin key', async () => {
      expect((await s.admin.patch('/api/v1/company', { syncEnabled: false })).status).toBe(200);
      const res = await carla.put('/api/v1/pairing', { mailbox: DEMO.users[2] });
      expect([res.status, res.body.code]).toEqual([403, 'sync-disabled']);
      expect((await carla.get('/api/v1/pairing')).status).toBe(404);
      await s.admin.patch('/api/v1/company', { syncEnabled: true });
      expect((await carla.put('/api/v1/pairing', { mailbox: DEMO.users[2] })).status).toBe(200);
    });

    it('unpairs, freeing the mailbox for a new pairing', async () => {
      expect((await anna.delete('/api/v1/pairing')).status).toBe(204);
      expect((await anna.get('/api/v1/pairing')).status).toBe(404);
      expect((await anna.delete('/api/v1/pairing')).status).toBe(204);
      expect((await anna.put('/api/v1/pairing', { mailbox: DEMO.users[0] })).status).toBe(200);
    });
  });
}
