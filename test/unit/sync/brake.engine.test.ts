/**
 * Issue 15, item 2 on the engine over the in-memory fakes: SPEC D3's brake is asked once. A
 * side-empty brake can be confirmed (it never could: the planner answered it before it read the
 * confirmation), a braked run keeps what it may keep — the cursors past what it did not hold,
 * the other kinds' whole run — and one question covers every kind's brake.
 */
import type { ContactItem } from '../../../src/sync/core/contacts/model';
import { confirmationOf } from '../../../src/sync/core/plan/brake';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync, type RunOptions, type RunOutcome } from '../../../src/sync/engine/run';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryCrmContactBackend } from '../../fakes/inMemoryCrmContacts';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { InMemoryOutlookContacts } from '../../fakes/inMemoryOutlookContacts';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { dexieStore } from '../../support/store';

let n = 0;
const FOLDER = 'CRM contacts';

function setup(withContacts = false) {
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW));
  const outlookContacts = new InMemoryOutlookContacts();
  const contactBackend = new InMemoryCrmContactBackend(() => Date.parse(NOW));
  const deps: EngineDeps = {
    outlook,
    crm: backend.as(settings.crmUserId),
    store: dexieStore(`brake-engine-${(n += 1)}@contoso.example`),
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client-1',
    ...(withContacts
      ? {
          contacts: {
            outlook: outlookContacts,
            crm: contactBackend.as(settings.crmUserId),
            settings: {
              mode: 'twoWay' as const,
              addActivityContacts: false,
              conflictPolicy: 'newest-wins' as const,
            },
            folderName: FOLDER,
          },
        }
      : {}),
  };
  const crmItems = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  const folder = () => [...outlookContacts.folders.keys()][0]!;
  return { outlook, backend, deps, crmItems, outlookContacts, contactBackend, folder };
}

const hour = (i: number) =>
  at(
    `2026-11-${String(23 + Math.floor(i / 8)).padStart(2, '0')}T${String(8 + (i % 8)).padStart(2, '0')}:00:00Z`,
  );

const person = (i: number): ContactItem => ({
  firstName: `Person${i}`,
  lastName: 'Virtanen',
  email: `p${i}@customer.example`,
  phone: null,
  title: null,
});

/** What the pane's "Go ahead" sends for this outcome (Scheduler.confirmMassDelete). */
function goAhead(outcome: RunOutcome) {
  if (outcome.state !== 'braked') throw new Error(`not braked: ${outcome.state}`);
  return confirmationOf(outcome.asked.map((asked) => asked.brake));
}

describe('SPEC D3 (issue 15, item 2): the brake is asked once', () => {
  it('D3: an Outlook calendar found empty by a full sync can be confirmed, and then syncs', async () => {
    const { outlook, deps, crmItems } = setup();
    for (let i = 0; i < 12; i += 1) {
      outlook.outlookCreate('calendar', item({ subject: `Meeting ${i}`, ...hour(i) }));
    }
    await runSync(deps);
    expect(crmItems()).toHaveLength(12);
    for (const event of outlook.all()) outlook.outlookDelete(event.id);

    const braked = await runSync(deps, { full: true });
    expect(braked).toMatchObject({
      state: 'braked',
      brake: { kind: 'sideEmpty', side: 'outlook' },
    });
    if (braked.state !== 'braked') throw new Error('no brake');
    // The question lists every item the run would cancel, by subject and time.
    const [asked] = braked.asked;
    expect(asked?.items.map((i) => i.subject).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `Meeting ${i}`).sort(),
    );
    expect(asked?.items[0]?.start).toMatch(/^2026-11-2\dT/);
    expect(crmItems().filter((a) => a.cancelled)).toHaveLength(0);

    // "Go ahead" on a full sync: the side is still empty, and it is the side confirmed.
    const confirmed = await runSync(deps, { full: true, massDeleteConfirmed: goAhead(braked) });
    expect(confirmed).toMatchObject({ state: 'done', counts: { cancelInCrm: 12 } });
    expect(crmItems().filter((a) => a.cancelled)).toHaveLength(12);
    expect(await runSync(deps)).toMatchObject({ state: 'done' });
  });

  it('D3: a side-empty confirmation allows its side and the items shown, no others', async () => {
    const { outlook, deps, crmItems } = setup();
    for (let i = 0; i < 12; i += 1) {
      outlook.outlookCreate('calendar', item({ subject: `Meeting ${i}`, ...hour(i) }));
    }
    await runSync(deps);
    for (const event of outlook.all()) outlook.outlookDelete(event.id);
    const braked = await runSync(deps, { full: true });
    if (braked.state !== 'braked') throw new Error('no brake');
    const ids = braked.brake.ids;
    expect(ids).toHaveLength(12);
    const asks = (confirmation: Exclude<RunOptions['massDeleteConfirmed'], undefined>) =>
      runSync(deps, { full: true, massDeleteConfirmed: confirmation });
    // The other side, or one item fewer than the run would cancel: asked again, all of them.
    const crmSide = [{ items: 'calendar' as const, ids, sideEmpty: 'crm' as const }];
    expect(await asks(crmSide)).toMatchObject({ state: 'braked', brake: { kind: 'sideEmpty' } });
    const fewer = [
      { items: 'calendar' as const, ids: ids.slice(1), sideEmpty: 'outlook' as const },
    ];
    expect(await asks(fewer)).toMatchObject({ state: 'braked', brake: { kind: 'sideEmpty', ids } });
    // Bare ids confirm a mass deletion, never an empty side.
    expect(await asks(ids)).toMatchObject({ state: 'braked', brake: { kind: 'sideEmpty' } });
    expect(crmItems().filter((a) => a.cancelled)).toHaveLength(0);
    expect(await asks(goAhead(braked))).toMatchObject({
      state: 'done',
      counts: { cancelInCrm: 12 },
    });
  });

  it('D3: a mass-delete brake moves the cursors past what it did not hold; its items are asked about again', async () => {
    const { outlook, deps, crmItems } = setup();
    for (let i = 0; i < 20; i += 1) {
      outlook.outlookCreate('calendar', item({ subject: `Meeting ${i}`, ...hour(i) }));
    }
    await runSync(deps);
    const activities = crmItems();
    const before = await deps.store.cursor('crmChanges');
    for (const activity of activities.slice(0, 10)) await deps.crm.delete(activity.id);
    const edited = activities[15]!;
    await deps.crm.update(
      edited.id,
      { ...edited.item, subject: 'Moved by the CRM' },
      { etag: edited.etag },
    );

    const braked = await runSync(deps);
    expect(braked).toMatchObject({ state: 'braked', brake: { kind: 'massDelete' } });
    if (braked.state !== 'braked') throw new Error('no brake');
    const held = braked.brake.ids;
    expect(held).toHaveLength(10);
    expect(outlook.all()).toHaveLength(20); // held
    // What it did not hold went through, and the cursor moved past it.
    expect(outlook.all().map((e) => e.item.subject)).toContain('Moved by the CRM');
    expect((await deps.store.cursor('crmChanges'))?.value).not.toBe(before?.value);

    // "Not now": the next run asks about the same items (read again, not from a full listing).
    const again = await runSync(deps);
    expect(again).toMatchObject({ state: 'braked', brake: { kind: 'massDelete', ids: held } });
    expect(await runSync(deps, { massDeleteConfirmed: goAhead(again) })).toMatchObject({
      state: 'done',
      counts: { deleteInOutlook: 10 },
    });
    expect(outlook.all()).toHaveLength(10);
    expect(await runSync(deps)).toMatchObject({ state: 'done' });
  });

  it('D3, K2: a calendar brake does not stop contacts; one question and one confirmation cover both kinds', async () => {
    const { outlook, deps, crmItems, outlookContacts, contactBackend, folder } = setup(true);
    for (let i = 0; i < 12; i += 1) {
      outlook.outlookCreate('calendar', item({ subject: `Meeting ${i}`, ...hour(i) }));
      contactBackend.personCreate(person(i), { markedFor: settings.crmUserId });
    }
    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    expect(outlookContacts.all(folder())).toHaveLength(12);

    for (const event of outlook.all()) outlook.outlookDelete(event.id);
    contactBackend.personCreate(person(12), { markedFor: settings.crmUserId });
    const calendarOnly = await runSync(deps);
    expect(calendarOnly).toMatchObject({ state: 'braked', brake: { kind: 'massDelete' } });
    // Contacts synced meanwhile: the new one reached Outlook.
    expect(outlookContacts.all(folder())).toHaveLength(13);

    for (const contact of outlookContacts.all(folder())) outlookContacts.personDelete(contact.id);
    const both = await runSync(deps);
    expect(both).toMatchObject({ state: 'braked' });
    if (both.state !== 'braked') throw new Error('no brake');
    expect(
      both.asked.map((a) => [a.brake.kind, a.brake.items ?? 'calendar', a.items.length]),
    ).toEqual([
      ['massDelete', 'calendar', 12],
      ['massDelete', 'contacts', 13],
    ]);
    expect(both.asked[1]?.items.map((i) => i.subject)).toContain('Person12 Virtanen');

    const confirmed = await runSync(deps, { massDeleteConfirmed: goAhead(both) });
    expect(confirmed).toMatchObject({
      state: 'done',
      counts: { cancelInCrm: 12, contactArchiveInCrm: 13 },
    });
    expect(crmItems().filter((a) => a.cancelled)).toHaveLength(12);
    expect([...contactBackend.rows.values()].filter((r) => r.archived)).toHaveLength(13);
  });
});
