/**
 * The engine end to end on the in-memory fakes (which pass the same contract suites as the real
 * adapters): first sync, both directions, deletions, and a crash in the middle of a create.
 */
import { ConflictError, SyncError } from '../../../src/sync/core/errors';
import type { CalendarItem } from '../../../src/sync/core/model';
import { runSync } from '../../../src/sync/engine/run';
import { at, item } from '../../support/planFixtures';
import { dexieStore, dbOf } from '../../support/store';
import { engineOnFakes } from '../../support/fakeEngine';

let dbCounter = 0;

const setup = () => engineOnFakes('engine-test');

const subjects = (items: { item: CalendarItem }[]) => items.map((i) => i.item.subject).sort();

describe('engine', () => {
  it('first sync links pairs, copies the rest both ways, and an idle run writes nothing', async () => {
    const { outlook, crm, deps, crmItems } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'Both', ...at('2026-11-24T07:00:00Z') }));
    outlook.outlookCreate(
      'calendar',
      item({ subject: 'Only Outlook', ...at('2026-11-24T09:00:00Z') }),
    );
    await crm.create(
      { item: item({ subject: 'Both', ...at('2026-11-24T07:00:00Z') }), typeId: 'typ_meeting' },
      { idempotencyKey: 'a' },
    );
    await crm.create(
      { item: item({ subject: 'Only CRM', ...at('2026-11-24T11:00:00Z') }), typeId: 'typ_meeting' },
      { idempotencyKey: 'b' },
    );

    expect(await runSync(deps)).toMatchObject({
      state: 'done',
      counts: { link: 1, createInCrm: 1, createInOutlook: 1 },
    });
    expect(subjects(outlook.all())).toEqual(['Both', 'Only CRM', 'Only Outlook']);
    expect(subjects(crmItems())).toEqual(['Both', 'Only CRM', 'Only Outlook']);
    expect(await dbOf(deps).links.count()).toBe(3);

    const idle = await runSync(deps);
    expect(idle).toMatchObject({ state: 'done' });
    const writes = Object.entries(idle.state === 'done' ? idle.counts : {}).filter(
      ([op]) => op !== 'rebase',
    );
    expect(writes).toEqual([]);
  });

  it('an Outlook edit reaches the CRM and a CRM edit reaches Outlook', async () => {
    const { outlook, crm, deps, crmItems } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Planning' }));
    await runSync(deps);
    outlook.outlookEdit(
      event.id,
      item({ subject: 'Planning (moved)', ...at('2026-11-26T07:00:00Z') }),
    );
    await runSync(deps);
    const [activity] = crmItems();
    expect(activity?.item).toMatchObject({
      subject: 'Planning (moved)',
      time: { start: '2026-11-26T07:00:00Z' },
    });

    await crm.update(
      activity!.id,
      { ...activity!.item, location: 'Room 7' },
      { etag: activity!.etag },
    );
    await runSync(deps);
    expect(outlook.all()[0]?.item).toMatchObject({
      subject: 'Planning (moved)',
      location: 'Room 7',
    });
  });

  it('D1/D2: deleting in Outlook cancels in the CRM; deleting in the CRM deletes in Outlook', async () => {
    const { outlook, crm, deps, crmItems } = setup();
    const a = outlook.outlookCreate('calendar', item({ subject: 'A' }));
    outlook.outlookCreate('calendar', item({ subject: 'B', ...at('2026-11-24T07:00:00Z') }));
    await runSync(deps);
    outlook.outlookDelete(a.id);
    const b = crmItems().find((x) => x.item.subject === 'B')!;
    await crm.delete(b.id);
    await runSync(deps);
    expect(crmItems().find((x) => x.item.subject === 'A')?.cancelled).toBe(true);
    expect(outlook.all()).toEqual([]);
    expect(await dbOf(deps).trash.count()).toBe(1); // SPEC D4: the deleted Outlook item is kept
  });

  it('a crash between the CRM create and the link makes no duplicate: the outbox replays', async () => {
    const { outlook, deps, crmItems } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'Crash test' }));
    outlook.failNext('stamp', new SyncError('offline', 'network gone after the create'));
    expect(await runSync(deps)).toMatchObject({ state: 'failed' });
    expect(crmItems()).toHaveLength(1); // created, but not linked
    expect(await dbOf(deps).outbox.count()).toBe(1);

    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    expect(crmItems()).toHaveLength(1);
    expect(await dbOf(deps).outbox.count()).toBe(0);
    expect(await dbOf(deps).links.count()).toBe(1);
    expect(outlook.all()[0]?.crmId).toBe(crmItems()[0]?.id);
  });

  it('a second client with an empty store relinks from the stamps instead of copying', async () => {
    const { outlook, deps, crmItems } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'Stamped' }));
    await runSync(deps);
    const secondClient = {
      ...deps,
      store: dexieStore(`engine-second-${(dbCounter += 1)}@contoso.example`),
      holderId: 'client-2',
    };
    outlook.outlookEdit(outlook.all()[0]!.id, item({ subject: 'Stamped (renamed)' }));
    expect(await runSync(secondClient)).toMatchObject({ state: 'done', counts: { link: 1 } });
    expect(crmItems()).toHaveLength(1);
    expect(outlook.all()).toHaveLength(1);
  });

  it('a lost race (412) does not lose the edit: the item is read again on the next run', async () => {
    const { outlook, backend, deps, crmItems } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Racy' }));
    await runSync(deps);
    outlook.outlookEdit(event.id, item({ subject: 'Racy (edited)' }));
    backend.failNext(() => new ConflictError('someone else wrote first', null), {
      method: 'update',
    });
    expect(await runSync(deps)).toMatchObject({ state: 'done', failures: 1 });
    expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { updateCrm: 1 } });
    expect(crmItems()[0]?.item.subject).toBe('Racy (edited)');
    expect(await dbOf(deps).pending.count()).toBe(0);
  });

  it('E1: each item keeps the records of its last 3 syncs', async () => {
    const { outlook, deps } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Recorded' }));
    await runSync(deps);
    for (let i = 1; i <= 4; i += 1) {
      outlook.outlookEdit(event.id, item({ subject: `Recorded ${i}` }));
      await runSync(deps);
    }
    const { lastSyncs } = await import('../../../src/sync/store/records');
    const records = await lastSyncs(dbOf(deps), `o:${event.id}`);
    expect(records.map((r) => r.op)).toEqual(['updateCrm', 'updateCrm', 'updateCrm']);
  });

  it('E2: every run is recorded with what it changed and what failed', async () => {
    const { outlook, backend, deps } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'One' }));
    outlook.outlookCreate('calendar', item({ subject: 'Two' }));
    // The CRM refuses one of them. (An empty subject no longer serves: since issue 14 item 3 the
    // client cleans what the contract refuses, and such an item syncs.)
    const refused = () => new SyncError('invalidRequest', 'The CRM refuses this activity');
    backend.failNext(refused, { method: 'create' });
    await runSync(deps);
    const [run] = await dbOf(deps).runs.toArray();
    expect(run).toMatchObject({ state: 'done', counts: { createInCrm: 1 } });
    expect(run?.failures).toEqual([
      { itemKey: expect.stringMatching(/^o:/), code: 'invalidRequest' },
    ]);
    expect(run?.finishedAt).toBeDefined();
  });

  it('E4: an item that keeps failing is set aside after three runs; the rest syncs on', async () => {
    const { outlook, backend, deps, crmItems } = setup();
    const bad = outlook.outlookCreate('calendar', item({ subject: 'Refused' }));
    // A refusal the client cannot clean away (issue 14 item 3 cleans the empty subject this
    // test used before): the CRM answers 400 to this item on every run.
    const refused = () => new SyncError('invalidRequest', 'The CRM refuses this activity');
    backend.failNext(refused, { method: 'create', times: 3 });
    for (let i = 0; i < 3; i += 1) await runSync(deps);
    expect(await dbOf(deps).quarantine.get(`o:${bad.id}`)).toMatchObject({
      quarantined: true,
      failures: 3,
    });
    outlook.outlookCreate(
      'calendar',
      item({ subject: 'Still syncs', ...at('2026-11-24T07:00:00Z') }),
    );
    expect(await runSync(deps)).toMatchObject({ state: 'done', failures: 0 });
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Still syncs']);
  });

  it('E4: a sign-in failure ends the run as a whole and leaves no item blamed', async () => {
    const { outlook, backend, deps } = setup();
    outlook.outlookCreate('calendar', item());
    backend.failNext(() => new SyncError('sessionExpired', 'signed out'), { method: 'create' });
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ state: 'failed', error: { kind: 'auth' } });
    expect(await dbOf(deps).quarantine.count()).toBe(0);
  });

  it('the CRM lease keeps two clients from writing at once; a run with nothing to write needs none', async () => {
    const { outlook, crm, deps, crmItems } = setup();
    await crm.acquireLease('other-client', 120);
    expect(await runSync(deps)).toMatchObject({ state: 'done' }); // idle: reading needs no lease
    outlook.outlookCreate('calendar', item());
    expect(await runSync(deps)).toEqual({ state: 'busy' });
    expect(crmItems()).toEqual([]);
    await crm.releaseLease('other-client');
    expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { createInCrm: 1 } });
  });
});
