/**
 * Issue 15, item 1: filters hold changes back, never swallow them (SPEC T1, T2 with D1, D2). A
 * direction with no types is off: the side it writes is read-only, and what the filter excluded
 * keeps its difference from the base until the filter allows it. One table per case of the issue;
 * each test names its SPEC lines. The planner's cases first, then the engine's on the fakes.
 */
import type { ContactMode } from '../../../src/sync/core/contacts/types';
import { SyncError } from '../../../src/sync/core/errors';
import { plan } from '../../../src/sync/core/plan/planner';
import type { Operation } from '../../../src/sync/core/plan/types';
import type { DirectionSettings, SyncSettings } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { runSync } from '../../../src/sync/engine/run';
import {
  crmActivity,
  input,
  item,
  link,
  outlookEvent,
  person,
  settings,
} from '../../support/planFixtures';
import { engineOnFakes } from '../../support/fakeEngine';
import { dbOf } from '../../support/store';

const OFF: Pick<DirectionSettings, 'createTypes' | 'editTypes'> = {
  createTypes: [],
  editTypes: [],
};
/** Settings with one direction switched off (no types: SPEC T1, T2). */
function off(direction: 'outlookToCrm' | 'crmToOutlook'): SyncSettings {
  return { ...settings, [direction]: { ...settings[direction], ...OFF } };
}
const ops = (operations: readonly Operation[]) => operations.map((o) => o.op);

describe('issue 15 — the planner: a read-only side is never written', () => {
  it('T2, D2: with CRM → Outlook off, a stamped Outlook event whose activity is deleted (tombstone) is not deleted — it is linked so the deletion waits', () => {
    const event = outlookEvent('o1', item(), { crmId: 'c1' });
    const result = plan(
      input({ outlookChanged: [event], crmDeleted: ['c1'] }),
      off('crmToOutlook'),
    );
    expect(ops(result.operations)).toEqual(['rebase']);
    expect(result.operations[0]).toMatchObject({ link: { outlookId: 'o1', crmId: 'c1' } });
    expect(result.excluded).toEqual([{ side: 'crm', id: 'c1', reason: 'typeNotSynced' }]);
    // Two-way, the same orphan is deleted (D2).
    expect(
      ops(plan(input({ outlookChanged: [event], crmDeleted: ['c1'] }), settings).operations),
    ).toEqual(['deleteInOutlook']);
  });

  it('T2, D1: with Outlook → CRM off, an activity whose stamped Outlook event is gone is not cancelled — it is linked so the deletion waits', () => {
    const activity = crmActivity('c1', item(), {
      outlookLinks: [{ mailbox: settings.mailbox, eventId: 'o1' }],
    });
    const result = plan(
      input({ crmChanged: [activity], outlookDeleted: ['o1'] }),
      off('outlookToCrm'),
    );
    expect(ops(result.operations)).toEqual(['rebase']);
    expect(result.excluded).toEqual([{ side: 'outlook', id: 'o1', reason: 'typeNotSynced' }]);
    expect(
      ops(plan(input({ crmChanged: [activity], outlookDeleted: ['o1'] }), settings).operations),
    ).toEqual(['cancelInCrm']);
  });

  it('T2, D2: a linked pair whose activity is deleted while CRM → Outlook is off keeps its link: no write, no unlink', () => {
    const result = plan(
      input({ links: [link('o1', 'c1', item())], crmDeleted: ['c1'] }),
      off('crmToOutlook'),
    );
    expect(result.operations).toEqual([]);
    expect(result.excluded).toEqual([{ side: 'crm', id: 'c1', reason: 'typeNotSynced' }]);
  });

  it('T2, D1: a linked pair whose Outlook event is deleted while Outlook → CRM is off keeps its link: no cancel, no unlink', () => {
    const result = plan(
      input({ links: [link('o1', 'c1', item())], outlookDeleted: ['o1'] }),
      off('outlookToCrm'),
    );
    expect(result.operations).toEqual([]);
    expect(result.excluded).toEqual([{ side: 'outlook', id: 'o1', reason: 'typeNotSynced' }]);
  });

  it('T2: an Outlook edit the filter excludes is held — the rebase keeps the Outlook base', () => {
    const edited = outlookEvent('o1', item({ subject: 'Renamed' }));
    const result = plan(
      input({ links: [link('o1', 'c1', item())], outlookChanged: [edited] }),
      off('outlookToCrm'),
    );
    expect(result.operations).toEqual([
      expect.objectContaining({ op: 'rebase', held: { outlook: true, crm: false } }),
    ]);
  });

  it('T2, D4: a CRM edit held by the filter that an Outlook edit of the same field overwrites goes to the trash first', () => {
    const s = off('crmToOutlook');
    const result = plan(
      input({
        links: [link('o1', 'c1', item())],
        outlookChanged: [outlookEvent('o1', item({ subject: 'From Outlook' }))],
        crmChanged: [crmActivity('c1', item({ subject: 'From the CRM' }))],
      }),
      s,
    );
    expect(result.operations).toEqual([
      {
        op: 'trash',
        link: expect.anything(),
        lost: { field: 'subject', side: 'crm', value: 'From the CRM' },
      },
      expect.objectContaining({
        op: 'updateCrm',
        fields: ['subject'],
        held: { outlook: false, crm: true },
      }),
    ]);
  });

  it('M1, T2: a matched pair whose newer Outlook side may not write the CRM is linked without writing it; its values wait as its edit', () => {
    const outlookSide = outlookEvent('o1', item({ location: 'Room 9' }), {
      lastModified: '2026-11-22T09:30:00Z',
    });
    const crmSide = crmActivity('c1', item());
    const result = plan(
      input({ outlookChanged: [outlookSide], crmChanged: [crmSide] }),
      off('outlookToCrm'),
    );
    expect(ops(result.operations)).toEqual(['link', 'trash', 'rebase']);
    const rebase = result.operations[2] as Operation & { op: 'rebase' };
    expect(rebase.held).toEqual({ outlook: true, crm: false });
    expect(rebase.link.outlookBase.location).toBe('Room 1'); // Room 9 stays Outlook's edit
  });
});

// ─── The engine on the fakes ───────────────────────────────────────────────────────────────────

const CONTENT_WRITES = {
  outlook: new Set(['create', 'update', 'delete']),
  crm: new Set(['create', 'update', 'cancel', 'removeMe', 'delete']),
};

/** A port that logs its content writes (stamps and links are bookkeeping, not content). */
function recording<T extends object>(port: T, side: 'outlook' | 'crm', log: string[]): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (CONTENT_WRITES[side].has(String(prop))) log.push(`${side}.${String(prop)}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function setup() {
  const engine = engineOnFakes('filters-hold');
  const writes: string[] = [];
  const deps: EngineDeps = {
    ...engine.deps,
    outlook: recording(engine.outlook, 'outlook', writes),
    crm: recording(engine.crm, 'crm', writes),
  };
  /** One run under these settings; what it wrote to each side. */
  const run = async (s: SyncSettings, options: { full?: boolean } = {}) => {
    writes.length = 0;
    const outcome = await runSync({ ...deps, settings: s }, options);
    return { outcome, writes: [...writes] };
  };
  return { ...engine, deps, run };
}

describe('issue 15 — the engine: a read-only side is never written', () => {
  it('T2, D2: CRM → Outlook off — an activity deleted in the CRM, then its Outlook event edited: Outlook is not written, the edit is not lost, and the deletion arrives once the direction is on', async () => {
    const { outlook, crm, crmItems, run, deps } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Review' }));
    await run(settings);
    const [activity] = crmItems();
    await crm.delete(activity!.id);
    const readOnly = off('crmToOutlook');
    expect((await run(readOnly)).writes).toEqual([]);
    outlook.outlookEdit(event.id, item({ subject: 'Review (moved)' }));
    expect((await run(readOnly)).writes.filter((w) => w.startsWith('outlook.'))).toEqual([]);
    expect(
      (await run(readOnly, { full: true })).writes.filter((w) => w.startsWith('outlook.')),
    ).toEqual([]);
    expect(outlook.all().map((e) => e.item.subject)).toEqual(['Review (moved)']);
    // Switched on: D2 deletes the Outlook event, into the trash with the edit made meanwhile.
    const on = await run(settings);
    expect(on.writes).toContain('outlook.delete');
    expect(outlook.all()).toEqual([]);
    const trash = await dbOf(deps).trash.toArray();
    expect(trash.map((t) => t.deleted?.subject)).toContain('Review (moved)');
  });

  it('T2, D1: Outlook → CRM off — an Outlook event deleted, then a full sync: the CRM activity is not cancelled; switched on, it is', async () => {
    const { outlook, crmItems, run } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Review' }));
    await run(settings);
    outlook.outlookDelete(event.id);
    const readOnly = off('outlookToCrm');
    expect((await run(readOnly)).writes).toEqual([]);
    expect((await run(readOnly, { full: true })).writes).toEqual([]);
    expect(crmItems()[0]?.cancelled).toBe(false);
    await run(settings);
    expect(crmItems()[0]?.cancelled).toBe(true);
  });

  it('T2: an Outlook edit made while Outlook → CRM is off is held — even a full sync keeps it — and reaches the CRM once the direction is on', async () => {
    const { outlook, crmItems, run } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Review' }));
    await run(settings);
    const readOnly = off('outlookToCrm');
    outlook.outlookEdit(event.id, item({ subject: 'Review (renamed)' }));
    expect((await run(readOnly)).writes).toEqual([]);
    expect((await run(readOnly, { full: true })).writes).toEqual([]);
    expect(crmItems()[0]?.item.subject).toBe('Review');
    const on = await run(settings);
    expect(on.writes).toEqual(['crm.update']);
    expect(crmItems()[0]?.item.subject).toBe('Review (renamed)');
  });

  it('T2: a CRM edit made while CRM → Outlook is off is held, and reaches Outlook once the direction is on; an Outlook edit of another field meanwhile still syncs', async () => {
    const { outlook, crm, crmItems, run } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Review' }));
    await run(settings);
    const readOnly = off('crmToOutlook');
    const [activity] = crmItems();
    await crm.update(
      activity!.id,
      { ...activity!.item, location: 'Room 7' },
      { etag: activity!.etag },
    );
    expect((await run(readOnly)).writes).toEqual([]);
    outlook.outlookEdit(event.id, { ...outlook.all()[0]!.item, subject: 'Review (renamed)' });
    // The held CRM side keeps its old version: a write onto it not read in this run is a 412
    // and a re-read (engine/apply.ts), so it takes at most one more run, and Room 7 stays.
    for (let i = 0; i < 2; i += 1) {
      expect((await run(readOnly)).writes.filter((w) => w.startsWith('outlook.'))).toEqual([]);
    }
    expect(crmItems()[0]?.item).toMatchObject({ subject: 'Review (renamed)', location: 'Room 7' });
    expect(outlook.all()[0]?.item.location).toBe('Room 1');
    await run(settings);
    expect(outlook.all()[0]?.item).toMatchObject({
      subject: 'Review (renamed)',
      location: 'Room 7',
    });
  });

  it('T2: an Outlook edit held at an earlier run survives a later CRM edit of another field written onto the event, and arrives once Outlook → CRM is on', async () => {
    const { outlook, crm, crmItems, run } = setup();
    const event = outlook.outlookCreate('calendar', item({ subject: 'Review' }));
    await run(settings);
    const readOnly = off('outlookToCrm');
    outlook.outlookEdit(event.id, item({ subject: 'Review (renamed)' }));
    expect((await run(readOnly)).writes).toEqual([]);
    const [activity] = crmItems();
    await crm.update(
      activity!.id,
      { ...activity!.item, location: 'Room 7' },
      { etag: activity!.etag },
    );
    expect((await run(readOnly)).writes).toEqual(['outlook.update']);
    expect(outlook.all()[0]?.item).toMatchObject({
      subject: 'Review (renamed)',
      location: 'Room 7',
    });
    await run(settings);
    expect(crmItems()[0]?.item).toMatchObject({ subject: 'Review (renamed)', location: 'Room 7' });
  });

  it('T1: a create queued before Outlook → CRM was switched off waits in the outbox — not sent while off, sent once on, never twice', async () => {
    const { outlook, backend, crmItems, run, deps } = setup();
    outlook.outlookCreate('calendar', item({ subject: 'Queued' }));
    backend.failNext(() => new SyncError('serverError', '503'), { method: 'create' });
    expect((await run(settings)).outcome).toMatchObject({ state: 'failed' });
    expect(await dbOf(deps).outbox.count()).toBe(1);
    const readOnly = off('outlookToCrm');
    expect((await run(readOnly)).writes).toEqual([]);
    expect(crmItems()).toEqual([]);
    expect(await dbOf(deps).outbox.count()).toBe(1); // it waits; it is not dropped
    await run(settings);
    expect(crmItems().map((a) => a.item.subject)).toEqual(['Queued']);
    expect(await dbOf(deps).outbox.count()).toBe(0);
    expect(outlook.all()[0]?.crmId).toBe(crmItems()[0]?.id);
  });

  it('T1: a create queued before CRM → Outlook was switched off waits in the outbox the same way', async () => {
    const { outlook, crm, run, deps } = setup();
    await crm.create(
      { item: item({ subject: 'Queued' }), typeId: 'typ_meeting' },
      { idempotencyKey: 'q' },
    );
    outlook.failNext('create', new SyncError('serverError', '503'));
    expect((await run(settings)).outcome).toMatchObject({ state: 'failed' });
    expect(await dbOf(deps).outbox.count()).toBe(1);
    expect((await run(off('crmToOutlook'))).writes).toEqual([]);
    expect(outlook.all()).toEqual([]);
    await run(settings);
    expect(outlook.all().map((e) => e.item.subject)).toEqual(['Queued']);
    expect(await dbOf(deps).outbox.count()).toBe(0);
  });
});

function contactSetup() {
  const { outlookContacts, contactBackend, deps } = engineOnFakes(
    'filters-hold-contacts',
    settings,
    { contacts: true },
  );
  const inMode = (mode: ContactMode): EngineDeps => ({
    ...deps,
    contacts: { ...deps.contacts!, settings: { ...deps.contacts!.settings, mode } },
  });
  return { outlookContacts, backend: contactBackend, deps, inMode, aino: person() };
}

describe('issue 15 — contacts: what one-way sync left behind syncs when two-way is back', () => {
  it('K2: an Outlook contact made while contact sync was one-way CRM → Outlook reaches the CRM once two-way is back (a changed mode reads both sides in full)', async () => {
    const { outlookContacts, backend, deps, inMode, aino } = contactSetup();
    await runSync(deps); // makes the folder
    const folder = [...outlookContacts.folders.keys()][0]!;
    await runSync(inMode('crmToOutlook'));
    outlookContacts.personCreate(folder, aino);
    await runSync(inMode('crmToOutlook'));
    expect(backend.writes.create).toBe(0);
    await runSync(inMode('twoWay'));
    expect([...backend.rows.values()].map((r) => r.item.firstName)).toEqual(['Aino']);
    expect(outlookContacts.all(folder)[0]?.crmId).not.toBeNull();
  });
});

describe('issue 15 — contacts: the outbox re-checks the K2 mode', () => {
  it('K2: a contact create queued under two-way waits while the sync is one-way CRM → Outlook (the CRM is read-only), and is sent once two-way is back', async () => {
    const { outlookContacts, backend, deps, inMode, aino } = contactSetup();
    await runSync(deps); // makes the folder
    const folder = [...outlookContacts.folders.keys()][0]!;
    outlookContacts.personCreate(folder, aino);
    backend.failNext('create', new SyncError('serverError', '503'));
    expect(await runSync(deps)).toMatchObject({ state: 'failed' });
    expect(await dbOf(deps).outbox.count()).toBe(1);

    await runSync(inMode('crmToOutlook'));
    expect(backend.writes.create).toBe(0);
    expect(await dbOf(deps).outbox.count()).toBe(1); // it waits; it is not dropped

    await runSync(inMode('twoWay'));
    expect(backend.writes.create).toBe(1);
    expect([...backend.rows.values()].map((r) => r.item.firstName)).toEqual(['Aino']);
    expect(await dbOf(deps).outbox.count()).toBe(0);
  });
});
