/**
 * The Status view's actions on the store (SPEC D4 restore, E2 unlink, E4 retry), carried out by
 * the engine's next run on the in-memory fakes; and what a run tells about its progress and the
 * "sync again from date" window (SPEC S3, S4).
 */
import type { SyncSettings } from '../../../src/sync/core/settings';
import { runSync, settingsFrom, type RunProgress } from '../../../src/sync/engine/run';
import { requestRestore, retryItem, unlinkItem } from '../../../src/sync/store/actions';
import { QUARANTINE_AFTER } from '../../../src/sync/store/records';
import { at, item, NOW, settings as baseSettings } from '../../support/planFixtures';
import { dbOf } from '../../support/store';
import { engineOnFakes } from '../../support/fakeEngine';

const setup = (settings: SyncSettings = baseSettings) => engineOnFakes('status-actions', settings);

describe('restore from the trash (SPEC D4)', () => {
  it('a value that lost a conflict goes back to both sides', async () => {
    const { outlook, crm, deps, crmItems } = setup({ ...baseSettings, conflictPolicy: 'crm-wins' });
    const event = outlook.outlookCreate('calendar', item({ subject: 'Review' }));
    await runSync(deps);
    const [activity] = crmItems();
    outlook.outlookEdit(event.id, item({ subject: 'Review (Outlook)' }));
    await crm.update(activity!.id, item({ subject: 'Review (CRM)' }), { etag: activity!.etag });
    await runSync(deps);
    expect(outlook.all().map((e) => e.item.subject)).toEqual(['Review (CRM)']);
    const [row] = await dbOf(deps).trash.toArray();
    expect(row).toMatchObject({ lost: { field: 'subject', side: 'outlook' } });

    expect(await requestRestore(dbOf(deps), row!.id!, NOW)).toBe(true);
    expect(await requestRestore(dbOf(deps), row!.id!, NOW)).toBe(false); // asked once is enough
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ state: 'done' });
    expect(outlook.all().map((e) => e.item.subject)).toEqual(['Review (Outlook)']);
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Review (Outlook)']);
    expect((await dbOf(deps).trash.get(row!.id!))?.restore).toMatchObject({ state: 'done' });
  });

  it('an Outlook item sync deleted comes back, and the next runs copy it to the CRM once', async () => {
    const { outlook, crm, deps, crmItems } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'Budget' }));
    await runSync(deps);
    await crm.delete(crmItems()[0]!.id);
    await runSync(deps);
    expect(outlook.all()).toEqual([]);
    const [row] = await dbOf(deps).trash.toArray();
    expect(row?.deleted?.subject).toBe('Budget');

    await requestRestore(dbOf(deps), row!.id!, NOW);
    await runSync(deps);
    await runSync(deps);
    expect(outlook.all().map((e) => e.item.subject)).toEqual(['Budget']);
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Budget']);
    expect(outlook.all()[0]?.crmId).toBe(crmItems()[0]?.id); // linked to the new activity
    expect(await dbOf(deps).links.count()).toBe(1);
  });

  it('a CRM-side overwrite puts the Outlook item as it was into the trash first, and it comes back', async () => {
    const { outlook, crm, deps, crmItems } = setup();
    const event = outlook.outlookCreate(
      'calendar',
      item({ subject: 'Kick-off', location: 'Room 1', description: 'Agenda: scope' }),
    );
    await runSync(deps);
    const [activity] = crmItems();
    const before = outlook.all()[0]!.item;
    await crm.update(
      activity!.id,
      { ...activity!.item, subject: 'Kick-off (moved)', location: 'Room 2' },
      { etag: activity!.etag },
    );
    await runSync(deps);
    expect(outlook.all().map((e) => [e.item.subject, e.item.location])).toEqual([
      ['Kick-off (moved)', 'Room 2'],
    ]);
    // One row: the pre-image, naming exactly the fields the write replaced.
    const rows = await dbOf(deps).trash.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outlookId: event.id,
      crmId: activity!.id,
      lost: { field: 'subject', side: 'outlook', value: 'Kick-off' },
      overwritten: { item: before, fields: ['subject', 'location'] },
    });

    // A run with nothing new overwrites nothing, so keeps nothing more.
    await runSync(deps);
    expect(await dbOf(deps).trash.count()).toBe(1);

    await requestRestore(dbOf(deps), rows[0]!.id!, NOW);
    await runSync(deps);
    expect(outlook.all().map((e) => [e.item.subject, e.item.location])).toEqual([
      ['Kick-off', 'Room 1'],
    ]);
    expect(crmItems().map((a) => [a.item.subject, a.item.location])).toEqual([
      ['Kick-off', 'Room 1'],
    ]);
  });

  it('a restore whose pair is gone is marked failed with a code, and the run goes on', async () => {
    const { outlook, crm, deps, crmItems } = setup({ ...baseSettings, conflictPolicy: 'crm-wins' });
    const event = outlook.outlookCreate('calendar', item({ subject: 'Lunch' }));
    await runSync(deps);
    const [activity] = crmItems();
    outlook.outlookEdit(event.id, item({ subject: 'Lunch (O)' }));
    await crm.update(activity!.id, item({ subject: 'Lunch (C)' }), { etag: activity!.etag });
    await runSync(deps);
    const [row] = await dbOf(deps).trash.toArray();
    await dbOf(deps).links.clear();
    await requestRestore(dbOf(deps), row!.id!, NOW);
    const outcome = await runSync(deps);
    expect(outcome.state).toBe('done');
    expect((await dbOf(deps).trash.get(row!.id!))?.restore).toMatchObject({
      state: 'failed',
      code: 'itemNotFound',
    });
  });
});

describe('retry and unlink (SPEC E2, E4)', () => {
  it('retry takes a quarantined item out and the next run syncs it', async () => {
    const { outlook, deps, crmItems } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Stubborn' }));
    // As noteFailure leaves an item after QUARANTINE_AFTER failed runs (records.ts).
    await dbOf(deps).quarantine.put({
      itemKey: `o:${event.id}`,
      failures: QUARANTINE_AFTER,
      lastCode: 'invalidRequest',
      since: NOW,
      quarantined: true,
    });
    await runSync(deps);
    expect(crmItems()).toEqual([]); // set aside: not synced

    await retryItem(dbOf(deps), `o:${event.id}`);
    expect(await dbOf(deps).quarantine.get(`o:${event.id}`)).toBeUndefined();
    expect(await dbOf(deps).pending.get(`o:${event.id}`)).toEqual({
      itemKey: `o:${event.id}`,
      outlookId: event.id,
    });
    await runSync(deps);
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Stubborn']);
  });

  it('unlink stops a pair syncing for good, even though the stamps could relink it', async () => {
    const { outlook, crm, deps, crmItems } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Pair' }));
    await runSync(deps);
    const [activity] = crmItems();
    await unlinkItem(dbOf(deps), `o:${event.id}`, NOW);
    expect(await dbOf(deps).links.count()).toBe(0);
    expect((await dbOf(deps).quarantine.toArray()).map((q) => q.itemKey).sort()).toEqual(
      [`c:${activity!.id}`, `o:${event.id}`].sort(),
    );

    await crm.update(activity!.id, item({ subject: 'Pair (CRM)' }), { etag: activity!.etag });
    outlook.outlookEdit(event.id, item({ subject: 'Pair (Outlook)' }));
    await runSync(deps);
    await runSync(deps);
    expect(outlook.all().map((e) => e.item.subject)).toEqual(['Pair (Outlook)']);
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Pair (CRM)']);
    expect(await dbOf(deps).links.count()).toBe(0);

    // Retrying one of them lets the stamps pair them again.
    await retryItem(dbOf(deps), `o:${event.id}`);
    await retryItem(dbOf(deps), `c:${activity!.id}`);
    await runSync(deps);
    expect(await dbOf(deps).links.count()).toBe(1);
  });
});

describe('progress and "sync again from date" (SPEC S3, S4)', () => {
  it('a run reports reading, then each write out of the total', async () => {
    const { outlook, deps } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'A', ...at('2026-11-24T07:00:00Z') }));
    outlook.outlookCreate('calendar', item({ subject: 'B', ...at('2026-11-24T09:00:00Z') }));
    const seen: RunProgress[] = [];
    await runSync(deps, {}, (p) => seen.push(p));
    expect(seen).toEqual([
      { phase: 'reading' },
      // No estimate before the run has a pace of its own (issue 16, item 4: engine/run.ts).
      { phase: 'writing', done: 0, total: 2, etaSeconds: null },
      { phase: 'writing', done: 1, total: 2, etaSeconds: null },
    ]);
  });

  it('widens the history window back to the day asked for, never narrows it', () => {
    const wide = settingsFrom(baseSettings, '2026-11-01', NOW);
    expect(wide.outlookToCrm.daysBack).toBe(21);
    expect(wide.crmToOutlook.daysBack).toBe(21);
    expect(settingsFrom(baseSettings, '2026-11-22', NOW).outlookToCrm.daysBack).toBe(
      baseSettings.outlookToCrm.daysBack,
    );
  });

  it('a full sync from an earlier day copies what the regular window leaves out', async () => {
    const { outlook, deps, crmItems } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'Old', ...at('2026-11-10T09:00:00Z') }));
    await runSync(deps);
    expect(crmItems()).toEqual([]); // W1: one day back by default
    await runSync(deps, { full: true, from: '2026-11-09' });
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Old']);
    await runSync(deps); // back to the regular window: leaving it deletes nothing (W3)
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Old']);
    expect(outlook.all()).toHaveLength(1);
  });
});
