/**
 * CrmContactCard and CrmExtranet on the reference CRM (issue 7, SPEC O3): the sender of a message
 * found by exact e-mail address, their card, an activity made from a mail (markup in the subject
 * kept as text), and a project shared, changed and stopped — with the invitation in the outbox.
 */
import { CrmContactCard } from '../../../src/crm/crmContactCard';
import { CrmExtranet, NO_EXTRANET_ACCESS } from '../../../src/crm/crmExtranet';
import { type Crm, DEMO, startCrm } from './harness';
import { EMPTY_SUBJECT } from '../../../src/sync/core/crmText';

describe('CrmContactCard and CrmExtranet on the reference CRM', () => {
  let crm: Crm;
  let cards: CrmContactCard;
  let extranet: CrmExtranet;
  beforeAll(async () => {
    crm = await startCrm();
    const session = await crm.signIn(DEMO.users[0]);
    cards = new CrmContactCard(session);
    extranet = new CrmExtranet(session);
  });
  afterAll(() => crm.close());

  it('finds a contact by exact e-mail address only', async () => {
    expect((await cards.findByEmail('Liisa.Laine@fabrikam.example'))?.id).toBe(
      'con_fabrikam_liisa',
    );
    expect(await cards.findByEmail('laine@fabrikam.example')).toBeNull();
    expect(await cards.findByEmail('nobody@example.com')).toBeNull();
    expect(await cards.findByEmail('')).toBeNull();
    expect((await cards.contact('con_fabrikam_mikko'))?.firstName).toBe('Mikko');
    expect(await cards.contact('con_nobody')).toBeNull();
    const fabrikam = await cards.contactsOfCustomer('cus_fabrikam');
    expect(fabrikam.map((c) => c.id).sort()).toEqual(['con_fabrikam_liisa', 'con_fabrikam_mikko']);
  });

  it('creates an activity from a mail and shows it on the card', async () => {
    const start = new Date(crm.clock.ms + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const end = new Date(crm.clock.ms + 5_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const input = {
      subject: 'Re: <img src=x onerror=alert(1)> offer',
      description: 'Hello\r\nsee <b>this</b>\u0000',
      typeId: 'typ_meeting',
      contactId: 'con_fabrikam_liisa',
      start,
      end,
      timeZone: 'Europe/Helsinki',
      idempotencyKey: 'mail-activity-1',
    };
    const created = await cards.createFromMail(input);
    expect(created.subject).toBe('Re: ‹img src=x onerror=alert(1)> offer');
    // The same key again is the same activity (a double click makes one).
    expect((await cards.createFromMail(input)).id).toBe(created.id);
    // Issue 14 item 3: the mail path cleans with the sync path's module — a mail without a
    // subject (or of bidi marks only) gets the documented placeholder instead of a 400.
    const blank = await cards.createFromMail({
      ...input,
      subject: '\u200f \u200e',
      idempotencyKey: 'mail-activity-blank',
    });
    expect(blank.subject).toBe(EMPTY_SUBJECT);
    const card = await cards.card('con_fabrikam_liisa');
    expect(card.customer?.name).toBe('Fabrikam Oy');
    expect(card.openProjects.map((p) => p.id)).toEqual(['prj_fabrikam_crm']);
    expect(card.upcomingActivities.filter((a) => a.id === created.id)).toHaveLength(1);
  });

  it('shares a project, changes it and stops it', async () => {
    expect(await extranet.get('prj_fabrikam_crm', 'con_fabrikam_mikko')).toBeNull();
    const access = {
      rights: { ...NO_EXTRANET_ACCESS.rights, comment: true },
      sections: NO_EXTRANET_ACCESS.sections,
    };
    const first = await extranet.save('prj_fabrikam_crm', 'con_fabrikam_mikko', access);
    expect(first.invited).toBe(true);
    expect(first.share.rights.comment).toBe(true);
    const again = await extranet.save('prj_fabrikam_crm', 'con_fabrikam_mikko', {
      ...access,
      rights: { ...access.rights, addFilesAndLinks: true },
    });
    expect(again.invited).toBe(false);
    expect((await extranet.get('prj_fabrikam_crm', 'con_fabrikam_mikko'))?.rights).toEqual({
      approveHours: false,
      comment: true,
      addFilesAndLinks: true,
    });
    expect((await extranet.list('prj_fabrikam_crm')).map((s) => s.contactId)).toEqual([
      'con_fabrikam_mikko',
    ]);
    expect(await extranet.stop('prj_fabrikam_crm', 'con_fabrikam_mikko')).toBe(true);
    expect(await extranet.stop('prj_fabrikam_crm', 'con_fabrikam_mikko')).toBe(false);
    expect(await extranet.list('prj_fabrikam_crm')).toEqual([]);
  });

  it('refuses a contact without a valid e-mail address', async () => {
    await expect(
      extranet.save('prj_northwind_portal', 'con_northwind_ingrid', NO_EXTRANET_ACCESS),
    ).rejects.toMatchObject({ name: expect.any(String) });
  });
});
