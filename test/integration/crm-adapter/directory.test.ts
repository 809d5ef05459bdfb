/** CrmDirectory on the reference CRM: what the pane reads (SPEC L2, F4, K1–K2, O1, C7, E5). */
import { CrmDirectory } from '../../../src/crm/crmDirectory';
import { type Crm, DEMO, startCrm } from './harness';

describe('CrmDirectory on the reference CRM', () => {
  let crm: Crm;
  let dir: CrmDirectory;
  beforeAll(async () => {
    crm = await startCrm();
    dir = new CrmDirectory(await crm.signIn(DEMO.users[0]));
  });
  afterAll(() => crm.close());

  it('reads me and my company', async () => {
    const me = await dir.me();
    expect(me).toMatchObject({
      id: 'usr_anna',
      email: DEMO.users[0],
      company: { syncEnabled: true },
    });
  });

  it('lists activity types in the picklist language (SPEC L2), else the user’s', async () => {
    const fi = await dir.activityTypes('fi');
    expect(fi.find((t) => t.id === 'typ_call')?.name).toBe('Puhelu');
    const own = await dir.activityTypes();
    expect(own.find((t) => t.id === 'typ_call')?.name).toBe('Phone call');
    expect(own.filter((t) => t.personal).map((t) => t.id)).toEqual(['typ_personal']);
  });

  it('searches users, contacts and resources (SPEC F4, K1)', async () => {
    expect((await dir.users('ben')).map((u) => u.id)).toEqual(['usr_ben']);
    const contacts = await dir.contacts({ q: 'liisa', limit: 10 });
    expect(contacts.items.map((c) => c.id)).toContain('con_fabrikam_liisa');
    expect((await dir.resources('aurora'))[0]?.email).toBe('aurora@contoso.example');
  });

  it('searches customers, projects and sales cases together (SPEC O1)', async () => {
    const found = await dir.searchRelations('a');
    expect(
      found.customers.length + found.projects.length + found.salesCases.length,
    ).toBeGreaterThan(0);
  });

  it('accepts a technical error report (SPEC E5)', async () => {
    const id = await dir.sendErrorReport({
      appVersion: '0.1.0',
      platform: 'OutlookWebApp',
      errorKind: 'SyncError',
      messageCode: 'errors.offline.message',
      stack: 'Error: x\n    at f (a.js:1:1)',
      occurredAt: '2026-03-04T10:00:00Z',
    });
    expect(id).toEqual(expect.any(String));
  });
});
