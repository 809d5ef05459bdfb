/**
 * Issue 16, item 5: with contact sync on (two-way, K1 ticked), an idle run costs one request per
 * side — the contact step asks for changes at the CRM's cadence (5 minutes, SPEC S2), not at every
 * poll — and it still runs at once when a synced activity brings a contact person not yet linked.
 * Counted on both sandbox servers over real HTTP, wired by the composition root.
 */
import { DEFAULT_DIRECTION } from '../../../src/sync/core/settings';
import { countedRun, NOW, startTwoSides, type TwoSides } from '../../support/twoSides';

jest.setTimeout(120_000);

/** The engine's clock, moved by `runAt`. */
let engineNow = Date.parse(NOW);

/** One run at `minutes` after NOW (the engine's clock); the requests it made on each side. */
function runAt(w: TwoSides, minutes: number) {
  engineNow = Date.parse(NOW) + minutes * 60_000;
  return countedRun(w);
}

describe('contacts at the CRM cadence (issue 16, item 5)', () => {
  let w: TwoSides;
  beforeAll(async () => {
    w = await startTwoSides({
      name: 'contacts-cadence',
      count: true,
      settings: {
        outlookToCrm: { ...DEFAULT_DIRECTION, daysAhead: 7 },
        crmToOutlook: { ...DEFAULT_DIRECTION, daysAhead: 7 },
        contacts: { mode: 'twoWay', addActivityContacts: true, conflictPolicy: 'newest-wins' },
      },
      clock: () => new Date(engineNow).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  });
  afterAll(() => w.close());

  it('an idle run asks each side once; the contact step comes back after 5 minutes', async () => {
    const first = await runAt(w, 0);
    expect(first.crm.some((r) => r.includes('/contacts/changes'))).toBe(true);
    await runAt(w, 0.1); // the first sync's echoes settle

    const idle = await runAt(w, 0.2);
    expect({ graph: idle.graph.length, crm: idle.crm.length }).toEqual({ graph: 1, crm: 1 });
    expect(idle.crm[0]).toMatch(/^GET \/api\/v1\/activities\/changes/);
    expect(idle.graph.some((r) => r.includes('contact'))).toBe(false);

    // A contact changed in the CRM waits for the cadence (SPEC S2), then arrives.
    const sven = await w.crm<{ etag: string }>('GET', '/contacts/con_northwind_sven');
    await w.crm(
      'PATCH',
      '/contacts/con_northwind_sven',
      { title: 'Chief buyer' },
      { 'if-match': sven.etag },
    );
    const stillIdle = await runAt(w, 4.9);
    expect(stillIdle.crm.some((r) => r.includes('/contacts'))).toBe(false);
    const due = await runAt(w, 5.1);
    expect(due.crm.some((r) => r.startsWith('GET /api/v1/contacts/changes'))).toBe(true);
    expect(due.graph.some((r) => r.startsWith('PATCH') && r.includes('/contacts/'))).toBe(true);
  });

  it('runs the contact step at once when a synced activity brings an unlinked contact (K1)', async () => {
    await runAt(w, 20); // due by the cadence: the step runs and settles
    await runAt(w, 20.1);
    // A contact person no one marked for Outlook, who takes part in a new activity of Anna's.
    const made = await w.crm<{ etag: string; id?: string }>(
      'POST',
      '/contacts',
      {
        customerId: 'cus_northwind',
        firstName: 'Kai',
        lastName: 'Koski',
        email: 'kai.koski@northwind.example',
      },
      { 'idempotency-key': 'cadence-kai' },
    );
    const contactId = made.id ?? '';
    expect(contactId).not.toBe('');
    await w.crm(
      'POST',
      '/activities',
      {
        subject: 'Visit',
        start: '2026-11-23T09:00:00+02:00',
        end: '2026-11-23T10:00:00+02:00',
        timeZone: 'Europe/Helsinki',
        typeId: 'typ_meeting',
        participants: [{ kind: 'contact', contactId }],
      },
      { 'idempotency-key': 'cadence-visit' },
    );
    const run = await runAt(w, 20.2);
    expect(run.crm.some((r) => r.startsWith('GET /api/v1/contacts/changes'))).toBe(true);
    const links = await w.deps.store.links('contacts');
    expect(links.map((l) => l.crmId)).toContain(contactId);
    // Linked now: once the run's own writes have echoed, a run is idle again.
    await runAt(w, 20.25);
    const idle = await runAt(w, 20.3);
    expect({ graph: idle.graph.length, crm: idle.crm.length }).toEqual({ graph: 1, crm: 1 });
  });
});
