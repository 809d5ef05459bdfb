/**
 * Issue 14, item 4 ("nothing lost") on the engine over the in-memory fakes: the trash keeps the
 * whole of a private item sync deletes, the brake sees a drip of deletions over its sliding
 * window, and a mailbox unpaired and paired with another CRM user deletes nothing.
 */
import type { SyncSettings } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { dexieStore, dbOf } from '../../support/store';

let dbCounter = 0;

function setup(overrides: Partial<SyncSettings> = {}) {
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  let ms = Date.parse(NOW);
  const backend = new InMemoryCrmBackend(() => ms);
  const engine = (crmUserId: string): EngineDeps => ({
    outlook,
    crm: backend.as(crmUserId),
    store: dexieStore(`nothing-lost-${(dbCounter += 1)}@contoso.example`),
    settings: { ...settings, ...overrides, crmUserId },
    calendarId: 'calendar',
    clock: () => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    lock: new InProcessRunLock(),
    holderId: 'client-1',
  });
  const deps = engine(settings.crmUserId);
  const crmItems = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  const advanceHours = (h: number) => void (ms += h * 3_600_000);
  return { outlook, backend, deps, engine, crmItems, advanceHours };
}

const hour = (i: number) =>
  at(
    `2026-11-${String(23 + Math.floor(i / 8)).padStart(2, '0')}T${String(8 + (i % 8)).padStart(2, '0')}:00:00Z`,
  );

describe('nothing lost (issue 14, item 4)', () => {
  it("the private item's trash row keeps the whole item, not the CRM's busy block", async () => {
    const { outlook, deps, crmItems } = setup({ privateMode: 'busy' });
    const secret = item({ subject: 'Dentist — root canal', isPrivate: true });
    const event = outlook.outlookCreate('calendar', secret);
    await runSync(deps);
    const [copy] = crmItems();
    expect(copy?.item.subject).toBe(settings.busySubject); // the CRM sees a busy block
    await deps.crm.delete(copy!.id);
    expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { deleteInOutlook: 1 } });
    expect(outlook.all()).toEqual([]);
    const rows = await dbOf(deps).trash.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outlookId: event.id, deleted: { subject: secret.subject } });
  });

  it('a drip of deletions trips the brake over its sliding window; the confirmation names the items', async () => {
    const { outlook, deps, crmItems, advanceHours } = setup();
    for (let i = 0; i < 20; i += 1) {
      outlook.outlookCreate('calendar', item({ subject: `Meeting ${i}`, ...hour(i) }));
    }
    await runSync(deps);
    expect(crmItems()).toHaveLength(20);
    const ids = crmItems().map((a) => a.id);
    // One deletion an hour: nine go through, each run under the per-run threshold.
    for (let i = 0; i < 9; i += 1) {
      await deps.crm.delete(ids[i]!);
      advanceHours(1);
      expect(await runSync(deps)).toMatchObject({ state: 'done' });
    }
    expect(outlook.all()).toHaveLength(11);
    await deps.crm.delete(ids[9]!);
    advanceHours(1);
    const braked = await runSync(deps);
    expect(braked).toMatchObject({ state: 'braked', brake: { kind: 'massDelete' } });
    if (braked.state !== 'braked' || braked.brake.kind !== 'massDelete')
      throw new Error('no brake');
    expect(braked.brake.destructive).toBe(10);
    expect(braked.brake.ids).toHaveLength(1);
    expect(outlook.all()).toHaveLength(11); // held
    // Another deletion after the question was shown: the confirmation allows only what it named.
    await deps.crm.delete(ids[10]!);
    const confirmed = await runSync(deps, { massDeleteConfirmed: braked.brake.ids });
    expect(confirmed).toMatchObject({ state: 'braked', brake: { ids: [expect.any(String)] } });
    expect(outlook.all()).toHaveLength(10); // the named one went, the new one waits
    // A day after the confirmed run the window is clear again: one deletion is no drip.
    advanceHours(25);
    expect(await runSync(deps, {})).toMatchObject({ state: 'done' });
    expect(outlook.all()).toHaveLength(9);
  });

  it('unpair, then pair with another CRM user: the store is cleared and nothing is deleted', async () => {
    const { outlook, deps, engine, crmItems } = setup();
    for (let i = 0; i < 12; i += 1) {
      outlook.outlookCreate('calendar', item({ subject: `Anna's ${i}`, ...hour(i) }));
    }
    await runSync(deps);
    expect(crmItems()).toHaveLength(12);
    // Unpair (the connection service clears the pairing's store: SyncStore.clear).
    await deps.store.clear();
    // The same mailbox paired with another CRM user, who sees none of the first user's activities.
    const other = { ...engine('usr_other'), store: deps.store };
    const outcome = await runSync(other);
    expect(outcome.state).toBe('done');
    expect(outlook.all()).toHaveLength(12);
    expect(crmItems().filter((a) => a.cancelled)).toEqual([]);
    expect(await dbOf(deps).trash.count()).toBe(0);
  });
});
