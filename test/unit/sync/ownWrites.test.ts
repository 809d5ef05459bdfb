/**
 * Issue 15 item 5 and issue 16 item 2, one case a row: the cursors move past the engine's own
 * writes (engine/ownWrites.ts), and a write's answer replaces the read-back
 * (engine/applyCreate.ts, engine/apply.ts). The engine runs on the in-memory fakes, whose delta
 * takes the strict reading of event-delta.md: a round does not report the deletion of an event
 * made after its link (test/fakes/inMemoryOutlookCalendar.ts).
 */
import type { CalendarItem } from '../../../src/sync/core/model';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { MAX_RECHECK } from '../../../src/sync/engine/ownWrites';
import { runSync, type RunOutcome } from '../../../src/sync/engine/run';
import type { CrmActivities, OutlookCalendar } from '../../../src/sync/ports';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { dbOf, dexieStore } from '../../support/store';

let dbCounter = 0;

/**
 * `target` with `method` followed by `after` (a person acting right after the engine's call
 * returned, inside the same run) and every call counted by name.
 */
function observed<T extends object>(
  target: T,
  calls: string[],
  method?: keyof T,
  after?: (result: unknown) => Promise<void> | void,
): T {
  return new Proxy(target, {
    get(t, p, r) {
      const value: unknown = Reflect.get(t, p, r);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.push(String(p));
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(t, args);
        if (p === method && after) await after(result);
        return result;
      };
    },
  });
}

function setup(hooks: { outlook?: (o: OutlookCalendar) => OutlookCalendar } = {}) {
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW));
  const crm = backend.as(settings.crmUserId);
  const calls = { outlook: [] as string[], crm: [] as string[] };
  const deps: EngineDeps = {
    outlook: observed(hooks.outlook ? hooks.outlook(outlook) : outlook, calls.outlook),
    crm: observed<CrmActivities>(crm, calls.crm),
    store: dexieStore(`own-writes-${(dbCounter += 1)}@contoso.example`),
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client-1',
  };
  const activity = (id: string) => {
    const row = backend.rows.get(id);
    return row && !row.deleted ? backend.view(row) : null;
  };
  return { outlook, backend, crm, deps, calls, activity };
}

const counts = (outcome: RunOutcome) => (outcome.state === 'done' ? outcome.counts : {});
const writes = (outcome: RunOutcome) =>
  Object.keys(counts(outcome)).filter((op) => op !== 'rebase');
const meeting = (subject: string, hour: number): CalendarItem =>
  item({ subject, ...at(`2026-11-24T${String(hour).padStart(2, '0')}:00:00Z`) });

describe('issue 15 item 5: the cursors move past the engine’s own writes', () => {
  it('SPEC D1: an Outlook copy the last run made, deleted in Outlook before the next run, cancels its CRM activity at that run (no full listing)', async () => {
    const { outlook, crm, deps, activity } = setup();
    const made = await crm.create(
      { item: meeting('From the CRM', 9), typeId: 'typ_meeting' },
      { idempotencyKey: 'k1' },
    );
    expect(counts(await runSync(deps))).toMatchObject({ createInOutlook: 1 });
    const [copy] = outlook.all();
    outlook.outlookDelete(copy!.id);

    expect(counts(await runSync(deps))).toMatchObject({ cancelInCrm: 1 });
    expect(activity(made.id)?.cancelled).toBe(true);
  });

  it('SPEC D2: a CRM copy the last run made, deleted in the CRM before the next run, deletes its Outlook event at that run', async () => {
    const { outlook, crm, deps } = setup();
    const event = outlook.outlookCreate('calendar', meeting('From Outlook', 9));
    expect(counts(await runSync(deps))).toMatchObject({ createInCrm: 1 });
    const [link] = await dbOf(deps).links.toArray();
    await crm.delete(link!.crmId);

    expect(counts(await runSync(deps))).toMatchObject({ deleteInOutlook: 1 });
    expect(outlook.all().map((e) => e.id)).not.toContain(event.id);
  });

  it('SPEC S1: an Outlook edit made right after the engine’s own write, in the same run, reaches the CRM at the next run', async () => {
    let person: InMemoryOutlookCalendar | null = null;
    const { outlook, crm, deps, activity } = setup({
      outlook: (o) =>
        observed(o, [], 'create', (created) => {
          const id = (created as { id: string }).id;
          person?.outlookEdit(id, meeting('Edited in Outlook at once', 9));
        }),
    });
    person = outlook;
    const made = await crm.create(
      { item: meeting('From the CRM', 9), typeId: 'typ_meeting' },
      { idempotencyKey: 'k1' },
    );
    await runSync(deps);
    expect(activity(made.id)?.item.subject).toBe('From the CRM');

    expect(counts(await runSync(deps))).toMatchObject({ updateCrm: 1 });
    expect(activity(made.id)?.item.subject).toBe('Edited in Outlook at once');
  });

  it('SPEC S2: a CRM edit made right after the engine’s own write, in the same run, reaches Outlook at the next run', async () => {
    const { outlook, backend, crm, deps } = setup();
    const event = outlook.outlookCreate('calendar', meeting('From Outlook', 9));
    // The person edits the CRM copy the moment the engine made it.
    const person = backend.as(settings.crmUserId);
    const realCreate = crm.create.bind(crm);
    crm.create = async (input, options) => {
      const made = await realCreate(input, options);
      const now = await person.get(made.id);
      await person.update(
        made.id,
        { ...now!.item, location: 'Room from the CRM' },
        {
          etag: now!.etag,
        },
      );
      return made;
    };
    await runSync(deps);
    expect(outlook.all().find((e) => e.id === event.id)?.item.location).not.toBe(
      'Room from the CRM',
    );

    expect(counts(await runSync(deps))).toMatchObject({ updateOutlook: 1 });
    expect(outlook.all().find((e) => e.id === event.id)?.item.location).toBe('Room from the CRM');
  });

  it('SPEC S1: an edit of another linked event made during a run that wrote reaches the CRM at the next run', async () => {
    const { outlook, crm, deps, activity } = setup();
    const old = outlook.outlookCreate('calendar', meeting('Old', 8));
    await runSync(deps);
    const [link] = await dbOf(deps).links.toArray();
    const realCreate = crm.create.bind(crm);
    crm.create = async (input, options) => {
      outlook.outlookEdit(old.id, meeting('Old, edited during the run', 8));
      return realCreate(input, options);
    };
    outlook.outlookCreate('calendar', meeting('New', 10));
    await runSync(deps);

    expect(counts(await runSync(deps))).toMatchObject({ updateCrm: 1 });
    expect(activity(link!.crmId)?.item.subject).toBe('Old, edited during the run');
  });

  it('issue 16 item 1 target: the run right after a run that wrote reads no echo of those writes', async () => {
    const { outlook, crm, deps } = setup();
    outlook.outlookCreate('calendar', meeting('From Outlook', 9));
    await crm.create(
      { item: meeting('From the CRM', 11), typeId: 'typ_meeting' },
      { idempotencyKey: 'k1' },
    );
    expect(counts(await runSync(deps))).toMatchObject({ createInCrm: 1, createInOutlook: 1 });
    const seen = { outlook: -1, crm: -1 };
    const realChanges = outlook.changes.bind(outlook);
    outlook.changes = async (...args) => {
      const got = await realChanges(...args);
      seen.outlook = got.changed.length + got.removed.length;
      return got;
    };
    const realFeed = crm.changes.bind(crm);
    crm.changes = async (cursor) => {
      const got = await realFeed(cursor);
      seen.crm = got.changed.length + got.deleted.length;
      return got;
    };
    const next = await runSync(deps);
    expect(writes(next)).toEqual([]);
    expect(seen).toEqual({ outlook: 0, crm: 0 });
    const cursors = await dbOf(deps).cursors.toArray();
    expect(cursors.flatMap((c) => c.recheck ?? [])).toEqual([]);
  });

  it(`a round that finds more than ${MAX_RECHECK} changes not its own keeps the cursor the run read from, and they all still sync`, async () => {
    const { outlook, crm, deps } = setup();
    const events = Array.from({ length: MAX_RECHECK + 1 }, (_, i) =>
      outlook.outlookCreate('calendar', meeting(`Event ${i}`, 6 + (i % 12))),
    );
    await runSync(deps);
    const realCreate = crm.create.bind(crm);
    let once = false;
    crm.create = async (input, options) => {
      if (!once) {
        once = true;
        events.forEach((e, i) =>
          outlook.outlookEdit(e.id, meeting(`Event ${i} edited`, 6 + (i % 12))),
        );
      }
      return realCreate(input, options);
    };
    outlook.outlookCreate('calendar', meeting('New', 19));
    await runSync(deps);
    const [cursor] = (await dbOf(deps).cursors.toArray()).filter((c) => c.name === 'outlookDelta');
    expect(cursor?.recheck ?? []).toEqual([]);

    expect(counts(await runSync(deps))).toMatchObject({ updateCrm: MAX_RECHECK + 1 });
  });
});

describe('issue 16 item 2: the write’s answer replaces the read-back', () => {
  it('SPEC M2: creates in both directions read nothing back — no single-item GET on either side after the first write', async () => {
    const { outlook, crm, deps, calls } = setup();
    for (let i = 0; i < 3; i += 1)
      outlook.outlookCreate('calendar', meeting(`Outlook ${i}`, 8 + i));
    for (let i = 0; i < 3; i += 1) {
      await crm.create(
        { item: meeting(`CRM ${i}`, 13 + i), typeId: 'typ_meeting' },
        { idempotencyKey: `k${i}` },
      );
    }
    calls.outlook.length = 0;
    calls.crm.length = 0;
    const outcome = await runSync(deps);
    expect(counts(outcome)).toMatchObject({ createInCrm: 3, createInOutlook: 3 });
    const afterFirstWrite = (list: string[], firstWrite: string[]) =>
      list.slice(
        Math.max(
          0,
          list.findIndex((c) => firstWrite.includes(c)),
        ),
      );
    expect(afterFirstWrite(calls.outlook, ['stamp', 'create']).filter((c) => c === 'get')).toEqual(
      [],
    );
    expect(afterFirstWrite(calls.crm, ['create']).filter((c) => c === 'get')).toEqual([]);
    // Each link still holds the versions each side has now (the writes' answers were current).
    const links = await dbOf(deps).links.toArray();
    for (const link of links) {
      expect(link.outlookEtag).toBe(outlook.all().find((e) => e.id === link.outlookId)?.etag);
      expect(link.crmEtag).toBe((await crm.get(link.crmId))?.etag);
    }
  });

  it('SPEC M1: a pair linked by the first sync reads nothing back either', async () => {
    const { outlook, crm, deps, calls } = setup();
    outlook.outlookCreate('calendar', meeting('Both', 9));
    await crm.create({ item: meeting('Both', 9), typeId: 'typ_meeting' }, { idempotencyKey: 'k' });
    calls.outlook.length = 0;
    calls.crm.length = 0;
    expect(counts(await runSync(deps))).toMatchObject({ link: 1 });
    expect(calls.outlook.filter((c) => c === 'get')).toEqual([]);
    expect(calls.crm.filter((c) => c === 'get')).toEqual([]);
    const [link] = await dbOf(deps).links.toArray();
    expect(link?.outlookEtag).toBe(outlook.all()[0]?.etag);
    expect(link?.crmEtag).toBe((await crm.get(link!.crmId))?.etag);
  });
});

describe('issue 15: token-only re-saves', () => {
  it('SPEC D4: an item re-saved unchanged on either side (only its version moved) writes nothing', async () => {
    const { outlook, crm, backend, deps } = setup();
    outlook.outlookCreate('calendar', meeting('From Outlook', 9));
    await crm.create(
      { item: meeting('From the CRM', 11), typeId: 'typ_meeting' },
      { idempotencyKey: 'k1' },
    );
    await runSync(deps);
    for (const e of outlook.all()) outlook.outlookEdit(e.id, e.item);
    for (const row of backend.rows.values()) {
      const a = backend.view(row);
      await crm.update(a.id, a.item, { etag: a.etag });
    }
    const versions = () => [
      ...outlook.all().map((e) => e.etag),
      ...[...backend.rows.values()].map((r) => r.version),
    ];
    const before = versions();
    const outcome = await runSync(deps);
    expect(writes(outcome)).toEqual([]);
    expect(versions()).toEqual(before);
    expect(outlook.mail).toEqual([]);
  });
});
