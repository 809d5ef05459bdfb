/** SPEC F1 on the reference CRM: each item is created, read back by get and by the change feed. */
import { F1_CASES } from '../../unit/crm/f1Cases';
import { createCrmActivities, type Crm, startCrm } from './harness';

describe('SPEC F1 round trip through the reference CRM', () => {
  let crm: Crm;
  let api: ReturnType<typeof createCrmActivities>;
  beforeAll(async () => {
    crm = await startCrm();
    api = createCrmActivities(await crm.signIn());
  });
  afterAll(() => crm.close());

  it.each(F1_CASES)('%s', async (name, item) => {
    const created = await api.create(
      { item, typeId: 'typ_meeting' },
      { idempotencyKey: `f1-${name.replace(/[^A-Za-z0-9]/g, '-')}` },
    );
    const strip = (i: typeof item) => ({
      ...i,
      // The CRM resolves names and addresses of the people it knows; compare the identities.
      participants: i.participants.map(({ kind, crmId, optional, email }) =>
        kind === 'external' ? { kind, email, optional } : { kind, crmId, optional },
      ),
    });
    expect(strip(created.item)).toEqual(strip(item));
    const fetched = await api.get(created.id);
    expect(fetched?.item).toEqual(created.item);
    const updated = await api.update(created.id, item, { etag: created.etag });
    expect(updated.item).toEqual(created.item);
  });
});
