/** Pairing one mailbox with one CRM user (SPEC C5, C6, C7). */
import { DEMO } from '../../../../sandbox/crm/index';
import { serverWithTeam } from './signedIn';

export function pairingSuite(): void {
  describe('pairing', () => {
    const team = serverWithTeam();

    it('pairs a mailbox that is the user e-mail or an alias, idempotently', async () => {
      expect((await team.anna.get('/api/v1/pairing')).status).toBe(404);
      const res = await team.anna.put('/api/v1/pairing', {
        mailbox: 'Anna.Andersson@contoso.example',
      });
      expect([res.status, res.body]).toEqual([
        200,
        expect.objectContaining({ userId: 'usr_anna' }),
      ]);
      expect(
        (await team.anna.put('/api/v1/pairing', { mailbox: 'anna.andersson@contoso.example' }))
          .status,
      ).toBe(200);
      expect((await team.anna.get('/api/v1/pairing')).body).toMatchObject({
        mailbox: 'anna.andersson@contoso.example',
      });
    });

    it('refuses a mailbox paired with another user (409)', async () => {
      const res = await team.ben.put('/api/v1/pairing', {
        mailbox: 'anna.andersson@contoso.example',
      });
      expect([res.status, res.body.code]).toEqual([409, 'mailbox-paired-elsewhere']);
    });

    it('refuses a second mailbox until the first is unpaired (409)', async () => {
      const res = await team.anna.put('/api/v1/pairing', { mailbox: DEMO.users[0] });
      expect([res.status, res.body.code]).toEqual([409, 'user-already-paired']);
    });

    it('names both addresses when the mailbox is not the user (422)', async () => {
      const res = await team.ben.put('/api/v1/pairing', { mailbox: 'ben@elsewhere.example' });
      expect([res.status, res.body.code]).toEqual([422, 'mailbox-mismatch']);
      expect(res.body).toMatchObject({
        mailbox: 'ben@elsewhere.example',
        userEmails: [DEMO.users[1], 'b.berg@contoso.example'],
      });
      expect(res.body.detail).toContain('ben@elsewhere.example');
      expect(res.body.detail).toContain(DEMO.users[1]);
      expect((await team.ben.get('/api/v1/pairing')).status).toBe(404);
    });

    it('needs the company switch (403), toggled with the admin key', async () => {
      expect(
        (await team.server.admin.patch('/api/v1/company', { syncEnabled: false })).status,
      ).toBe(200);
      const res = await team.carla.put('/api/v1/pairing', { mailbox: DEMO.users[2] });
      expect([res.status, res.body.code]).toEqual([403, 'sync-disabled']);
      expect((await team.carla.get('/api/v1/pairing')).status).toBe(404);
      await team.server.admin.patch('/api/v1/company', { syncEnabled: true });
      expect((await team.carla.put('/api/v1/pairing', { mailbox: DEMO.users[2] })).status).toBe(
        200,
      );
    });

    it('unpairs, freeing the mailbox for a new pairing', async () => {
      expect((await team.anna.delete('/api/v1/pairing')).status).toBe(204);
      expect((await team.anna.get('/api/v1/pairing')).status).toBe(404);
      expect((await team.anna.delete('/api/v1/pairing')).status).toBe(204);
      expect((await team.anna.put('/api/v1/pairing', { mailbox: DEMO.users[0] })).status).toBe(200);
    });
  });
}
