/**
 * Issue 15, items 3 and 4, on the in-memory fakes: a link row the engine cannot read is repaired
 * from the stamps, identity wins over ids, and a stamp that is not a CRM id sets aside only its
 * item. One test per case of the issue, named after it with its SPEC line; each failed before
 * the change (a crashed run, a deleted event, a cancelled activity, the wrong reason).
 */
import type { CalendarItem } from '../../../src/sync/core/model';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { runSync } from '../../../src/sync/engine/run';
import { engineOnFakes } from '../../support/fakeEngine';
import { at, item, person, settings } from '../../support/planFixtures';
import { dbOf } from '../../support/store';

function setup() {
  const { crmItems: live, ...engine } = engineOnFakes('identity');
  return { ...engine, live };
}

/** One pair synced from Outlook: the event, its activity, their link. */
async function syncedPair(subject = 'Planning') {
  const env = setup();
  const event = env.outlook.outlookCreate(
    'calendar',
    item({ subject, ...at('2026-11-24T07:00:00Z') }),
  );
  expect(await runSync(env.deps)).toMatchObject({ state: 'done' });
  const [activity] = env.live();
  expect(activity).toBeDefined();
  return { ...env, event, activity: activity! };
}

async function skipCodes(deps: EngineDeps, itemKey: string): Promise<(string | undefined)[]> {
  const rows = await dbOf(deps).records.where('itemKey').equals(itemKey).toArray();
  return rows.filter((r) => r.outcome === 'skipped').map((r) => r.code);
}

describe('issue 15, item 3: a link row in an older shape is repaired, never a reason to stop', () => {
  /** The row this engine stored before the per-side bases (commit 018fb56): one base, two hashes. */
  const oneBase = (row: { outlookId: string; crmId: string }, base: CalendarItem) => ({
    outlookId: row.outlookId,
    crmId: row.crmId,
    base,
    outlookHash: '0123456789abcd',
    crmHash: '0123456789abcd',
    outlookEtag: 'W/"1"',
    crmEtag: '"1"',
    crmTypeId: 'typ_meeting',
    isOwner: true,
  });

  it('SPEC M2: the one-base shape stored before the per-side bases is migrated — the run completes, an edit made since syncs, nothing is copied or deleted', async () => {
    const { outlook, deps, event, activity, live } = await syncedPair();
    const db = dbOf(deps);
    const row = (await db.links.get(event.id))!;
    await db.links.put(oneBase(row, row.crmBase) as never);
    outlook.outlookEdit(event.id, { ...outlook.all()[0]!.item, subject: 'Planning (moved)' });

    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    expect(outlook.all()).toHaveLength(1);
    expect(live().map((a) => [a.id, a.cancelled, a.item.subject])).toEqual([
      [activity.id, false, 'Planning (moved)'],
    ]);
    // The row is a link again, of today's shape; nothing went to the trash.
    const links = await deps.store.links('calendar');
    expect(links.map((l) => [l.outlookId, l.crmId])).toEqual([[event.id, activity.id]]);
    expect(await deps.store.linksToRepair('calendar')).toEqual([]);
    expect(await db.trash.count()).toBe(0);
  });

  it('SPEC M2, D4: a row whose snapshots are missing is relinked as a pair with no base — the run completes, both sides agree, the edit is on both or in the trash', async () => {
    const { outlook, deps, event, activity, live } = await syncedPair();
    const db = dbOf(deps);
    await db.links.put({ outlookId: event.id, crmId: activity.id, outlookEtag: '' } as never);
    outlook.outlookEdit(event.id, { ...outlook.all()[0]!.item, subject: 'Planning (moved)' });

    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    expect(outlook.all()).toHaveLength(1);
    expect(live().map((a) => [a.id, a.cancelled])).toEqual([[activity.id, false]]);
    expect(live()[0]!.item.subject).toBe(outlook.all()[0]!.item.subject);
    const trashed = (await db.trash.toArray()).map((t) => t.lost.value);
    expect([live()[0]!.item.subject, ...trashed]).toContain('Planning (moved)');
    expect((await deps.store.links('calendar')).map((l) => l.crmId)).toEqual([activity.id]);
    expect(await deps.store.linksToRepair('calendar')).toEqual([]);
  });

  it('SPEC D2: a row to repair whose activity is gone deletes the event as a linked pair would (into the trash)', async () => {
    const { outlook, crm, deps, event, activity } = await syncedPair();
    const db = dbOf(deps);
    const row = (await db.links.get(event.id))!;
    await db.links.put(oneBase(row, row.crmBase) as never);
    // The activity goes while the row is unreadable, and its tombstone is already behind the cursor.
    await crm.delete(activity.id);
    await db.cursors.put({ name: 'crmChanges', value: (await crm.changes(null)).cursor });

    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    expect(outlook.all()).toEqual([]);
    expect((await db.trash.toArray()).map((t) => t.deleted?.subject)).toEqual(['Planning']);
    expect(await db.links.count()).toBe(0);
  });

  it('SPEC M2: an activity replaced and its event re-made under a row to repair stay one pair, listed in part or in full (seed 468339850)', async () => {
    for (const full of [false, true]) {
      const { outlook, crm, deps, event, activity, live } = await syncedPair();
      const db = dbOf(deps);
      const row = (await db.links.get(event.id))!;
      await db.links.put(oneBase(row, row.crmBase) as never);
      await crm.delete(activity.id);
      const replacement = await crm.create(
        {
          item: activity.item,
          typeId: activity.crm.typeId,
          outlookLink: { mailbox: settings.mailbox, eventId: event.id },
        },
        { idempotencyKey: 'replacement' },
      );
      const remade = outlook.outlookRemake(event.id);

      expect(await runSync(deps, { full })).toMatchObject({ state: 'done' });
      expect(outlook.all().map((e) => [e.id, e.crmId])).toEqual([[remade.id, replacement.id]]);
      expect(live().map((a) => [a.id, a.cancelled, a.outlookLinks])).toEqual([
        [replacement.id, false, [{ mailbox: settings.mailbox, eventId: remade.id }]],
      ]);
      expect((await deps.store.linkByOutlookId('calendar', remade.id))?.crmId).toBe(replacement.id);
    }
  });
});

describe('issue 15, item 4: identity wins over ids — an item under a new id with the same stamp is relinked', () => {
  it('SPEC M2, D2: a CRM activity replaced by a new record carrying the same Outlook link relinks the event, never deletes it', async () => {
    const { outlook, crm, deps, event, activity, live } = await syncedPair();
    await crm.delete(activity.id);
    const replacement = await crm.create(
      {
        item: activity.item,
        typeId: activity.crm.typeId,
        outlookLink: { mailbox: settings.mailbox, eventId: event.id },
      },
      { idempotencyKey: 'replacement' },
    );

    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    expect(outlook.all().map((e) => [e.id, e.crmId])).toEqual([[event.id, replacement.id]]);
    expect(live().map((a) => [a.id, a.cancelled])).toEqual([[replacement.id, false]]);
    expect((await deps.store.linkByOutlookId('calendar', event.id))?.crmId).toBe(replacement.id);
    expect(
      await dbOf(deps)
        .trash.filter((t) => t.deleted !== undefined)
        .count(),
    ).toBe(0);
    // And it syncs on: the new activity's edit reaches the event.
    const fresh = (await crm.get(replacement.id))!;
    await crm.update(replacement.id, { ...fresh.item, subject: 'Renamed' }, { etag: fresh.etag });
    await runSync(deps);
    expect(outlook.all()[0]!.item.subject).toBe('Renamed');
  });

  it('SPEC M2, D1: an Outlook event re-made under a new id with the same stamp relinks the activity, never cancels it', async () => {
    const { outlook, deps, event, activity, live } = await syncedPair();
    const remade = outlook.outlookRemake(event.id);
    outlook.outlookEdit(remade.id, { ...remade.item, subject: 'Planning (remade)' });

    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    expect(live().map((a) => [a.id, a.cancelled, a.item.subject])).toEqual([
      [activity.id, false, 'Planning (remade)'],
    ]);
    expect(outlook.all().map((e) => e.id)).toEqual([remade.id]);
    expect((await deps.store.linkByCrmId('calendar', activity.id))?.outlookId).toBe(remade.id);
    expect(live()[0]!.outlookLinks).toEqual([{ mailbox: settings.mailbox, eventId: remade.id }]);
  });
});

describe('issue 15, item 4: a stamp that is not a CRM id marks only its item', () => {
  it.each([
    ['non-ASCII', 'äää'],
    ['a path', '../activities'],
    ['blank inside', 'act 1'],
    ['too long', 'a'.repeat(65)],
  ])(
    'SPEC E4, X1: an Outlook event stamped with %s is set aside (stampNotValid), never asked for; the rest syncs',
    async (_name, stamp) => {
      const { outlook, deps, live } = setup();
      const bad = outlook.outlookCreate('calendar', item({ subject: 'Stamped badly' }));
      outlook.outlookStamp(bad.id, stamp);
      outlook.outlookCreate('calendar', item({ subject: 'Fine', ...at('2026-11-24T09:00:00Z') }));

      expect(await runSync(deps)).toMatchObject({ state: 'done' });
      expect(live().map((a) => a.item.subject)).toEqual(['Fine']);
      expect(await skipCodes(deps, `o:${bad.id}`)).toEqual(['stampNotValid']);
      // The CRM was never asked for the stamp: nothing about it is recorded on the CRM side.
      expect(await dbOf(deps).records.where('itemKey').equals(`c:${stamp}`).count()).toBe(0);
      // A second run still completes, and the event keeps its stamp (nothing written to it).
      expect(await runSync(deps)).toMatchObject({ state: 'done' });
      expect(outlook.all().find((e) => e.id === bad.id)?.crmId).toBe(stamp);
    },
  );
});

describe('issue 15, items 3 and 4, for contacts (SPEC K2)', () => {
  async function syncedContact() {
    const engine = engineOnFakes('identity-contacts', settings, { contacts: true });
    const { deps, outlookContacts, contactBackend: backend } = engine;
    const crmId = backend.personCreate(person(), { markedFor: settings.crmUserId });
    expect((await runSync(deps)).state).toBe('done');
    const [copy] = outlookContacts.all();
    expect(copy?.crmId).toBe(crmId);
    return { deps, outlookContacts, backend, crmId, copy: copy! };
  }

  it('SPEC K2, M2: an Outlook contact re-made under a new id with the same stamp is relinked, never archived in the CRM', async () => {
    const { deps, outlookContacts, backend, crmId, copy } = await syncedContact();
    const remade = outlookContacts.personRemake(copy.id);

    expect((await runSync(deps)).state).toBe('done');
    expect(backend.rows.get(crmId)?.archived).toBe(false);
    expect((await deps.store.linkByCrmId('contacts', crmId))?.outlookId).toBe(remade.id);
    expect(outlookContacts.all().map((c) => c.id)).toEqual([remade.id]);
  });

  it('SPEC K2, M2: a contact link row whose snapshots are missing is repaired from the stamp; the run completes', async () => {
    const { deps, outlookContacts, backend, crmId, copy } = await syncedContact();
    await dbOf(deps).contactLinks.put({ outlookId: copy.id, crmId } as never);
    outlookContacts.personEdit(copy.id, { title: 'CFO' });

    expect((await runSync(deps)).state).toBe('done');
    expect((await deps.store.links('contacts')).map((l) => [l.outlookId, l.crmId])).toEqual([
      [copy.id, crmId],
    ]);
    expect(await deps.store.linksToRepair('contacts')).toEqual([]);
    expect(outlookContacts.all()).toHaveLength(1);
    expect(backend.rows.get(crmId)?.archived).toBe(false);
  });

  it('SPEC K2, E4: an Outlook contact stamped with what cannot be a CRM id is never copied, deleted or asked for; the run completes', async () => {
    const { deps, outlookContacts, backend } = await syncedContact();
    const folder = [...outlookContacts.folders.keys()][0]!;
    const odd = outlookContacts.personCreate(folder, person({ firstName: 'Odd' }));
    outlookContacts.personStamp(odd.id, 'äää');
    const before = backend.rows.size;

    expect((await runSync(deps)).state).toBe('done');
    expect(backend.rows.size).toBe(before);
    expect(outlookContacts.all().find((c) => c.id === odd.id)?.crmId).toBe('äää');
  });
});
