/** The planner, one table per SPEC line (the line's id is in each test's name). */
import { plan } from '../../../src/sync/core/plan/planner';
import type { Operation } from '../../../src/sync/core/plan/types';
import type { SyncSettings } from '../../../src/sync/core/settings';
import {
  at,
  crmActivity,
  input,
  item,
  link,
  outlookEvent,
  settings,
} from '../../support/planFixtures';

const ops = (operations: readonly Operation[]) => operations.map((o) => o.op);
const withSettings = (overrides: Partial<SyncSettings>): SyncSettings => ({
  ...settings,
  ...overrides,
});

describe('W: windows', () => {
  it('W1: an Outlook item from before the history window is not created in the CRM', () => {
    const old = outlookEvent('o1', item(at('2026-11-19T07:00:00Z')));
    const yesterday = outlookEvent(
      'o2',
      item({ subject: 'Yesterday', ...at('2026-11-21T07:00:00Z') }),
    );
    const result = plan(input({ outlookChanged: [old, yesterday] }), settings);
    expect(result.operations).toEqual([
      expect.objectContaining({ op: 'createInCrm', outlook: yesterday }),
    ]);
  });

  it('W2: a CRM activity beyond the future window is not created in Outlook', () => {
    const near = crmActivity('c1', item(at('2026-12-01T07:00:00Z')));
    const far = crmActivity('c2', item({ subject: 'Far', ...at('2027-06-01T07:00:00Z') }));
    const s = withSettings({ crmToOutlook: { ...settings.crmToOutlook, daysAhead: 30 } });
    const result = plan(input({ crmChanged: [near, far] }), s);
    expect(result.operations).toEqual([
      expect.objectContaining({ op: 'createInOutlook', crm: near }),
    ]);
  });

  it('R5, W1: a series counts by its occurrences — ended before the window out, endless and still running in', () => {
    const series = (id: string, rrule: string) =>
      crmActivity(
        id,
        item({ subject: id, ...at('2026-01-05T07:00:00Z'), recurrence: { rrule, exdates: [] } }),
      );
    const ended = series('ended by UNTIL', 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260601T070000Z');
    const counted = series('ended by COUNT', 'FREQ=DAILY;COUNT=10');
    const endless = series('endless', 'FREQ=WEEKLY;BYDAY=MO');
    const running = series('runs into the window', 'FREQ=MONTHLY;BYMONTHDAY=5;COUNT=12');
    const result = plan(input({ crmChanged: [ended, counted, endless, running] }), settings);
    expect(result.operations.map((o) => (o.op === 'createInOutlook' ? o.crm.id : o.op))).toEqual([
      'endless',
      'runs into the window',
    ]);
  });

  it('X1: an Outlook event that could not be read is set aside with its reason, and is no deletion', () => {
    const links = [link('o1', 'c1', item())];
    const result = plan(input({ links, outlookUnreadable: ['o1', 'o9'] }), settings);
    expect(result.excluded).toEqual([
      { side: 'outlook', id: 'o1', reason: 'unreadable' },
      { side: 'outlook', id: 'o9', reason: 'unreadable' },
    ]);
    expect(ops(result.operations)).toEqual([]);
  });

  it('W3: an item that leaves the window is never deleted on the other side', () => {
    const base = item();
    const links = [link('o1', 'c1', base)];
    // A full listing that no longer contains the linked item is not a deletion.
    const result = plan(input({ links, outlookIsFullListing: true, outlookChanged: [] }), settings);
    expect(ops(result.operations)).not.toContain('cancelInCrm');
    expect(ops(result.operations)).not.toContain('deleteInOutlook');
  });
});

describe('S: what reaches my calendar', () => {
  it('S6: an activity I only take part in reaches my calendar, even when its owner does not sync', () => {
    const invited = crmActivity('c1', item({ subject: 'Ben invites Anna' }), {
      crm: { ...crmActivity('x', item()).crm, ownerId: 'usr_ben' },
    });
    const [op] = plan(input({ crmChanged: [invited] }), settings).operations;
    expect(op).toMatchObject({ op: 'createInOutlook', crm: invited });
  });
});

describe('T: activity types', () => {
  it('T1: only the chosen types create new items, per direction', () => {
    const call = crmActivity('c1', item(), {
      crm: { ...crmActivity('x', item()).crm, typeId: 'typ_call' },
    });
    const s = withSettings({
      crmToOutlook: { ...settings.crmToOutlook, createTypes: ['typ_meeting'] },
    });
    const result = plan(input({ crmChanged: [call] }), s);
    expect(result.operations).toEqual([]);
    expect(result.excluded).toEqual([{ side: 'crm', id: 'c1', reason: 'typeNotSynced' }]);
  });

  it('T1: an empty list means no new items sync in that direction', () => {
    const s = withSettings({ outlookToCrm: { ...settings.outlookToCrm, createTypes: [] } });
    const result = plan(input({ outlookChanged: [outlookEvent('o1', item())] }), s);
    expect(result.operations).toEqual([]);
  });

  it('T2: edits of a type outside "edit / delete" do not sync', () => {
    const base = item();
    const s = withSettings({ outlookToCrm: { ...settings.outlookToCrm, editTypes: ['typ_call'] } });
    const edited = outlookEvent('o1', item({ subject: 'Renamed' }));
    const result = plan(input({ links: [link('o1', 'c1', base)], outlookChanged: [edited] }), s);
    expect(ops(result.operations)).toEqual(['rebase']);
    expect(result.excluded).toEqual([{ side: 'outlook', id: 'o1', reason: 'typeNotSynced' }]);
  });

  it('T3: with no default type an Outlook item waits for the person to pick one', () => {
    const s = withSettings({ defaultTypeId: null });
    const event = outlookEvent('o1', item());
    expect(plan(input({ outlookChanged: [event] }), s).excluded).toEqual([
      { side: 'outlook', id: 'o1', reason: 'waitingForType' },
    ]);
    const chosen = plan(input({ outlookChanged: [event], typeChoices: { o1: 'typ_call' } }), s);
    expect(chosen.operations).toEqual([
      expect.objectContaining({
        op: 'createInCrm',
        input: expect.objectContaining({ typeId: 'typ_call' }),
      }),
    ]);
  });
});

describe('P1: private items', () => {
  const secret = outlookEvent(
    'o1',
    item({ subject: 'Dentist', location: 'Clinic', isPrivate: true }),
  );

  it('P1: full — the item travels with the personal type', () => {
    const [op] = plan(input({ outlookChanged: [secret] }), settings).operations;
    expect(op).toMatchObject({
      op: 'createInCrm',
      input: { typeId: 'typ_personal', item: { subject: 'Dentist' } },
    });
  });

  it('P1: busy — a block without content', () => {
    const [op] = plan(
      input({ outlookChanged: [secret] }),
      withSettings({ privateMode: 'busy' }),
    ).operations;
    expect(op).toMatchObject({
      op: 'createInCrm',
      input: { item: { subject: 'Busy', location: '' } },
    });
  });

  it('P1: skip — not synced, and listed', () => {
    const result = plan(input({ outlookChanged: [secret] }), withSettings({ privateMode: 'skip' }));
    expect(result.operations).toEqual([]);
    expect(result.excluded).toEqual([{ side: 'outlook', id: 'o1', reason: 'privateNotSynced' }]);
  });

  it('P1: busy — a CRM time change never overwrites the Outlook subject with the block', () => {
    const s = withSettings({ privateMode: 'busy' });
    const base = item({ subject: 'Busy', location: '', isPrivate: true });
    const moved = crmActivity('c1', { ...base, ...at('2026-11-26T07:00:00Z') });
    const outlook = outlookEvent('o1', item({ subject: 'Dentist', isPrivate: true }));
    const result = plan(
      input({ links: [link('o1', 'c1', base)], crmChanged: [moved], outlookChanged: [outlook] }),
      s,
    );
    const update = result.operations.find((o) => o.op === 'updateOutlook');
    expect(update).toMatchObject({ fields: ['time'] });
  });

  it('P1: without a personal type the default type is used', () => {
    const s = withSettings({ personalTypeId: null });
    const [op] = plan(input({ outlookChanged: [secret] }), s).operations;
    expect(op).toMatchObject({ input: { typeId: 'typ_meeting' } });
  });
});

describe('X1: not synced, with the reason', () => {
  it('X1: corrupt times', () => {
    const broken = outlookEvent(
      'o1',
      item({
        time: {
          kind: 'timed',
          start: '2026-11-25T09:00:00Z',
          end: '2026-11-25T08:00:00Z',
          timeZone: 'UTC',
        },
      }),
    );
    expect(plan(input({ outlookChanged: [broken] }), settings).excluded).toEqual([
      { side: 'outlook', id: 'o1', reason: 'corruptTime' },
    ]);
  });

  it('X1: an item forwarded from another person’s calendar', () => {
    const forwarded = outlookEvent('o1', item(), {
      isOrganizer: false,
      organizerEmail: 'boss@fabrikam.example',
    });
    expect(plan(input({ outlookChanged: [forwarded] }), settings).excluded).toEqual([
      { side: 'outlook', id: 'o1', reason: 'forwardedFromOtherCalendar' },
    ]);
  });

  it('X1: CRM changes to a completed activity are not pushed to Outlook', () => {
    const base = item();
    const done = crmActivity('c1', item({ subject: 'Changed after completion' }), {
      crm: { ...crmActivity('x', base).crm, completed: true },
    });
    const result = plan(input({ links: [link('o1', 'c1', base)], crmChanged: [done] }), settings);
    expect(ops(result.operations)).toEqual(['rebase']);
    expect(result.excluded).toEqual([{ side: 'crm', id: 'c1', reason: 'completedInCrm' }]);
  });
});

describe('F: fields', () => {
  it('F2: a change of CRM-only fields (type, relations, completed) does not touch Outlook', () => {
    const base = item();
    const relinked = crmActivity('c1', base, {
      etag: '"c1.v2"',
      crm: {
        typeId: 'typ_visit',
        relations: { customerId: 'cus_1', projectId: 'prj_1', salesCaseId: null },
        completed: false,
        ownerId: 'usr_anna',
      },
    });
    const result = plan(
      input({ links: [link('o1', 'c1', base)], crmChanged: [relinked] }),
      settings,
    );
    expect(ops(result.operations)).toEqual(['rebase']);
  });

  it('F3: an Outlook edit by someone who only takes part does not change the owner’s activity', () => {
    const base = item();
    const edited = outlookEvent('o1', item({ subject: 'My own title' }));
    const result = plan(
      input({ links: [link('o1', 'c1', base, { isOwner: false })], outlookChanged: [edited] }),
      settings,
    );
    expect(ops(result.operations)).not.toContain('updateCrm');
    expect(result.excluded).toContainEqual({ side: 'outlook', id: 'o1', reason: 'notOwner' });
  });

  it('F4/F5: participants of every kind and the optional flag travel as data', () => {
    const people = item({
      participants: [
        { kind: 'user', email: 'ben@contoso.example', optional: false },
        { kind: 'external', email: 'guest@fabrikam.example', optional: true },
        { kind: 'resource', email: 'room1@contoso.example', optional: false },
      ],
    });
    const [op] = plan(input({ outlookChanged: [outlookEvent('o1', people)] }), settings).operations;
    expect(op).toMatchObject({
      op: 'createInCrm',
      input: { item: { participants: people.participants } },
    });
  });

  it('F6: an update writes only the fields that changed', () => {
    const base = item();
    const moved = crmActivity('c1', item(at('2026-11-25T09:00:00Z')));
    const [op] = plan(
      input({ links: [link('o1', 'c1', base)], crmChanged: [moved] }),
      settings,
    ).operations;
    expect(op).toMatchObject({ op: 'updateOutlook', fields: ['time'] });
  });
});

describe('D: deletion and safety', () => {
  it('D1: deleting in Outlook cancels the CRM activity the person owns', () => {
    const result = plan(
      input({ links: [link('o1', 'c1', item())], outlookDeleted: ['o1'] }),
      settings,
    );
    expect(ops(result.operations)).toEqual(['cancelInCrm']);
  });

  it('D1: when the person only takes part, only they are removed', () => {
    const links = [link('o1', 'c1', item(), { isOwner: false })];
    expect(ops(plan(input({ links, outlookDeleted: ['o1'] }), settings).operations)).toEqual([
      'removeMeInCrm',
    ]);
  });

  it('D2: deleting in the CRM deletes the Outlook item', () => {
    const result = plan(input({ links: [link('o1', 'c1', item())], crmDeleted: ['c1'] }), settings);
    expect(ops(result.operations)).toEqual(['deleteInOutlook']);
  });

  it('D2: deleted on both sides: only the link goes', () => {
    const result = plan(
      input({ links: [link('o1', 'c1', item())], crmDeleted: ['c1'], outlookDeleted: ['o1'] }),
      settings,
    );
    expect(ops(result.operations)).toEqual(['unlink']);
  });

  const many = Array.from({ length: 20 }, (_, i) =>
    link(`o${i}`, `c${i}`, item({ subject: `S${i}` })),
  );

  it('D3: a run that would delete ≥ 20 % and ≥ 10 items stops and asks', () => {
    const result = plan(
      input({ links: many, crmDeleted: many.slice(0, 10).map((l) => l.crmId) }),
      settings,
    );
    const shown = many.slice(0, 10).map((l) => l.outlookId);
    expect(result.brake).toEqual({ kind: 'massDelete', destructive: 10, linked: 20, ids: shown });
    expect(ops(result.operations)).not.toContain('deleteInOutlook');
    const confirmed = plan(
      input({
        links: many,
        crmDeleted: many.slice(0, 10).map((l) => l.crmId),
        massDeleteConfirmed: true,
      }),
      settings,
    );
    expect(confirmed.brake).toBeNull();
    expect(ops(confirmed.operations).filter((o) => o === 'deleteInOutlook')).toHaveLength(10);
  });

  it('D3 (issue 14): a confirmation allows the items it names; one more trips the brake again', () => {
    const shown = many.slice(0, 10).map((l) => l.outlookId);
    const deleted = (n: number) => many.slice(0, n).map((l) => l.crmId);
    const allowed = plan(
      input({ links: many, crmDeleted: deleted(10), massDeleteConfirmed: shown }),
      settings,
    );
    expect(allowed.brake).toBeNull();
    expect(ops(allowed.operations).filter((o) => o === 'deleteInOutlook')).toHaveLength(10);
    // An eleventh deletion appeared after the question was shown: it alone is held and asked
    // about, counted with the window's ten (recentDestructive) — the ten shown go ahead.
    const more = plan(
      input({
        links: many,
        crmDeleted: deleted(11),
        massDeleteConfirmed: shown,
        recentDestructive: 10,
      }),
      settings,
    );
    expect(more.brake).toEqual({ kind: 'massDelete', destructive: 11, linked: 20, ids: ['o10'] });
    expect(ops(more.operations).filter((o) => o === 'deleteInOutlook')).toHaveLength(10);
  });

  it('D3 (issue 14): a drip of deletions trips the brake over the sliding window', () => {
    const one = plan(input({ links: many, crmDeleted: [many[0]!.crmId] }), settings);
    expect(one.brake).toBeNull();
    const dripped = plan(
      input({ links: many, crmDeleted: [many[0]!.crmId], recentDestructive: 9 }),
      settings,
    );
    expect(dripped.brake).toEqual({ kind: 'massDelete', destructive: 10, linked: 20, ids: ['o0'] });
    expect(ops(dripped.operations)).not.toContain('deleteInOutlook');
  });

  it('D3: fewer than 10 deletions never brake', () => {
    const few = many.slice(0, 9);
    const result = plan(input({ links: few, crmDeleted: few.map((l) => l.crmId) }), settings);
    expect(result.brake).toBeNull();
  });

  it('D3: one side suddenly empty while links exist stops everything', () => {
    const result = plan(input({ links: many, crmIsFullListing: true, crmChanged: [] }), settings);
    expect(result).toMatchObject({ brake: { kind: 'sideEmpty', side: 'crm' }, operations: [] });
  });

  it('D4: a conflict keeps the losing value for the trash', () => {
    const base = item();
    const result = plan(
      input({
        links: [link('o1', 'c1', base)],
        outlookChanged: [
          outlookEvent('o1', item({ subject: 'Outlook says' }), {
            lastModified: '2026-11-22T09:00:00Z',
          }),
        ],
        crmChanged: [
          crmActivity('c1', item({ subject: 'CRM says' }), {
            lastModified: '2026-11-22T09:30:00Z',
          }),
        ],
      }),
      settings,
    );
    expect(result.operations).toContainEqual(
      expect.objectContaining({
        op: 'trash',
        lost: { field: 'subject', side: 'outlook', value: 'Outlook says' },
      }),
    );
    expect(result.operations).toContainEqual(
      expect.objectContaining({ op: 'updateOutlook', fields: ['subject'] }),
    );
  });
});

describe('M: matching and relinking', () => {
  it('M1: the first sync links existing pairs (subject, start, end, recurrence) instead of copying', () => {
    const o = outlookEvent('o1', item({ description: 'Outlook notes' }));
    const c = crmActivity('c1', item({ subject: 'steering GROUP ', description: 'CRM notes' }));
    const other = crmActivity('c2', item({ subject: 'Other' }));
    const result = plan(input({ outlookChanged: [o], crmChanged: [c, other] }), settings);
    const structural = result.operations.filter(
      (op) => op.op === 'link' || op.op.startsWith('create'),
    );
    expect(structural).toEqual([
      expect.objectContaining({ op: 'link', reason: 'match', outlook: o, crm: c }),
      expect.objectContaining({ op: 'createInOutlook', crm: other }),
    ]);
  });

  it('M1: a matched pair that differs elsewhere is reconciled by the conflict policy, losers to the trash', () => {
    const o = outlookEvent('o1', item({ location: 'Outlook room' }), {
      lastModified: '2026-11-22T08:00:00Z',
    });
    const c = crmActivity('c1', item({ location: 'CRM room' }), {
      lastModified: '2026-11-22T09:00:00Z',
    });
    const result = plan(input({ outlookChanged: [o], crmChanged: [c] }), settings);
    expect(ops(result.operations)).toEqual(['link', 'trash', 'updateOutlook']);
    expect(result.operations[0]).toMatchObject({ commit: false });
    expect(result.operations[1]).toMatchObject({
      lost: { field: 'location', side: 'outlook', value: 'Outlook room' },
    });
    expect(result.operations[2]).toMatchObject({
      fields: ['location'],
      final: true,
      item: { location: 'CRM room' },
    });
  });

  it('M2: a relinked pair that differs only where Outlook holds less (contact people, RRULE spelling, HTML) just links: nothing is overwritten', () => {
    const contact = {
      kind: 'contact' as const,
      email: 'liisa@fabrikam.example',
      crmId: 'con_1',
      optional: false,
    };
    const o = outlookEvent(
      'o1',
      item({
        description: 'Notes',
        recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=WE;BYSETPOS=2', exdates: [] },
      }),
      { crmId: 'c1' },
    );
    const c = crmActivity(
      'c1',
      item({
        description: 'Notes\n',
        participants: [contact],
        recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=2WE', exdates: [] },
      }),
    );
    const result = plan(input({ outlookChanged: [o], crmChanged: [c] }), settings);
    expect(ops(result.operations)).toEqual(['link']);
    expect(result.operations[0]).toMatchObject({ commit: true });
  });

  it('M1: matching is a hash join — 5,000 × 5,000 items plan quickly', () => {
    const n = 5000;
    const outlook = Array.from({ length: n }, (_, i) =>
      outlookEvent(`o${i}`, item({ subject: `S${i}` })),
    );
    const crm = Array.from({ length: n }, (_, i) =>
      crmActivity(`c${i}`, item({ subject: `S${i}` })),
    );
    const result = plan(input({ outlookChanged: outlook, crmChanged: crm }), settings);
    expect(result.operations.filter((o) => o.op === 'link')).toHaveLength(n);
  });

  it('M2: stamps relink before anything is created, from either side', () => {
    const stamped = outlookEvent('o1', item({ subject: 'Renamed in Outlook' }), { crmId: 'c1' });
    const c1 = crmActivity('c1', item());
    const c2 = crmActivity('c2', item({ subject: 'Other' }), {
      outlookLinks: [{ mailbox: 'anna@contoso.example', eventId: 'o2' }],
    });
    const o2 = outlookEvent('o2', item({ subject: 'Other (edited)' }));
    const result = plan(input({ outlookChanged: [stamped, o2], crmChanged: [c1, c2] }), settings);
    expect(result.operations.filter((op) => op.op === 'link')).toEqual([
      expect.objectContaining({ op: 'link', reason: 'stamp', outlook: stamped, crm: c1 }),
      expect.objectContaining({ op: 'link', reason: 'stamp', outlook: o2, crm: c2 }),
    ]);
    expect(ops(result.operations)).not.toContain('createInCrm');
    expect(ops(result.operations)).not.toContain('createInOutlook');
  });

  it('M2: an occurrence carrying its series’ stamp is never paired with the series’ activity', () => {
    const series = crmActivity(
      'c1',
      item({ recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', exdates: [] } }),
    );
    const occurrence = outlookEvent('o1-occ', item(at('2026-11-30T07:00:00Z')), {
      kind: 'occurrence',
      crmId: 'c1',
    });
    const result = plan(input({ outlookChanged: [occurrence], crmChanged: [series] }), settings);
    expect(ops(result.operations)).not.toContain('link');
  });

  it('M2: a stamp whose partner is not at hand never leads to a copy', () => {
    const stamped = outlookEvent('o1', item(), { crmId: 'c-unknown' });
    const result = plan(input({ outlookChanged: [stamped] }), settings);
    expect(result.operations).toEqual([]);
    expect(result.excluded).toEqual([
      { side: 'outlook', id: 'o1', reason: 'stampedPartnerMissing' },
    ]);
  });
});

describe('idempotency of the plan', () => {
  it('the same input plans the same operations with the same keys (crash replay is harmless)', () => {
    const event = outlookEvent('o1', item());
    const a = plan(input({ outlookChanged: [event] }), settings);
    const b = plan(input({ outlookChanged: [event] }), settings);
    expect(a).toEqual(b);
    expect(a.operations[0]).toMatchObject({ idempotencyKey: 'o2c-o1' });
  });
});
