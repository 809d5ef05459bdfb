/**
 * @jest-environment node
 *
 * Issue 17, "Done when": the service killed (`kill -9`) at random points during runs leaves no
 * duplicate and no lost edit after a restart. Real processes cost too much for hundreds of
 * histories on two cores, so this kills in process: a run is abandoned at a random call of the
 * store or of either side (before it is made, or after it was made and before its answer is
 * used), and from that instant every call of the dead runtime fails and changes nothing — as if
 * the process were gone. The "restart" is a fresh store object on the same SQLite FILE and a fresh
 * engine; runs then go on to convergence and the invariants are checked. One real `kill -9` of a
 * child service process is test/integration/service/kill9.test.ts.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { SyncError } from '../../../src/sync/core/errors';
import type { CalendarItem } from '../../../src/sync/core/model';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { SqliteSyncStore } from '../../../src/sync/store/sqlite/sqliteSyncStore';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { propertySeed } from '../../support/propertySeed';

const dir = mkdtempSync(join(tmpdir(), 'killed-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** Thrown by every call of a runtime after its process "died". */
class Killed extends Error {
  override readonly name = 'Killed';
}

/** Where a runtime dies: at its `at`-th call, before or after that call is made. */
interface Death {
  readonly at: number;
  readonly after: boolean;
}

/**
 * Wraps the runtime's store and sides so that the `death.at`-th call among all of them kills it.
 * Methods run on their real objects; nothing a dead runtime calls reaches them.
 */
function mortal<T extends object>(
  target: T,
  life: { calls: number; dead: boolean },
  death: Death | null,
): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (life.dead) throw new Killed('the process is gone');
        life.calls += 1;
        const dies = death !== null && life.calls === death.at;
        if (dies && !death.after) {
          life.dead = true;
          throw new Killed('killed before the call');
        }
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (!dies) return result;
        life.dead = true;
        // The call was made (its effect stands); its answer never reaches the dead runtime.
        return Promise.resolve(result).then(
          () => Promise.reject(new Killed('killed after the call')),
          () => Promise.reject(new Killed('killed after the call')),
        );
      };
    },
  });
}

function service() {
  let tick = 0;
  const path = join(dir, `killed-${(counter += 1)}.sqlite`);
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW) + tick * 1000);
  const crm = backend.as(settings.crmUserId);
  let store = new SqliteSyncStore(path, () => NOW);
  let kills = 0;
  /** A process's run: a fresh store object on the file, as after a restart. */
  const run = async (death: Death | null, options: { massDeleteConfirmed?: true } = {}) => {
    tick += 1;
    store.close();
    store = new SqliteSyncStore(path, () => NOW);
    const life = { calls: 0, dead: false };
    const deps: EngineDeps = {
      outlook: mortal(outlook, life, death),
      crm: mortal(crm, life, death),
      store: mortal(store, life, death),
      settings,
      calendarId: 'calendar',
      clock: () => NOW,
      lock: new InProcessRunLock(),
      // The service's holder id is its installation's: the restarted process takes its lease back.
      holderId: 'service-1',
    };
    try {
      const outcome = await runSync(deps, options);
      if (life.dead) kills += 1;
      return outcome;
    } catch (error) {
      if (!life.dead) throw error;
      kills += 1;
      return null;
    }
  };
  const liveCrm = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  const close = () => {
    store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  };
  return { outlook, crm, run, liveCrm, store: () => store, close, kills: () => kills };
}

type Service = ReturnType<typeof service>;

type Action =
  | { kind: 'outlookCreate'; hour: number }
  | { kind: 'outlookEdit'; pick: number; hour: number }
  | { kind: 'outlookDelete'; pick: number }
  | { kind: 'crmCreate'; hour: number }
  | { kind: 'crmEdit'; pick: number }
  | { kind: 'crmDelete'; pick: number }
  | { kind: 'sync' }
  | { kind: 'killedSync'; at: number; after: boolean };

const hour = fc.integer({ min: 6, max: 18 });
const pick = fc.nat({ max: 12 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('outlookCreate' as const), hour }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('outlookEdit' as const), pick, hour }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outlookDelete' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crmCreate' as const), hour }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crmEdit' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmDelete' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('killedSync' as const),
      at: fc.integer({ min: 1, max: 40 }),
      after: fc.boolean(),
    }),
  },
);

const TrashData = z.object({
  lost: z.object({ value: z.unknown() }),
  deleted: z.object({ subject: z.string(), location: z.string() }).optional(),
});

function trashTexts(s: Service): string[] {
  return s
    .store()
    .connection()
    .prepare('SELECT data FROM trash')
    .all()
    .flatMap((row) => {
      const data = TrashData.parse(JSON.parse(z.object({ data: z.string() }).parse(row).data));
      return [String(data.lost.value), data.deleted?.subject ?? '', data.deleted?.location ?? ''];
    });
}

const count = (s: Service, table: 'links' | 'outbox') =>
  z
    .object({ n: z.number() })
    .parse(s.store().connection().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).n;

/** A person's edit may take a few tries when a run holds the item (412): bounded. */
async function asPerson<T>(body: () => Promise<T>): Promise<T | undefined> {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    try {
      return await body();
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
    }
  }
  return undefined;
}

let totalKills = 0;

async function history(actions: readonly Action[]): Promise<void> {
  const s = service();
  const edits: { value: string; target: string }[] = [];
  const deletedByPerson = new Set<string>();
  let made = 0;
  try {
    for (const a of actions) {
      const events = s.outlook.all();
      const activities = s.liveCrm().filter((x) => !x.cancelled);
      const time = (h: number, day: number) =>
        at(`2026-11-${day}T${String(h).padStart(2, '0')}:00:00Z`);
      switch (a.kind) {
        case 'outlookCreate':
          s.outlook.outlookCreate(
            'calendar',
            item({ subject: `O${(made += 1)}`, ...time(a.hour, 23) }),
          );
          break;
        case 'outlookEdit': {
          const target = events[a.pick % Math.max(events.length, 1)];
          if (!target) break;
          const subject = `Oe${(made += 1)}`;
          edits.push({ value: subject, target: target.id });
          s.outlook.outlookEdit(target.id, { ...target.item, subject, ...time(a.hour, 24) });
          break;
        }
        case 'outlookDelete': {
          const target = events[a.pick % Math.max(events.length, 1)];
          if (!target) break;
          s.outlook.outlookDelete(target.id);
          deletedByPerson.add(target.id);
          break;
        }
        case 'crmCreate':
          await asPerson(() =>
            s.crm.create(
              {
                item: item({ subject: `C${(made += 1)}`, ...time(a.hour, 25) }),
                typeId: 'typ_meeting',
              },
              { idempotencyKey: `person-${made}` },
            ),
          );
          break;
        case 'crmEdit': {
          const target = activities[a.pick % Math.max(activities.length, 1)];
          if (!target) break;
          const location = `Ce${(made += 1)}`;
          const written = await asPerson(async () => {
            const fresh = (await s.crm.get(target.id)) ?? target;
            return s.crm.update(target.id, { ...fresh.item, location }, { etag: fresh.etag });
          });
          if (written) edits.push({ value: location, target: target.id });
          break;
        }
        case 'crmDelete': {
          const target = activities[a.pick % Math.max(activities.length, 1)];
          if (!target) break;
          await asPerson(() => s.crm.delete(target.id));
          deletedByPerson.add(target.id);
          break;
        }
        case 'sync':
          await s.run(null);
          break;
        case 'killedSync':
          await s.run({ at: a.at, after: a.after });
          break;
      }
    }
    // The last process restarts and runs until nothing moves (bounded).
    for (let i = 0; i < 4; i += 1) await s.run(null, { massDeleteConfirmed: true });
    totalKills += s.kills();
    const events = s.outlook.all();
    const live = s.liveCrm().filter((x) => !x.cancelled);
    // Zero duplicates: every event stamped with its own activity, one event per live activity.
    const stamps = events.map((e) => e.crmId);
    expect(stamps.every((id) => id !== null)).toBe(true);
    expect(new Set(stamps).size).toBe(stamps.length);
    expect(live).toHaveLength(events.length);
    const byId = new Map(live.map((x) => [x.id, x]));
    const synced = (x: CalendarItem) => ({
      subject: x.subject,
      location: x.location,
      time: x.time,
    });
    for (const event of events) {
      expect(synced(event.item)).toEqual(synced(byId.get(event.crmId ?? '')!.item));
    }
    expect(count(s, 'links')).toBe(events.length);
    expect(count(s, 'outbox')).toBe(0);
    // Zero lost edits: each is on both sides or in the trash, unless the person deleted the item
    // or typed over it before a run saw it.
    const everywhere = new Set([
      ...events.flatMap((e) => [e.item.subject, e.item.location]),
      ...s.liveCrm().flatMap((x) => [x.item.subject, x.item.location]),
      ...trashTexts(s),
    ]);
    edits.forEach((edit, i) => {
      if (deletedByPerson.has(edit.target)) return;
      const typedOver = edits.slice(i + 1).some((later) => later.target === edit.target);
      if (!typedOver) expect(everywhere.has(edit.value)).toBe(true);
    });
  } finally {
    s.close();
  }
}

/**
 * The counterexamples the property found, each a plain test that failed before its fix:
 * - a run killed right after committing its CRM create, then the Outlook event deleted and the
 *   activity edited: the update found the event gone and left the pair (engine/apply.ts now
 *   syncs the deletion);
 * - path 79 at the fixed seed, the same with a CRM-born pair beside it: the Outlook deletion of
 *   the killed run's fresh copy was never listed by the delta link stored before that run, and
 *   nothing else read it (engine/unconfirmedWrites.ts: a run cut between its writes and its
 *   cursors makes the next run list both sides in full).
 */
describe('the service killed at random points during runs, then restarted on the same file', () => {
  it('a run killed after its CRM create, then a delete and an edit by the person, converges', async () => {
    await history([
      { kind: 'sync' },
      { kind: 'outlookCreate', hour: 6 },
      { kind: 'killedSync', at: 22, after: true },
      { kind: 'outlookDelete', pick: 0 },
      { kind: 'crmEdit', pick: 0 },
    ]);
  });

  it('a run killed after the CRM create of a CRM-born pair, then a delete and an edit, converges', async () => {
    await history([
      { kind: 'sync' },
      { kind: 'crmCreate', hour: 6 },
      { kind: 'outlookCreate', hour: 6 },
      { kind: 'killedSync', at: 22, after: true },
      { kind: 'outlookDelete', pick: 0 },
      { kind: 'crmEdit', pick: 0 },
    ]);
  });

  it('the same history without the kill converges', async () => {
    await history([
      { kind: 'sync' },
      { kind: 'outlookCreate', hour: 6 },
      { kind: 'sync' },
      { kind: 'outlookDelete', pick: 0 },
      { kind: 'crmEdit', pick: 0 },
    ]);
  });

  // The fixed seed's CI share (issue 13: CI time); new counterexamples come from random seeds at
  // 1,500 histories (docs/ARCHITECTURE.md, property tests), each then pinned as a test here.
  const runs = Number(process.env.KILLED_RUNS ?? 120);
  it(`leaves no duplicate and no lost edit (${runs} histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 16 }), (actions) =>
        history(actions),
      ),
      { numRuns: runs, ...propertySeed() },
    );
    // The histories did kill runs (not only runs that ended before their death came).
    expect(totalKills).toBeGreaterThan(runs / 2);
  }, 900_000);
});
