/**
 * @jest-environment node
 *
 * Issue 14, the fuzz property: random histories of good items on both sides, edited and deleted,
 * mixed with malformed records on both sides, interleaved with sync runs. Malformed means what the
 * adapters deliver from a bad record — an entry set aside as unreadable (a CRM `showAs` outside
 * the contract, a Graph date that does not parse), an item whose write throws something that is
 * not a SyncError (a converter's overflow) — or what passes validation yet is extreme: a
 * `FREQ=YEARLY;INTERVAL=30;COUNT=9999` series, a zone no runtime knows, years 1900 and 9999, a time
 * that is no instant. After quiet runs:
 *   - every run completed (none failed);
 *   - the good items converged: each on both sides, once, with the same synced fields;
 *   - each bad item is synced or set aside with its reason on the item (unreadable ones and
 *     throwing ones always set aside, with the reason their kind names);
 *   - nothing is lost: every edit of a good item is on both sides or in the trash, and no bad
 *     item was deleted by the sync.
 * The fakes, not HTTP (test/integration/engine/poisonItems.test.ts drives the servers).
 */
import fc from 'fast-check';
import { SyncError } from '../../../src/sync/core/errors';
import type { CalendarItem } from '../../../src/sync/core/model';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import type { CrmActivities, OutlookCalendar } from '../../../src/sync/ports';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { propertySeed } from '../../support/propertySeed';
import {
  probeOf,
  probeStore,
  storeCounter,
  storeFor,
  type StoreName,
} from '../../support/propertyStore';

/** How a bad record is bad (the corpus names the same cases: test/corpus/feedAndEngine.cases.ts). */
type Poison =
  | 'unreadable' // the adapter set it aside: a CRM showAs outside the contract, a bad Graph date
  | 'throws' // writing it throws a non-SyncError (html-to-text's overflow before the depth cap)
  | 'interval30'
  | 'unknownZone'
  | 'unknownZoneSeries'
  | 'year1900'
  | 'year9999'
  | 'notAnInstant';

const MARK = '\u27e6bad:';
const marked = (poison: Poison, n: number) => `${MARK}${poison}\u27e7 ${n}`;
const poisonOf = (subject: string): Poison | null =>
  subject.startsWith(MARK)
    ? (subject.slice(MARK.length, subject.indexOf('\u27e7')) as Poison)
    : null;

function badItem(poison: Poison, subject: string, hour: number): CalendarItem {
  const base = item({ subject, ...at(`2026-11-24T${String(hour).padStart(2, '0')}:00:00Z`) });
  const timed = base.time.kind === 'timed' ? base.time : null;
  switch (poison) {
    case 'unreadable':
    case 'throws':
      return base;
    case 'interval30':
      return { ...base, recurrence: { rrule: 'FREQ=YEARLY;INTERVAL=30;COUNT=9999', exdates: [] } };
    case 'unknownZone':
      return { ...base, time: { ...timed!, timeZone: 'Mars/Olympus_Mons' } };
    case 'unknownZoneSeries':
      return {
        ...base,
        time: { ...timed!, timeZone: 'Mars/Olympus_Mons' },
        recurrence: { rrule: 'FREQ=DAILY;COUNT=3', exdates: [] },
      };
    case 'year1900':
      return { ...base, ...at('1900-01-01T09:00:00Z') };
    case 'year9999':
      return { ...base, ...at('9999-12-31T09:00:00Z') };
    case 'notAnInstant':
      return { ...base, time: { ...timed!, start: 'not-an-instant' } };
  }
}

const isUnreadable = (subject: string) => poisonOf(subject) === 'unreadable';
const throwsOn = (x: CalendarItem) => poisonOf(x.subject) === 'throws';

/**
 * The Outlook port as the Graph adapter behaves on bad records: an unreadable event is listed in
 * `unreadable` and its read is invalidResponse; writing a throwing item throws a RangeError.
 */
function poisonedOutlook(fake: InMemoryOutlookCalendar): OutlookCalendar {
  const port: OutlookCalendar = Object.create(fake) as OutlookCalendar;
  return Object.assign(port, {
    changes: async (...args: Parameters<OutlookCalendar['changes']>) => {
      const c = await fake.changes(args[0], args[1], args[2]);
      const bad = c.changed.filter((e) => isUnreadable(e.item.subject)).map((e) => e.id);
      return {
        ...c,
        changed: c.changed.filter((e) => !isUnreadable(e.item.subject)),
        ...(bad.length > 0 ? { unreadable: [...(c.unreadable ?? []), ...bad] } : {}),
      };
    },
    // Delta rounds on the fake itself, like `changes`: its sequence is the fake's own.
    versionsSince: (...args: Parameters<OutlookCalendar['versionsSince']>) =>
      fake.versionsSince(...args),
    get: async (id: string) => {
      const e = await fake.get(id);
      if (e && isUnreadable(e.item.subject)) throw new SyncError('invalidResponse', 'bad date');
      return e;
    },
    create: async (...args: Parameters<OutlookCalendar['create']>) => {
      if (throwsOn(args[1])) throw new RangeError('Maximum call stack size exceeded');
      return fake.create(...args);
    },
    update: async (...args: Parameters<OutlookCalendar['update']>) => {
      if (throwsOn(args[1])) throw new RangeError('Maximum call stack size exceeded');
      return fake.update(...args);
    },
  });
}

/** The CRM port as the CRM adapter behaves on bad records (changeFeed.ts, entry by entry). */
function poisonedCrm(fake: CrmActivities): CrmActivities {
  const port: CrmActivities = Object.create(fake) as CrmActivities;
  return Object.assign(port, {
    changes: async (cursor: string | null) => {
      const c = await fake.changes(cursor);
      const bad = c.changed.filter((a) => isUnreadable(a.item.subject)).map((a) => a.id);
      return {
        ...c,
        changed: c.changed.filter((a) => !isUnreadable(a.item.subject)),
        ...(bad.length > 0 ? { unreadable: bad } : {}),
      };
    },
    get: async (id: string) => {
      const a = await fake.get(id);
      if (a && isUnreadable(a.item.subject)) throw new SyncError('invalidResponse', 'bad showAs');
      return a;
    },
    create: async (...args: Parameters<CrmActivities['create']>) => {
      if (throwsOn(args[0].item)) throw new RangeError('Maximum call stack size exceeded');
      return fake.create(...args);
    },
    update: async (...args: Parameters<CrmActivities['update']>) => {
      if (throwsOn(args[1])) throw new RangeError('Maximum call stack size exceeded');
      return fake.update(...args);
    },
  });
}

type Action =
  | { kind: 'create'; side: 'outlook' | 'crm'; hour: number }
  | { kind: 'bad'; side: 'outlook' | 'crm'; poison: Poison; hour: number }
  | { kind: 'edit'; side: 'outlook' | 'crm'; pick: number }
  | { kind: 'delete'; side: 'outlook' | 'crm'; pick: number }
  | { kind: 'sync' };

const side = fc.constantFrom('outlook' as const, 'crm' as const);
const hour = fc.integer({ min: 6, max: 18 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), side, hour }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('bad' as const),
      side,
      poison: fc.constantFrom<Poison>(
        'unreadable',
        'throws',
        'interval30',
        'unknownZone',
        'unknownZoneSeries',
        'year1900',
        'year9999',
        'notAnInstant',
      ),
      hour,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('edit' as const), side, pick: fc.nat(9) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), side, pick: fc.nat(9) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const) }) },
);

let dbCounter = 0;

/** `store`: which store the engine keeps its state in (test/support/propertyStore.ts). */
async function runHistory(actions: readonly Action[], store: StoreName): Promise<void> {
  const probe = probeStore(store, `poison-${(dbCounter += 1)}@contoso.example`);
  try {
    await runHistoryOn(actions, probe);
  } finally {
    await probe.dispose();
  }
}

async function runHistoryOn(
  actions: readonly Action[],
  probe: ReturnType<typeof probeStore>,
): Promise<void> {
  let tick = 0;
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW) + tick * 1000);
  const crm = backend.as(settings.crmUserId);
  const deps: EngineDeps = {
    outlook: poisonedOutlook(outlook),
    crm: poisonedCrm(crm),
    store: probe.store,
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client',
    leaseSeconds: 0,
  };
  const liveCrm = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  /** Bad items by the id on the side they were made: `o:`/`c:` keys. */
  const bad = new Map<string, Poison>();
  const edits: { value: string; id: string }[] = [];
  const deletedByPerson = new Set<string>();
  let made = 0;
  const good = <T extends { item: CalendarItem }>(xs: T[]) =>
    xs.filter((x) => poisonOf(x.item.subject) === null);

  for (const a of actions) {
    tick += 1;
    switch (a.kind) {
      case 'create':
      case 'bad': {
        made += 1;
        const subject = a.kind === 'bad' ? marked(a.poison, made) : `Good ${made}`;
        const body =
          a.kind === 'bad'
            ? badItem(a.poison, subject, a.hour)
            : item({ subject, ...at(`2026-11-25T${String(a.hour).padStart(2, '0')}:00:00Z`) });
        if (a.side === 'outlook') {
          const e = outlook.outlookCreate('calendar', body);
          if (a.kind === 'bad') bad.set(`o:${e.id}`, a.poison);
        } else {
          // What the CRM's API would refuse is written into its store, as a record it holds.
          const refused = a.kind === 'bad' && a.poison === 'notAnInstant';
          const x = await crm.create(
            { item: refused ? item({ subject }) : body, typeId: 'typ_meeting' },
            { idempotencyKey: `p-${made}` },
          );
          if (refused) backend.rows.get(x.id)!.item = body;
          if (a.kind === 'bad') bad.set(`c:${x.id}`, a.poison);
        }
        break;
      }
      case 'edit': {
        made += 1;
        const value = `Edited ${made}`;
        if (a.side === 'outlook') {
          const target = good(outlook.all())[a.pick % Math.max(1, good(outlook.all()).length)];
          if (!target) break;
          edits.push({ value, id: target.id });
          outlook.outlookEdit(target.id, { ...target.item, location: value });
        } else {
          const live = good(liveCrm()).filter((x) => !x.cancelled);
          const target = live[a.pick % Math.max(1, live.length)];
          if (!target) break;
          edits.push({ value, id: target.id });
          await crm.update(target.id, { ...target.item, location: value }, { etag: target.etag });
        }
        break;
      }
      case 'delete': {
        if (a.side === 'outlook') {
          const target = good(outlook.all())[a.pick % Math.max(1, good(outlook.all()).length)];
          if (target) outlook.outlookDelete(target.id);
          if (target) deletedByPerson.add(target.id).add(target.crmId ?? target.id);
        } else {
          const live = good(liveCrm()).filter((x) => !x.cancelled);
          const target = live[a.pick % Math.max(1, live.length)];
          if (target) await crm.delete(target.id);
          if (target) deletedByPerson.add(target.id);
        }
        break;
      }
      case 'sync': {
        const outcome = await runSync(deps);
        expect(outcome.state).not.toBe('failed');
        break;
      }
    }
  }
  // Quiet: two runs, the second with nothing left to settle.
  for (let i = 0; i < 2; i += 1) {
    expect((await runSync(deps, { massDeleteConfirmed: true })).state).toBe('done');
  }

  // The good items converged: paired once, the same synced fields on both sides.
  const events = good(outlook.all());
  const activities = good(liveCrm()).filter((x) => !x.cancelled);
  const byId = new Map(activities.map((x) => [x.id, x]));
  for (const event of events) {
    const partner = byId.get(event.crmId ?? '');
    expect(partner).toBeDefined();
    const pick = (x: CalendarItem) => ({ subject: x.subject, location: x.location, time: x.time });
    expect(pick(event.item)).toEqual(pick(partner!.item));
  }
  expect(new Set(events.map((e) => e.crmId)).size).toBe(events.length);
  expect(activities).toHaveLength(events.length);

  // Each bad item still exists on its side, and is synced or set aside with its reason.
  const db = probeOf(deps);
  const links = await db.linkRows('calendar');
  for (const [key, poison] of bad) {
    const id = key.slice(2);
    const onItsSide = key.startsWith('o:')
      ? outlook.all().some((e) => e.id === id)
      : liveCrm().some((x) => x.id === id);
    expect(onItsSide).toBe(true);
    const linked = key.startsWith('o:')
      ? links.find((l) => l.outlookId === id)
      : links.find((l) => l.crmId === id);
    const itemKey = linked ? `o:${linked.outlookId}` : key;
    const records = await db.records(itemKey);
    const reasons = records.filter((r) => r.outcome !== 'ok').map((r) => r.code);
    const setAside = (await db.quarantine()).find((q) => q.itemKey === itemKey);
    if (poison === 'unreadable') {
      expect(linked).toBeUndefined();
      expect(reasons).toContain(key.startsWith('o:') ? 'unreadable' : 'crmUnreadable');
    } else if (poison === 'throws') {
      expect(linked).toBeUndefined();
      expect(setAside).toMatchObject({ quarantined: true, lastCode: 'itemUnprocessable' });
    } else if (!linked) {
      // Not copied: it says why. Out of the window is its own reason (nothing is recorded on an
      // item no side lists); an Outlook event with no instant is never listed by calendarView.
      const outOfWindow =
        poison === 'year1900' ||
        poison === 'year9999' ||
        (poison === 'notAnInstant' && key.startsWith('o:'));
      if (!outOfWindow) expect(reasons.length + (setAside ? 1 : 0)).toBeGreaterThan(0);
    }
  }

  // Nothing lost: each edit of a good item that still exists is on both sides or in the trash.
  const trash = await db.trash();
  const everywhere = new Set([
    ...events.map((e) => e.item.location),
    ...liveCrm().map((x) => x.item.location), // a cancelled activity keeps what it held
    ...trash.flatMap((t) => [String(t.lost.value), t.deleted?.location ?? '']),
  ]);
  // By pair (an Outlook id stands for the activity its stamp names): the last edit of a pair wins
  // a conflict, an earlier one went to the trash or was the person's own to overwrite.
  const pairOf = new Map(outlook.all().map((e) => [e.id, e.crmId ?? e.id]));
  const lastEdit = new Map(edits.map((e) => [pairOf.get(e.id) ?? e.id, e.value]));
  const deletedPairs = new Set([...deletedByPerson].map((id) => pairOf.get(id) ?? id));
  for (const [id, value] of lastEdit) {
    if (deletedPairs.has(id)) continue;
    expect(everywhere.has(value)).toBe(true);
  }
}

describe('fuzz: malformed records on both sides never stop a run', () => {
  // The fixed seed's CI share (issue 13: CI time); new counterexamples come from random seeds at
  // 1,500 histories (docs/ARCHITECTURE.md, property tests), each then pinned as a test here.
  const runs = Number(process.env.POISON_RUNS ?? 600);
  /** Histories per store: most on SQLite, a share on Dexie (test/support/propertyStore.ts). */
  const stores = storeCounter();
  it(`random histories with bad records (${runs})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), (actions) => {
        const store = storeFor(actions);
        stores.count(store);
        return runHistory(actions, store);
      }),
      { numRuns: runs, ...propertySeed() },
    );
  }, 600_000);
  it('ran both stores: a share of the histories on Dexie, the rest on SQLite', () => {
    stores.expectShare(runs);
  });
});
