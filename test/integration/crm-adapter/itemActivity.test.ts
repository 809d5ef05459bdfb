/**
 * CrmItemActivity on the reference CRM (SPEC O1, O2, F2): relation search per kind, names behind
 * ids, setting relations with If-Match (a lost race retried once on the current version), the
 * owner rule, and the activity's web address from the contract's `webUrl`.
 */
import { CrmItemActivity } from '../../../src/crm/crmItemActivity';
import { SyncError } from '../../../src/sync/core/errors';
import type { CalendarItem } from '../../../src/sync/core/model';
import { type Crm, createCrmActivities, DEMO, startCrm } from './harness';

const item: CalendarItem = {
  subject: 'Relations',
  time: {
    kind: 'timed',
    start: '2026-03-05T08:00:00Z',
    end: '2026-03-05T09:00:00Z',
    timeZone: 'Europe/Helsinki',
  },
  location: '',
  description: '',
  isPrivate: false,
  showAs: 'busy',
  reminderMinutes: 15,
  participants: [],
  recurrence: null,
  occurrenceOf: null,
  isCancelled: false,
};

describe('CrmItemActivity on the reference CRM', () => {
  let crm: Crm;
  let anna: CrmItemActivity;
  let ben: CrmItemActivity;
  let activityId: string;
  beforeAll(async () => {
    crm = await startCrm();
    const session = await crm.signIn(DEMO.users[0]);
    anna = new CrmItemActivity(session);
    ben = new CrmItemActivity(await crm.signIn(DEMO.users[1]));
    const created = await createCrmActivities(session).create(
      { item, typeId: 'typ_visit' },
      { idempotencyKey: 'item-activity-test' },
    );
    activityId = created.id;
  });
  afterAll(() => crm.close());

  it('searches each kind on its own, projects and sales cases also by customer', async () => {
    expect(await anna.search('customer', 'north')).toEqual([
      { id: 'cus_northwind', name: 'Northwind Traders AB', customerId: null },
    ]);
    const projects = await anna.search('project', '', 'cus_fabrikam');
    expect(projects.map((p) => p.id)).toEqual(['prj_fabrikam_crm']);
    expect(projects.every((p) => p.customerId === 'cus_fabrikam')).toBe(true);
    expect((await anna.search('salesCase', 'upsell')).map((s) => s.id)).toEqual([
      'sc_northwind_upsell',
    ]);
    expect(await anna.search('customer', 'no such customer')).toEqual([]);
  });

  it('reads the activity with its web address, and names behind relation ids', async () => {
    const activity = await anna.get(activityId);
    expect(activity).toMatchObject({
      id: activityId,
      typeId: 'typ_visit',
      webUrl: expect.any(String),
    });
    expect(new URL(activity!.webUrl!, `${crm.url}/`).pathname).toBe(
      `/app/activities/${activityId}`,
    );
    const page = await fetch(new URL(activity!.webUrl!, `${crm.url}/`));
    expect(page.status).toBe(200);
    expect(await anna.relation('project', 'prj_northwind_portal')).toEqual({
      id: 'prj_northwind_portal',
      name: 'Northwind customer portal',
      customerId: 'cus_northwind',
    });
    expect(await anna.relation('customer', 'cus_gone')).toBeNull();
    expect(await anna.get('act_does_not_exist')).toBeNull();
  });

  it('sets relations; a stale ETag is retried once on the current version', async () => {
    const before = (await anna.get(activityId))!;
    const set = await anna.setRelations(
      activityId,
      { customerId: 'cus_northwind', projectId: 'prj_northwind_portal', salesCaseId: null },
      before.etag,
    );
    expect(set.relations).toEqual({
      customerId: 'cus_northwind',
      projectId: 'prj_northwind_portal',
      salesCaseId: null,
    });
    expect(set.etag).not.toBe(before.etag);
    // The old ETag again: 412 with the current activity, and the retry wins.
    const again = await anna.setRelations(
      activityId,
      { customerId: 'cus_tailspin', projectId: null, salesCaseId: 'sc_tailspin_licences' },
      before.etag,
    );
    expect(again.relations.customerId).toBe('cus_tailspin');
    expect((await anna.get(activityId))?.relations.salesCaseId).toBe('sc_tailspin_licences');
  });

  it('refuses unknown relations and writes by someone who is not the owner', async () => {
    const current = (await anna.get(activityId))!;
    await expect(
      anna.setRelations(
        activityId,
        { customerId: 'cus_gone', projectId: null, salesCaseId: null },
        current.etag,
      ),
    ).rejects.toMatchObject({ code: 'invalidRequest' });
    await expect(
      ben.setRelations(
        activityId,
        { customerId: null, projectId: null, salesCaseId: null },
        current.etag,
      ),
    ).rejects.toBeInstanceOf(SyncError);
    expect((await anna.get(activityId))?.relations.customerId).toBe('cus_tailspin');
  });
});
