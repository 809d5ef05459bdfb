/**
 * Issue 16, item 5: with contact sync on (two-way, K1 ticked), an idle run costs one request per
 * side — the contact step asks for changes at the CRM's cadence (5 minutes, SPEC S2), not at every
 * poll — and it still runs at once when a synced activity brings a contact person not yet linked.
 * Counted on both sandbox servers over real HTTP, wired by the composition root.
 */
import { type CountedWorld, startCountedWorld } from './countedWorld';

jest.setTimeout(120_000);

describe('contacts at the CRM cadence (issue 16, item 5)', () => {
  let w: CountedWorld;
  beforeAll(async () => {
    w = await startCountedWorld({
      name: 'contacts-cadence',
      contacts: { mode: 'twoWay', addActivityContacts: true, conflictPolicy: 'newest-wins' },
    });
  });
  afterAll(() => w.close());

  it('an idle run asks each side once; the contact step comes back after 5 minutes', async () => {
    const first = await w.runAt(0);
    expect(first.crm.some((r) => r.includes('/contacts/changes'))).toBe(true);
    await w.runAt(0.1); // the first sync's echoes settle

    const idle = await w.runAt(0.2);
    expect({ graph: idle.graph.length, crm: idle.crm.length }).toEqual({ graph: 1, crm: 1 });
    expect(idle.crm[0]).toMatch(/^GET \/api\/v1\/activities\/changes/);
    expect(idle.graph.some((r) => r.includes('contact'))).toBe(false);

    // A contact changed in the CRM waits for the cadence (SPEC S2), then arrives.
    const sven = await w.crm('GET', '/contacts/con_northwind_sven');
    await w.crm('PATCH', '/contacts/con_northwind_sven', { title: 'Chief buyer' }, sven.etag);
    const stillIdle = await w.runAt(4.9);
    expect(stillIdle.crm.some((r) => r.includes('/contacts'))).toBe(false);
    const due = await w.runAt(5.1);
    expect(due.crm.some((r) => r.startsWith('GET /api/v1/contacts/changes'))).toBe(true);
    expect(due.graph.some((r) => r.startsWith('PATCH') && r.includes('/contacts/'))).toBe(true);
  });

  it('runs the contact step at once when a synced activity brings an unlinked contact (K1)', async () => {
    await w.runAt(20); // due by the cadence: the step runs and settles
    await w.runAt(20.1);
    // A contact person no one marked for Outlook, who takes part in a new activity of Anna's.
    const made = (await w.crm('POST', '/contacts', {
      customerId: 'cus_northwind',
      firstName: 'Kai',
      lastName: 'Koski',
      email: 'kai.koski@northwind.example',
    })) as { etag: string; id?: string };
    const contactId = made.id ?? '';
    expect(contactId).not.toBe('');
    await w.crm('POST', '/activities', {
      subject: 'Visit',
      start: '2026-11-23T09:00:00+02:00',
      end: '2026-11-23T10:00:00+02:00',
      timeZone: 'Europe/Helsinki',
      typeId: 'typ_meeting',
      participants: [{ kind: 'contact', contactId }],
    });
    const run = await w.runAt(20.2);
    expect(run.crm.some((r) => r.startsWith('GET /api/v1/contacts/changes'))).toBe(true);
    const links = await w.deps.store.links('contacts');
    expect(links.map((l) => l.crmId)).toContain(contactId);
    // Linked now: once the run's own writes have echoed, a run is idle again.
    await w.runAt(20.25);
    const idle = await w.runAt(20.3);
    expect({ graph: idle.graph.length, crm: idle.crm.length }).toEqual({ graph: 1, crm: 1 });
  });
});
