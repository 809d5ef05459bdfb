/**
 * Issue 16, item 3 end to end: a first sync's creates in the CRM go out in bulk calls of up to 100
 * when the CRM announces them, and as single creates when it does not — the same links either way.
 * Counted on both sandbox servers over real HTTP, wired by the composition root.
 */
import { DEFAULT_DIRECTION } from '../../../src/sync/core/settings';
import { countedRun, startTwoSides, type TwoSides } from '../../support/twoSides';

jest.setTimeout(120_000);

const EVENTS = 130;

async function outlookOnlyEvents(w: TwoSides): Promise<void> {
  for (let i = 0; i < EVENTS; i += 1) {
    const day = 23 + (i % 5);
    const hour = String(7 + (i % 10)).padStart(2, '0');
    await w.graph('POST', '/me/events', {
      subject: `Outlook ${i}`,
      start: { dateTime: `2026-11-${day}T${hour}:00:00`, timeZone: 'UTC' },
      end: { dateTime: `2026-11-${day}T${hour}:30:00`, timeZone: 'UTC' },
    });
  }
}

describe.each([
  ['announces bulk operations', true],
  ['announces none', false],
] as const)('a first sync into a CRM that %s', (_, crmBulk) => {
  let w: TwoSides;
  beforeAll(async () => {
    w = await startTwoSides({
      name: `bulk-creates-${String(crmBulk)}`,
      crmBulk,
      count: true,
      settings: {
        outlookToCrm: { ...DEFAULT_DIRECTION, daysAhead: 7 },
        crmToOutlook: { ...DEFAULT_DIRECTION, daysAhead: 7 },
      },
    });
    await outlookOnlyEvents(w);
  });
  afterAll(() => w.close());

  it('creates every Outlook event in the CRM, in bulk exactly when announced', async () => {
    const { crm } = await countedRun(w);
    const bulk = crm.filter((r) => r === 'POST /api/v1/activities/bulk-create').length;
    const single = crm.filter((r) => r === 'POST /api/v1/activities').length;
    expect({ bulk, single }).toEqual(
      crmBulk ? { bulk: 2, single: 0 } : { bulk: 0, single: EVENTS },
    );
    const links = await w.deps.store.links('calendar');
    const made = links.filter((l) => l.outlookBase.subject.startsWith('Outlook '));
    expect(made).toHaveLength(EVENTS);
    expect(await w.deps.store.intentCount()).toBe(0); // every intent was finished
  });
});
