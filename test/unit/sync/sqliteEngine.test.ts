/**
 * @jest-environment node
 *
 * The engine end to end over the SQLite store (issue 17, item 5), on the in-memory fakes as in
 * engine.test.ts, on a real file — and the service restarted (the store closed and opened anew on
 * the same file) before every run, so nothing lives on in memory between runs. Then the healing
 * path of storeHeals.test.ts on SQLite's own failures, and random histories with faults, crashes
 * and restarts that must converge with no duplicate and no lost edit.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConflictError, SyncError } from '../../../src/sync/core/errors';
import type { CalendarItem } from '../../../src/sync/core/model';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { SqliteSyncStore } from '../../../src/sync/store/sqlite/sqliteSyncStore';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { injectedError, type InjectedFailure } from '../../support/injectedErrors';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { propertySeed } from '../../support/propertySeed';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** One mailbox synced by a service whose store lives in one SQLite file. */
function service() {
  let tick = 0;
  const path = join(dir, `engine-${(counter += 1)}.sqlite`);
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW) + tick * 1000);
  const crm = backend.as(settings.crmUserId);
  let store = new SqliteSyncStore(path, () => NOW);
  const deps = (): EngineDeps => ({
    outlook,
    crm,
    store,
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'service-1',
    leaseSeconds: 0,
  });
  /** The service stops and starts: a new store object on the same file. */
  const restart = () => {
    store.close();
    store = new SqliteSyncStore(path, () => NOW);
  };
  const sync = async (options: { massDeleteConfirmed?: true } = {}) => {
    tick += 1;
    restart();
    return runSync(deps(), options);
  };
  const liveCrm = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  const close = () => store.close();
  return { path, outlook, backend, crm, sync, liveCrm, store: () => store, restart, close };
}

type Service = ReturnType<typeof service>;

const subjects = (items: readonly { readonly item: CalendarItem }[]) =>
  items.map((i) => i.item.subject).sort();

const count = (s: Service, table: 'links' | 'outbox' | 'trash' | 'pending') =>
  z
    .object({ n: z.number() })
    .parse(s.store().connection().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).n;

describe('the engine over the SQLite store, restarted before every run', () => {
  it('first sync links pairs and copies both ways; edits and deletions follow; idle writes nothing', async () => {
    const s = service();
    s.outlook.outlookCreate('calendar', item({ subject: 'Both', ...at('2026-11-24T07:00:00Z') }));
    const only = s.outlook.outlookCreate(
      'calendar',
      item({ subject: 'Only Outlook', ...at('2026-11-24T09:00:00Z') }),
    );
    await s.crm.create(
      { item: item({ subject: 'Both', ...at('2026-11-24T07:00:00Z') }), typeId: 'typ_meeting' },
      { idempotencyKey: 'a' },
    );
    await s.crm.create(
      { item: item({ subject: 'Only CRM', ...at('2026-11-24T11:00:00Z') }), typeId: 'typ_meeting' },
      { idempotencyKey: 'b' },
    );
    expect(await s.sync()).toMatchObject({
      state: 'done',
      counts: { link: 1, createInCrm: 1, createInOutlook: 1 },
    });
    expect(subjects(s.outlook.all())).toEqual(['Both', 'Only CRM', 'Only Outlook']);
    expect(subjects(s.liveCrm())).toEqual(['Both', 'Only CRM', 'Only Outlook']);
    expect(count(s, 'links')).toBe(3);

    // Both directions, each read back from the file by a restarted service.
    s.outlook.outlookEdit(only.id, item({ subject: 'Moved', ...at('2026-11-26T07:00:00Z') }));
    const fromCrm = s.liveCrm().find((x) => x.item.subject === 'Only CRM')!;
    await s.crm.update(fromCrm.id, { ...fromCrm.item, location: 'Room 9' }, { etag: fromCrm.etag });
    expect(await s.sync()).toMatchObject({
      state: 'done',
      counts: { updateCrm: 1, updateOutlook: 1 },
    });
    expect(s.liveCrm().map((x) => x.item.subject)).toContain('Moved');
    expect(s.outlook.all().find((e) => e.crmId === fromCrm.id)?.item.location).toBe('Room 9');

    // SPEC D1/D2: deleting on one side reaches the other, the deleted item kept in the trash.
    s.outlook.outlookDelete(only.id);
    expect(await s.sync()).toMatchObject({ state: 'done' });
    expect(s.liveCrm().find((x) => x.item.subject === 'Moved')?.cancelled).toBe(true);
    expect(count(s, 'trash')).toBeGreaterThanOrEqual(1);

    const idle = await s.sync();
    expect(idle).toMatchObject({ state: 'done' });
    const writes = Object.entries(idle.state === 'done' ? idle.counts : {}).filter(
      ([op]) => op !== 'rebase',
    );
    expect(writes).toEqual([]);
    s.close();
  });

  it('a crash between the CRM create and the link: the outbox, read from the file, replays', async () => {
    const s = service();
    s.outlook.outlookCreate('calendar', item({ subject: 'Crash test' }));
    s.outlook.failNext('stamp', new SyncError('offline', 'the process died here'));
    expect(await s.sync()).toMatchObject({ state: 'failed' });
    expect(s.liveCrm()).toHaveLength(1);
    expect(count(s, 'outbox')).toBe(1);
    expect(await s.sync()).toMatchObject({ state: 'done' });
    expect(s.liveCrm()).toHaveLength(1);
    expect(count(s, 'outbox')).toBe(0);
    expect(count(s, 'links')).toBe(1);
    expect(s.outlook.all()[0]?.crmId).toBe(s.liveCrm()[0]?.id);
    s.close();
  });

  it('a lost race (412) keeps the edit: the pending row, read from the file, brings it next run', async () => {
    const s = service();
    const event = s.outlook.outlookCreate('calendar', item({ subject: 'Racy' }));
    await s.sync();
    s.outlook.outlookEdit(event.id, item({ subject: 'Racy (edited)' }));
    s.backend.failNext(() => new ConflictError('someone else wrote first', null), {
      method: 'update',
    });
    expect(await s.sync()).toMatchObject({ state: 'done', failures: 1 });
    expect(count(s, 'pending')).toBe(1);
    expect(await s.sync()).toMatchObject({ state: 'done', counts: { updateCrm: 1 } });
    expect(s.liveCrm()[0]?.item.subject).toBe('Racy (edited)');
    expect(count(s, 'pending')).toBe(0);
    s.close();
  });
});

/** Three items on each side, synced: what the healing tests start from. */
async function synced(): Promise<Service> {
  const s = service();
  for (let i = 0; i < 3; i += 1) {
    s.outlook.outlookCreate(
      'calendar',
      item({ subject: `Outlook ${i}`, ...at(`2026-11-2${4 + i}T08:00:00Z`) }),
    );
    await s.crm.create(
      {
        item: item({ subject: `CRM ${i}`, ...at(`2026-11-2${4 + i}T12:00:00Z`) }),
        typeId: 'typ_meeting',
      },
      { idempotencyKey: `seed-${i}` },
    );
  }
  expect(await s.sync()).toMatchObject({ state: 'done' });
  expect(count(s, 'links')).toBe(6);
  return s;
}

/** The run that meets the failure rebuilds; the next relinks every item from the stamps, once. */
async function convergesAfterRebuild(s: Service, more: readonly string[] = []) {
  expect(await s.sync()).toMatchObject({ state: 'failed', error: { code: 'storeRebuilt' } });
  expect(await s.sync()).toMatchObject({ state: 'done' });
  const all = [...more, 'CRM 0', 'CRM 1', 'CRM 2', 'Outlook 0', 'Outlook 1', 'Outlook 2'].sort();
  expect(subjects(s.outlook.all())).toEqual(all);
  expect(subjects(s.liveCrm().filter((x) => !x.cancelled))).toEqual(all);
  expect(count(s, 'links')).toBe(all.length);
  expect(await s.sync()).toMatchObject({ state: 'done' });
  expect(s.liveCrm()).toHaveLength(all.length);
  s.close();
}

describe('a SQLite store that heals (issue 14, item 5, on the service)', () => {
  it('a damaged file rebuilds and the next run converges with no duplicates', async () => {
    const s = await synced();
    s.close();
    const bytes = readFileSync(s.path);
    bytes.fill(0xa5, 4096, bytes.length);
    writeFileSync(s.path, bytes);
    s.outlook.outlookCreate('calendar', item({ subject: 'After', ...at('2026-11-28T08:00:00Z') }));
    await convergesAfterRebuild(s, ['After']);
  });

  it('a file that is no database rebuilds and the next run converges', async () => {
    const s = await synced();
    s.close();
    writeFileSync(s.path, 'not a database, not at all'.repeat(400));
    for (const suffix of ['-wal', '-shm']) rmSync(`${s.path}${suffix}`, { force: true });
    await convergesAfterRebuild(s);
  });

  it('a full disk mid-run (SQLITE_FULL) rebuilds and the next run converges', async () => {
    const s = await synced();
    // The run's first write meets a file that may not grow: the disk is full.
    s.restart();
    const db = s.store().connection();
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const big = 'x'.repeat(40_000);
    s.outlook.outlookCreate(
      'calendar',
      item({ subject: 'After', description: big, ...at('2026-11-28T08:00:00Z') }),
    );
    const outcome = await runSync({
      outlook: s.outlook,
      crm: s.crm,
      store: s.store(),
      settings,
      calendarId: 'calendar',
      clock: () => NOW,
      lock: new InProcessRunLock(),
      holderId: 'service-1',
      leaseSeconds: 0,
    });
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'storeRebuilt' } });
    expect(await s.sync()).toMatchObject({ state: 'done' });
    const all = ['After', 'CRM 0', 'CRM 1', 'CRM 2', 'Outlook 0', 'Outlook 1', 'Outlook 2'];
    expect(subjects(s.outlook.all())).toEqual(all);
    expect(subjects(s.liveCrm())).toEqual(all);
    expect(count(s, 'links')).toBe(all.length);
    s.close();
  });

  it('a file a newer build migrated rebuilds and the next run converges', async () => {
    const s = await synced();
    s.restart();
    s.store().connection().pragma('user_version = 99');
    await convergesAfterRebuild(s);
  });
});

type Action =
  | { kind: 'outlookCreate'; hour: number }
  | { kind: 'outlookEdit'; pick: number; hour: number }
  | { kind: 'outlookDelete'; pick: number }
  | { kind: 'crmCreate'; hour: number }
  | { kind: 'crmEdit'; pick: number }
  | { kind: 'crmDelete'; pick: number }
  | { kind: 'sync' }
  | { kind: 'fault'; side: 'outlook' | 'crm'; method: string; error: InjectedFailure };

const hour = fc.integer({ min: 6, max: 18 });
const pick = fc.nat({ max: 12 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('outlookCreate' as const), hour }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('outlookEdit' as const), pick, hour }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outlookDelete' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crmCreate' as const), hour }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crmEdit' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmDelete' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      side: fc.constantFrom('outlook' as const, 'crm' as const),
      method: fc.constantFrom('changes', 'create', 'update', 'stamp', 'setOutlookLink', 'get'),
      error: fc.constantFrom<InjectedFailure>('throttled', 'server', 'conflict', 'crash'),
    }),
  },
);

const TrashData = z.object({
  lost: z.object({ value: z.unknown() }),
  deleted: z.object({ subject: z.string(), location: z.string() }).optional(),
});

/** Every text the trash of the store keeps: a lost value, a deleted item's subject and place. */
function trashTexts(s: Service): string[] {
  const rows = s.store().connection().prepare('SELECT data FROM trash').all();
  return rows.flatMap((row) => {
    const data = TrashData.parse(JSON.parse(z.object({ data: z.string() }).parse(row).data));
    return [String(data.lost.value), data.deleted?.subject ?? '', data.deleted?.location ?? ''];
  });
}

/** A person's edit may take a few tries when the run holds the item (412): bounded. */
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

async function runHistory(actions: readonly Action[]): Promise<void> {
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
          // Counted as the person's even if every try failed: that only lets more edits go.
          deletedByPerson.add(target.id);
          break;
        }
        case 'sync':
          await s.sync();
          break;
        case 'fault':
          if (a.side === 'outlook') s.outlook.failNext(a.method as never, injectedError(a.error));
          else s.backend.failNext(() => injectedError(a.error), { method: a.method as never });
          break;
      }
    }
    // Quiet: sync until nothing moves (a run that fails on a leftover fault is run again).
    for (let i = 0; i < 4; i += 1) {
      const outcome = await s.sync({ massDeleteConfirmed: true });
      if (outcome.state === 'failed') await s.sync({ massDeleteConfirmed: true });
    }
    const events = s.outlook.all();
    const live = s.liveCrm().filter((x) => !x.cancelled);
    // No duplicates: every event stamped with its own activity, one event per live activity.
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
    // Every edit is on both sides or in the trash, unless the person deleted the item or typed
    // over it on the same side before any run saw it.
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
    rmSync(s.path, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(`${s.path}${suffix}`, { force: true });
  }
}

describe('random histories over the SQLite store, restarted before every run', () => {
  const runs = Number(process.env.SQLITE_MODEL_RUNS ?? 60);
  it(`converge with no duplicate and no lost edit (${runs} histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 20 }), (actions) =>
        runHistory(actions),
      ),
      { numRuns: runs, ...propertySeed() },
    );
  }, 600_000);
});
