/**
 * SPEC M3: the duplicate finder for appointments — pure grouping and merging, and the engine's
 * answer on the in-memory fakes: keeping one removes the others, merging fills the kept one, and
 * the next run takes a removed duplicate's partner on the other side with it.
 */
import { findAppointmentDuplicates, mergeDuplicates } from '../../../src/sync/core/plan/duplicates';
import { findDuplicates, resolveDuplicates } from '../../../src/sync/engine/duplicates';
import { runSync } from '../../../src/sync/engine/run';
import { at, crmActivity, item, outlookEvent } from '../../support/planFixtures';
import { engineOnFakes } from '../../support/fakeEngine';
import { dbOf } from '../../support/store';

describe('M3: finding duplicates (pure)', () => {
  it('groups items on one side that share the match key, and Outlook events that share a stamp', () => {
    const same = item({ subject: 'Board', ...at('2026-11-24T07:00:00Z') });
    const groups = findAppointmentDuplicates(
      [
        outlookEvent('o1', same, { lastModified: '2026-11-01T00:00:00Z' }),
        outlookEvent(
          'o2',
          { ...same, subject: 'board ' },
          { lastModified: '2026-11-02T00:00:00Z' },
        ),
        outlookEvent('o3', item({ subject: 'Other' })),
        outlookEvent('o4', item({ subject: 'Stamped A' }), { crmId: 'c9' }),
        outlookEvent('o5', item({ subject: 'Stamped B' }), { crmId: 'c9' }),
        outlookEvent('o6', same, { kind: 'occurrence' }),
      ],
      [
        crmActivity('c1', same),
        crmActivity('c2', same),
        crmActivity('c3', same, { cancelled: true }),
      ],
    );
    expect(groups.map((g) => [g.side, g.why, g.members.map((m) => m.id)])).toEqual([
      ['outlook', 'sameStamp', ['o4', 'o5']],
      ['outlook', 'sameItem', ['o1', 'o2']],
      ['crm', 'sameItem', ['c1', 'c2']],
    ]);
  });

  it('a merge fills only what the kept item lacks, and joins attendees', () => {
    const keep = item({
      location: '',
      description: 'Agenda',
      reminderMinutes: null,
      participants: [{ kind: 'external', email: 'a@x.example', optional: false }],
    });
    const merged = mergeDuplicates(keep, [
      item({
        location: 'Room 2',
        description: 'Other text',
        reminderMinutes: 10,
        participants: [
          { kind: 'external', email: 'a@x.example', optional: false },
          { kind: 'external', email: 'b@x.example', optional: true },
        ],
      }),
    ]);
    expect(merged).toMatchObject({
      location: 'Room 2',
      description: 'Agenda',
      reminderMinutes: 10,
    });
    expect(merged.participants.map((p) => p.email)).toEqual(['a@x.example', 'b@x.example']);
  });
});

describe('M3: the answer, through the engine', () => {
  function setup() {
    const { crmItems: live, ...rest } = engineOnFakes('duplicates');
    return { ...rest, live };
  }

  it('a pair made twice (another tool copied it) is found on both sides; merging in Outlook removes the copy on both', async () => {
    const { outlook, crm, deps, live } = setup();
    const when = at('2026-11-24T07:00:00Z');
    // The copies differ only in what a first sync does not compare (the description).
    outlook.outlookCreate('calendar', item({ subject: 'Board', ...when, description: '' }));
    outlook.outlookCreate('calendar', item({ subject: 'Board', ...when, description: 'Agenda' }));
    for (const key of ['a', 'b']) {
      await crm.create(
        { item: item({ subject: 'Board', ...when, description: '' }), typeId: 'typ_meeting' },
        { idempotencyKey: key },
      );
    }
    expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { link: 2 } });

    const groups = await findDuplicates(deps);
    expect(groups.map((g) => [g.side, g.members.length])).toEqual([
      ['outlook', 2],
      ['crm', 2],
    ]);
    const members = groups.find((g) => g.side === 'outlook')?.members ?? [];
    // Keep the one without an agenda; the merge takes the agenda from the other.
    const keep = members.find((m) => m.item.description === '');
    const other = members.find((m) => m !== keep);
    const kept = await resolveDuplicates(deps, {
      side: 'outlook',
      keepId: keep?.id ?? '',
      otherIds: [other?.id ?? ''],
      merge: true,
    });
    expect(kept.description).toBe('Agenda');
    expect(outlook.all().map((e) => e.id)).toEqual([keep?.id]);
    expect((await dbOf(deps).trash.toArray()).map((t) => t.deleted?.description)).toEqual([
      'Agenda',
    ]);

    // The next run: the removed copy's CRM partner is cancelled (D1), the kept one gets the agenda.
    expect(await runSync(deps)).toMatchObject({ state: 'done' });
    const activities = live().filter((a) => !a.cancelled);
    expect(activities.map((a) => a.item.description)).toEqual(['Agenda']);
    expect(await findDuplicates(deps)).toEqual([]);
  });

  it('keeping one CRM activity cancels the others there, and the next run removes their Outlook copies', async () => {
    const { outlook, crm, deps, live } = setup();
    const when = at('2026-11-25T07:00:00Z');
    for (const key of ['a', 'b', 'c']) {
      await crm.create(
        { item: item({ subject: 'Call', ...when }), typeId: 'typ_meeting' },
        { idempotencyKey: key },
      );
    }
    await runSync(deps);
    expect(outlook.all()).toHaveLength(3); // three copies, as the CRM had three
    const [group] = (await findDuplicates(deps)).filter((g) => g.side === 'crm');
    const [keep, ...others] = group?.members ?? [];
    await resolveDuplicates(deps, {
      side: 'crm',
      keepId: keep?.id ?? '',
      otherIds: others.map((m) => m.id),
      merge: false,
    });
    expect(
      live()
        .filter((a) => !a.cancelled)
        .map((a) => a.id),
    ).toEqual([keep?.id]);
    await runSync(deps, { massDeleteConfirmed: true });
    expect(outlook.all().map((e) => e.crmId)).toEqual([keep?.id]);
    expect(await findDuplicates(deps)).toEqual([]);
  });
});
