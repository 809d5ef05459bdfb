/**
 * The contact card and extranet sharing (issue 7, SPEC O3): the card's customer, open projects and
 * activities with the contact; shares created (with an invitation in the sandbox outbox), changed
 * at once, refused for contacts without a valid e-mail or of another customer, and stopped.
 */
import type {
  ContactCardSchema,
  ExtranetShareSchema,
} from '../../../../sandbox/crm/schemas/extranet';
import type { z } from 'zod';
import { DEMO } from '../../../../sandbox/crm/index';
import { type Api, startTestServer, T0, type TestServer } from '../harness';
import { idem, newActivity } from './fixtures';

type Card = z.output<typeof ContactCardSchema>;
type Share = z.output<typeof ExtranetShareSchema>;
type Outbox = { items: Array<{ contactId: string; recipient: string; oneTimePassword: string }> };

const none = {
  rights: { approveHours: false, comment: false, addFilesAndLinks: false },
  sections: {
    financials: { invoicing: false, billable: false },
    phases: { gantt: false, tree: false, hoursWithTimes: false, estimates: false },
    other: { status: false, changeStatus: false, filesAndLinks: false },
  },
};
const SHARES = '/api/v1/projects/prj_fabrikam_crm/extranet-shares';

export function extranetSuite(): void {
  describe('contact card and extranet shares', () => {
    let s: TestServer;
    let anna: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
    });
    afterAll(() => s.close());

    it("gives a contact's customer, open projects and recent and upcoming activities", async () => {
      const at = (days: number) => new Date(T0 + days * 86_400_000).toISOString();
      const withLiisa = (subject: string, days: number) =>
        anna.post(
          '/api/v1/activities',
          newActivity({
            subject,
            start: at(days),
            end: at(days + 0.05),
            timeZone: 'UTC',
            participants: [{ kind: 'contact', contactId: 'con_fabrikam_liisa' }],
          }),
          idem(),
        );
      expect((await withLiisa('Card past', -2)).status).toBe(201);
      expect((await withLiisa('Card next', 3)).status).toBe(201);
      expect((await withLiisa('Card far', 90)).status).toBe(201);
      const card = await anna.get<Card>('/api/v1/contacts/con_fabrikam_liisa/card');
      expect(card.status).toBe(200);
      expect(card.body.customer).toEqual({ id: 'cus_fabrikam', name: 'Fabrikam Oy' });
      expect(card.body.openProjects.map((p) => p.id)).toEqual(['prj_fabrikam_crm']);
      expect(card.body.recentActivities.map((a) => a.subject)).toContain('Card past');
      expect(card.body.upcomingActivities.map((a) => a.subject)).toContain('Card next');
      expect(card.body.upcomingActivities.map((a) => a.subject)).not.toContain('Card far');
      const wide = await anna.get<Card>('/api/v1/contacts/con_fabrikam_liisa/card?days=120');
      expect(wide.body.upcomingActivities.map((a) => a.subject)).toContain('Card far');
      expect((await anna.get('/api/v1/contacts/con_nobody/card')).status).toBe(404);
    });

    it('shares a project with invitation, changes it at once and stops it', async () => {
      const shared = await anna.put<Share>(`${SHARES}/con_fabrikam_liisa`, {
        ...none,
        rights: { ...none.rights, approveHours: true },
        sections: { ...none.sections, phases: { ...none.sections.phases, gantt: true } },
      });
      expect(shared.status).toBe(201);
      expect(shared.body).toMatchObject({
        projectId: 'prj_fabrikam_crm',
        contactId: 'con_fabrikam_liisa',
        rights: { approveHours: true, comment: false },
        sections: { phases: { gantt: true, tree: false } },
      });
      const outbox = await s.admin.get<Outbox>('/sandbox/extranet-outbox');
      expect(outbox.body.items).toHaveLength(1);
      expect(outbox.body.items[0]).toMatchObject({
        contactId: 'con_fabrikam_liisa',
        recipient: 'liisa.laine@fabrikam.example',
      });
      expect(outbox.body.items[0]?.oneTimePassword).toMatch(/^[A-Za-z2-9]{12}$/);
      // The password is in the outbox only: no API answer carries it.
      expect(shared.text).not.toContain(outbox.body.items[0]?.oneTimePassword);
      expect((await s.api.get('/sandbox/extranet-outbox')).status).toBe(403);

      const changed = await anna.put<Share>(`${SHARES}/con_fabrikam_liisa`, {
        ...none,
        sections: { ...none.sections, other: { ...none.sections.other, status: true } },
      });
      expect(changed.status).toBe(200);
      const read = await anna.get<Share>(`${SHARES}/con_fabrikam_liisa`);
      expect(read.body.rights.approveHours).toBe(false);
      expect(read.body.sections.other.status).toBe(true);
      expect(read.body.sections.phases.gantt).toBe(false);
      const list = await anna.get<{ items: Share[] }>(SHARES);
      expect(list.body.items.map((x) => x.contactId)).toEqual(['con_fabrikam_liisa']);
      // A change sends no second invitation.
      expect((await s.admin.get<Outbox>('/sandbox/extranet-outbox')).body.items).toHaveLength(1);

      expect((await anna.delete(`${SHARES}/con_fabrikam_liisa`)).status).toBe(204);
      expect((await anna.get(`${SHARES}/con_fabrikam_liisa`)).status).toBe(404);
      expect((await anna.delete(`${SHARES}/con_fabrikam_liisa`)).status).toBe(404);
      expect((await anna.get<{ items: Share[] }>(SHARES)).body.items).toEqual([]);
    });

    it('refuses contacts without a valid e-mail, of another customer, and bad bodies', async () => {
      const noMail = await anna.put(
        '/api/v1/projects/prj_northwind_portal/extranet-shares/con_northwind_ingrid',
        none,
      );
      expect([noMail.status, noMail.body.code]).toEqual([422, 'no-valid-email']);
      const other = await anna.put(`${SHARES}/con_northwind_sven`, none);
      expect([other.status, other.body.code]).toEqual([422, 'not-a-contact-of-the-customer']);
      expect((await anna.put(`${SHARES}/con_nobody`, none)).status).toBe(404);
      expect((await anna.put('/api/v1/projects/prj_nope/extranet-shares/x', none)).status).toBe(
        404,
      );
      const partial = await anna.put(`${SHARES}/con_fabrikam_liisa`, { rights: none.rights });
      expect(partial.status).toBe(400);
      expect((await s.api.withKey(DEMO.apiKey).get(SHARES)).status).toBe(401);
    });
  });
}
