/**
 * @jest-environment node
 *
 * The model test (issue 4): random histories of creates, edits, moves and deletes on both sides,
 * some of them series whose occurrences are cancelled or retitled on either side (SPEC R1),
 * interleaved with sync runs of one or two engines (two Outlook clients on one mailbox), crashes
 * between writes and injected 429 / 503 / 412 / 410. After a final quiet sync:
 *   - no item exists twice (no two Outlook events for one activity, no two activities for one event);
 *   - both sides agree on every synced field of every live pair;
 *   - every edit is on both sides or in the trash (SPEC D4);
 *   - no mail the person did not cause (issue 12): the fake Outlook logs what each write would
 *     mail, as the Graph emulator does; a copy of a colleague's activity mails nobody, every
 *     invitation goes to someone the person invited, and a quiet run mails nobody.
 */
import fc from 'fast-check';
import { injectedError } from '../../support/injectedErrors';
import { propertySeed } from '../../support/propertySeed';
import { SyncError } from '../../../src/sync/core/errors';
import type { CalendarItem, Recurrence } from '../../../src/sync/core/model';
import { normaliseItem } from '../../../src/sync/core/normalise';
import type { SyncSettings } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { instantToLocal } from '../../../src/sync/core/time/zoned';
import { at, item, NOW, settings } from '../../support/planFixtures';
import {
  probeOf,
  probeStore,
  storeCounter,
  storeFor,
  type StoreName,
} from '../../support/propertyStore';

interface Edit {
  readonly side: 'outlook' | 'crm';
  readonly field: 'subject' | 'location' | 'occurrence';
  readonly value: string;
  readonly target: string;
  /** For an occurrence's edit: which occurrence (cancelling it later discards the edit). */
  readonly rid?: string;
}

type Action =
  | { kind: 'outlookCreate'; subject: string; hour: number; series: boolean }
  | { kind: 'outlookOccurrence'; pick: number; day: number; cancel: boolean }
  | { kind: 'crmOccurrence'; pick: number; day: number; cancel: boolean }
  | { kind: 'outlookEdit'; pick: number; subject: string; hour: number }
  | { kind: 'outlookDelete'; pick: number }
  | { kind: 'crmCreate'; subject: string; hour: number; series: boolean }
  | { kind: 'crmEdit'; pick: number; location: string; hour: number }
  | { kind: 'crmDelete'; pick: number }
  | { kind: 'colleagueCreate'; subject: string; hour: number }
  | { kind: 'sync'; engine: 0 | 1 }
  /** Issue 15: a token-only re-save — the item saved again unchanged, only its version moves. */
  | { kind: 'outlookResave'; pick: number }
  | { kind: 'crmResave'; pick: number }
  /** Issue 15: the person switches a direction off (no types) or on again. */
  | { kind: 'direction'; direction: Direction; on: boolean }
  | {
      kind: 'fault';
      side: 'outlook' | 'crm';
      method: string;
      error: 'throttled' | 'server' | 'conflict' | 'expired' | 'crash';
    }
  /** Issue 15, item 3: a stored link row of an older shape (one base), or one without snapshots. */
  | { kind: 'oldLinkRow'; engine: 0 | 1; pick: number; shape: 'oneBase' | 'noSnapshots' }
  /** Issue 15, item 4: an activity replaced by a new record carrying the same Outlook link. */
  | { kind: 'crmReplace'; pick: number }
  /** Issue 15, item 4: an event re-made under a new id with its content and stamp. */
  | { kind: 'outlookRemake'; pick: number }
  /** Issue 15, item 4: an event stamped with what cannot be a CRM id (non-ASCII, a path …). */
  | { kind: 'badStamp'; stamp: string; hour: number };

const word = fc.constantFrom('Alpha', 'Beta', 'Gamma', 'Delta', 'Omega');
const hour = fc.integer({ min: 6, max: 18 });
const pick = fc.nat({ max: 20 });
/** A third of the items made are series: five days, whose occurrences get edited on their own. */
const series = fc.constantFrom(false, false, true);
const occurrenceEdit = (kind: 'outlookOccurrence' | 'crmOccurrence') =>
  fc.record({
    kind: fc.constant(kind),
    pick,
    day: fc.nat({ max: 4 }),
    cancel: fc.boolean(),
  });
/** Issue 15: the moves "old link rows", "ids replaced under the same stamp", "malformed stamps". */
const identityMoves: fc.Arbitrary<Action>[] = [
  fc.record({
    kind: fc.constant('oldLinkRow' as const),
    engine: fc.constantFrom(0 as const, 1 as const),
    pick,
    shape: fc.constantFrom('oneBase' as const, 'noSnapshots' as const),
  }),
  fc.record({ kind: fc.constant('crmReplace' as const), pick }),
  fc.record({ kind: fc.constant('outlookRemake' as const), pick }),
  fc.record({
    kind: fc.constant('badStamp' as const),
    stamp: fc.constantFrom('äää', '../activities', 'act 1', 'Ωmega', 'x'.repeat(65), '%2F'),
    hour,
  }),
];

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('outlookCreate' as const),
      subject: word,
      hour,
      series,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('outlookEdit' as const), pick, subject: word, hour }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outlookDelete' as const), pick }) },
  { weight: 2, arbitrary: occurrenceEdit('outlookOccurrence') },
  { weight: 2, arbitrary: occurrenceEdit('crmOccurrence') },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('crmCreate' as const), subject: word, hour, series }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('crmEdit' as const), pick, location: word, hour }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmDelete' as const), pick }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('colleagueCreate' as const), subject: word, hour }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outlookResave' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmResave' as const), pick }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      engine: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  ...identityMoves.map((arbitrary) => ({ weight: 1, arbitrary })),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('direction' as const),
      direction: fc.constantFrom('outlookToCrm' as const, 'crmToOutlook' as const),
      on: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      side: fc.constantFrom('outlook' as const, 'crm' as const),
      method: fc.constantFrom(
        'changes',
        'create',
        'update',
        'stamp',
        'setOutlookLink',
        'get',
        'cancel',
        'delete',
      ),
      error: fc.constantFrom(
        'throttled' as const,
        'server' as const,
        'conflict' as const,
        'expired' as const,
        'crash' as const,
      ),
    }),
  },
);

const errorFor = (fault: Action & { kind: 'fault' }): SyncError => injectedError(fault.error);

const SERIES = { rrule: 'FREQ=DAILY;COUNT=5', exdates: [] };
/** A colleague owns these; the person takes part (SPEC F3, F4). */
const COLLEAGUE = 'usr_colleague';
/** Whom the person invites to some of their own meetings: invitations to them are theirs. */
const GUEST = { kind: 'external' as const, email: 'guest@partner.example', optional: false };
const colleagueParticipants = [
  { kind: 'user' as const, crmId: 'usr_anna', email: 'anna@contoso.example', optional: false },
  { kind: 'external' as const, email: 'someone@elsewhere.example', optional: false },
  { kind: 'contact' as const, email: 'buyer@customer.example', optional: false },
];

/** The recurrence id of occurrence `day` of a daily series. */
function occurrenceId(base: CalendarItem, day: number): string | null {
  if (!base.recurrence || base.time.kind !== 'timed') return null;
  const first = Date.parse(base.time.start) + day * 86_400_000;
  return instantToLocal(new Date(first).toISOString().replace('.000', ''), base.time.timeZone);
}

/**
 * The series `item` with occurrence `day` cancelled, or changed: Outlook retitles an occurrence,
 * the CRM gives it a location (different fields, as for whole items, so that only a real conflict
 * puts one over the other).
 */
function withOccurrence(
  base: CalendarItem,
  day: number,
  change: { cancel: true } | { cancel: false; subject?: string; location?: string },
): CalendarItem | null {
  const id = occurrenceId(base, day);
  const r = base.recurrence;
  if (id === null || !r) return null;
  const { cancel, ...fields } = change;
  return {
    ...base,
    recurrence: cancel
      ? { ...r, exdates: [...r.exdates, id] }
      : { ...r, overrides: { ...r.overrides, [id]: { ...r.overrides?.[id], ...fields } } },
  };
}

/** Every text a person may have typed into an item, its exceptions' subjects included. */
function texts(x: CalendarItem | null | undefined): string[] {
  if (!x) return [];
  const overrides = Object.values(x.recurrence?.overrides ?? {});
  return [x.subject, x.location, ...overrides.flatMap((o) => [o.subject ?? '', o.location ?? ''])];
}

/** The texts of the given fields only: what a pre-image in the trash kept of them. */
function textsOf(x: CalendarItem, fields: readonly string[]): string[] {
  const overrides = fields.includes('recurrence')
    ? Object.values(x.recurrence?.overrides ?? {})
    : [];
  return [
    ...(fields.includes('subject') ? [x.subject] : []),
    ...(fields.includes('location') ? [x.location] : []),
    ...overrides.flatMap((o) => [o.subject ?? '', o.location ?? '']),
  ];
}

let dbCounter = 0;

/** Issue 15: the two directions, each of which the person may switch off (SPEC T1, T2: no types). */
type Direction = 'outlookToCrm' | 'crmToOutlook';
type Directions = Record<Direction, boolean>;
const CONTENT_WRITES = {
  outlook: new Set(['create', 'update', 'delete']),
  crm: new Set(['create', 'update', 'cancel', 'removeMe', 'delete']),
};

/** The settings as the person has them now: a direction that is off has no types. */
function settingsOf(directions: Directions): SyncSettings {
  const off = { createTypes: [], editTypes: [] };
  return {
    ...settings,
    outlookToCrm: directions.outlookToCrm
      ? settings.outlookToCrm
      : { ...settings.outlookToCrm, ...off },
    crmToOutlook: directions.crmToOutlook
      ? settings.crmToOutlook
      : { ...settings.crmToOutlook, ...off },
  };
}

/**
 * Issue 15: an engine that runs under the directions as they are at each run, on ports that note
 * every content write made into a side whose direction is off ("a read-only direction is never
 * written"; stamps and links are bookkeeping, not content).
 */
function followingDirections(
  engine: EngineDeps,
  directions: Directions,
  violations: string[],
): EngineDeps {
  const watch = <T extends object>(port: T, side: 'outlook' | 'crm'): T =>
    new Proxy(port, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const into: Direction = side === 'outlook' ? 'crmToOutlook' : 'outlookToCrm';
          if (CONTENT_WRITES[side].has(String(prop)) && !directions[into]) {
            violations.push(`${side}.${String(prop)} while ${into} was off`);
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    ...engine,
    outlook: watch(engine.outlook, 'outlook'),
    crm: watch(engine.crm, 'crm'),
    get settings() {
      return settingsOf(directions);
    },
  };
}

/** A person's own CRM action may meet an injected fault meant for the engine: they try again. */
async function asPerson<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await action();
    } catch (error) {
      if (attempt > 10 || !(error instanceof SyncError)) throw error;
    }
  }
}

/**
 * `store`: which store the engines keep their state in (test/support/propertyStore.ts); the
 * random histories take `storeFor(actions)`, the replayed counterexamples Dexie, as they were found.
 */
async function runHistory(
  actions: Action[],
  twoClients: boolean,
  store: StoreName = 'dexie',
): Promise<void> {
  const stores = [0, 1].map((i) =>
    probeStore(store, `model-${(dbCounter += 1)}-${i}@contoso.example`),
  );
  try {
    await runHistoryOn(actions, twoClients, stores);
  } finally {
    await Promise.all(stores.map((s) => s.dispose()));
  }
}

async function runHistoryOn(
  actions: Action[],
  twoClients: boolean,
  stores: ReturnType<typeof probeStore>[],
): Promise<void> {
  let tick = 0;
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW) + tick * 1000);
  const crm = backend.as(settings.crmUserId);
  const colleague = backend.as(COLLEAGUE);
  const engines: EngineDeps[] = [0, 1].map((i) => ({
    outlook,
    crm,
    store: stores[i]!.store,
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: `client-${i}`,
    leaseSeconds: 0, // a crashed client never blocks the other for long
  }));
  // Issue 15: both directions on at the start; the `direction` move switches them.
  const directions: Directions = { outlookToCrm: true, crmToOutlook: true };
  const violations: string[] = [];
  engines.forEach((engine, i) => {
    engines[i] = followingDirections(engine, directions, violations);
  });
  /** Edits made while their direction was off: each must arrive once it is on again. */
  const heldEdits: Edit[] = [];
  const liveCrm = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  /** Every value a person typed: each must end up on both sides or in a trash. */
  const edits: Edit[] = [];
  /** Items the person deleted themselves: their unsynced edits went with them, by their choice. */
  const deletedByPerson = new Set<string>();
  /** Issue 15: events stamped with what cannot be a CRM id: set aside, never synced or deleted. */
  const badlyStamped = new Map<string, string>();
  /** Issue 15: events the person re-made under a new id (their content and stamp went along). */
  const remade = new Set<string>();
  /** Issue 15: an item replaced under a new id is the same item: its edits follow it. */
  const retarget = (from: string, to: string): void => {
    edits.forEach((e, i) => {
      if (e.target === from) edits[i] = { ...e, target: to };
    });
  };
  let created = 0;

  for (const a of actions) {
    tick += 1;
    const editsBefore = edits.length;
    if (a.kind === 'direction') directions[a.direction] = a.on;
    const colleagues = new Set(
      liveCrm()
        .filter((x) => x.crm.ownerId !== settings.crmUserId)
        .map((x) => x.id),
    );
    // The person edits their own items; a colleague's stay the colleague's (F3).
    const events = outlook.all().filter((e) => !colleagues.has(e.crmId ?? ''));
    const activities = liveCrm().filter((x) => !x.cancelled && !colleagues.has(x.id));
    switch (a.kind) {
      case 'outlookCreate': {
        const subject = `${a.subject} ${(created += 1)}`;
        outlook.outlookCreate(
          'calendar',
          item({
            subject,
            ...at(`2026-11-23T${String(a.hour).padStart(2, '0')}:00:00Z`),
            recurrence: a.series ? SERIES : null,
          }),
        );
        break;
      }
      case 'outlookEdit': {
        const target = events[a.pick % Math.max(events.length, 1)];
        if (!target) break;
        const subject = `${a.subject} ${(created += 1)}`;
        edits.push({ side: 'outlook', field: 'subject', value: subject, target: target.id });
        outlook.outlookEdit(target.id, {
          ...target.item,
          subject,
          ...at(`2026-11-24T${String(a.hour).padStart(2, '0')}:00:00Z`),
        });
        break;
      }
      case 'outlookDelete': {
        const target = events[a.pick % Math.max(events.length, 1)];
        if (target) outlook.outlookDelete(target.id);
        if (target) deletedByPerson.add(target.id);
        break;
      }
      case 'colleagueCreate': {
        const subject = `${a.subject} ${(created += 1)}`;
        await asPerson(() =>
          colleague.create(
            {
              item: item({
                subject,
                ...at(`2026-11-26T${String(a.hour).padStart(2, '0')}:00:00Z`),
                participants: colleagueParticipants,
              }),
              typeId: 'typ_meeting',
            },
            { idempotencyKey: `colleague-${created}` },
          ),
        );
        break;
      }
      case 'crmCreate': {
        const subject = `${a.subject} ${(created += 1)}`;
        await asPerson(() =>
          crm.create(
            {
              item: item({
                subject,
                ...at(`2026-11-25T${String(a.hour).padStart(2, '0')}:00:00Z`),
                recurrence: a.series ? SERIES : null,
                // Some of the person's meetings invite a guest: those invitations are theirs.
                participants: a.hour % 2 === 0 ? [GUEST] : [],
              }),
              typeId: 'typ_meeting',
            },
            { idempotencyKey: `person-${created}` },
          ),
        );
        break;
      }
      case 'crmEdit': {
        const target = activities[a.pick % Math.max(activities.length, 1)];
        if (!target) break;
        const location = `${a.location} ${(created += 1)}`;
        edits.push({ side: 'crm', field: 'location', value: location, target: target.id });
        await asPerson(async () => {
          const fresh = (await crm.get(target.id)) ?? target;
          return crm.update(target.id, { ...fresh.item, location }, { etag: fresh.etag });
        });
        break;
      }
      case 'outlookOccurrence': {
        const seriesEvents = events.filter((e) => e.item.recurrence);
        const target = seriesEvents[a.pick % Math.max(seriesEvents.length, 1)];
        if (!target) break;
        const subject = `Occurrence ${(created += 1)}`;
        const next = withOccurrence(
          target.item,
          a.day,
          a.cancel ? { cancel: true } : { cancel: false, subject },
        );
        if (!next) break;
        const rid = occurrenceId(target.item, a.day) ?? '';
        if (!a.cancel)
          edits.push({
            side: 'outlook',
            field: 'occurrence',
            value: subject,
            target: target.id,
            rid,
          });
        outlook.outlookEdit(target.id, next);
        break;
      }
      case 'crmOccurrence': {
        const seriesActivities = activities.filter((x) => x.item.recurrence);
        const target = seriesActivities[a.pick % Math.max(seriesActivities.length, 1)];
        if (!target) break;
        const location = `Occurrence room ${(created += 1)}`;
        await asPerson(async () => {
          const fresh = (await crm.get(target.id)) ?? target;
          const next = withOccurrence(
            fresh.item,
            a.day,
            a.cancel ? { cancel: true } : { cancel: false, location },
          );
          const rid = occurrenceId(fresh.item, a.day) ?? '';
          if (!a.cancel && next && !edits.some((e) => e.value === location)) {
            edits.push({
              side: 'crm',
              field: 'occurrence',
              value: location,
              target: target.id,
              rid,
            });
          }
          return next ? crm.update(target.id, next, { etag: fresh.etag }) : fresh;
        });
        break;
      }
      case 'crmDelete': {
        const target = activities[a.pick % Math.max(activities.length, 1)];
        if (target) await asPerson(() => crm.delete(target.id));
        if (target) deletedByPerson.add(target.id);
        break;
      }
      case 'outlookResave': {
        const target = events[a.pick % Math.max(events.length, 1)];
        if (target) outlook.outlookEdit(target.id, target.item);
        break;
      }
      case 'crmResave': {
        const target = activities[a.pick % Math.max(activities.length, 1)];
        if (!target) break;
        await asPerson(async () => {
          const fresh = (await crm.get(target.id)) ?? target;
          return crm.update(target.id, fresh.item, { etag: fresh.etag });
        });
        break;
      }
      case 'sync':
        await runSync(engines[twoClients ? a.engine : 0]!);
        break;
      case 'fault':
        if (a.side === 'outlook') outlook.failNext(a.method as never, errorFor(a));
        else backend.failNext(() => errorFor(a), { method: a.method as never });
        break;
      case 'oldLinkRow': {
        const db = probeOf(engines[twoClients ? a.engine : 0]!);
        const rows = await db.linkRows('calendar');
        const row = rows[a.pick % Math.max(rows.length, 1)];
        if (!row || !('crmBase' in row)) break;
        const ids = { outlookId: row.outlookId, crmId: row.crmId };
        const raw =
          a.shape === 'noSnapshots'
            ? ids
            : {
                ...ids,
                base: row.crmBase,
                outlookHash: '0123456789abcd',
                crmHash: '0123456789abcd',
                outlookEtag: row.outlookEtag,
                crmEtag: row.crmEtag,
                crmTypeId: row.crmTypeId,
                isOwner: row.isOwner,
              };
        await db.putLinkRow('calendar', raw);
        break;
      }
      case 'crmReplace': {
        const stamped = activities.filter((x) =>
          x.outlookLinks.some((l) => l.mailbox === settings.mailbox),
        );
        const target = stamped[a.pick % Math.max(stamped.length, 1)];
        if (!target) break;
        const fresh = (await asPerson(() => crm.get(target.id))) ?? target;
        const eventId = fresh.outlookLinks.find((l) => l.mailbox === settings.mailbox)?.eventId;
        if (eventId === undefined) break;
        await asPerson(() => crm.delete(target.id));
        const key = `replace-${(created += 1)}`;
        const replacement = await asPerson(() =>
          crm.create(
            {
              item: fresh.item,
              typeId: fresh.crm.typeId,
              outlookLink: { mailbox: settings.mailbox, eventId },
            },
            { idempotencyKey: key },
          ),
        );
        // The person's item under a new id: their edits of it are the new record's now.
        retarget(target.id, replacement.id);
        break;
      }
      case 'outlookRemake': {
        const stamped = events.filter((e) => e.crmId !== null && e.kind !== 'exception');
        const target = stamped[a.pick % Math.max(stamped.length, 1)];
        if (!target) break;
        const next = outlook.outlookRemake(target.id);
        remade.add(target.id);
        retarget(target.id, next.id);
        const stamp = badlyStamped.get(target.id);
        if (stamp !== undefined) badlyStamped.set(next.id, stamp);
        break;
      }
      case 'badStamp': {
        const subject = `Stamped ${(created += 1)}`;
        const event = outlook.outlookCreate(
          'calendar',
          item({ subject, ...at(`2026-11-27T${String(a.hour).padStart(2, '0')}:00:00Z`) }),
        );
        outlook.outlookStamp(event.id, a.stamp);
        badlyStamped.set(event.id, a.stamp);
        break;
      }
    }
    for (const edit of edits.slice(editsBefore)) {
      const direction: Direction = edit.side === 'outlook' ? 'outlookToCrm' : 'crmToOutlook';
      if (!directions[direction] && edit.field !== 'occurrence') heldEdits.push(edit);
    }
  }
  // Issue 15: the person switches everything on again before the quiet runs.
  directions.outlookToCrm = true;
  directions.crmToOutlook = true;

  // Quiet: no more faults pending, then sync until nothing moves.
  let mailedBefore = 0;
  for (let i = 0; i < 4; i += 1) {
    mailedBefore = outlook.mail.length;
    for (const engine of twoClients ? engines : engines.slice(0, 1)) {
      const outcome = await runSync(engine, { massDeleteConfirmed: true });
      if (outcome.state === 'failed') await runSync(engine, { massDeleteConfirmed: true });
    }
  }
  // Issue 15: an event stamped with what cannot be a CRM id stays as the person left it — never
  // deleted, restamped or copied by sync; the person then removes it, and the rest must agree.
  for (const [id, stamp] of badlyStamped) {
    const event = outlook.all().find((e) => e.id === id);
    if (event) {
      expect(event.crmId).toBe(stamp);
      outlook.outlookDelete(id);
    } else expect(deletedByPerson.has(id) || remade.has(id)).toBe(true);
    deletedByPerson.add(id);
  }
  const kept = edits.filter((e) => !deletedByPerson.has(e.target));
  await assertConverged(outlook, liveCrm(), engines, kept);
  assertNoMailThePersonDidNotCause(outlook, liveCrm(), mailedBefore);
  expect(violations).toEqual([]); // issue 15: a read-only direction is never written
  assertHeldEditsArrived(outlook, liveCrm(), heldEdits, edits);
  await assertResavesWriteNothing(outlook, backend, engines.slice(0, twoClients ? 2 : 1));
}

/**
 * Issue 15: an edit made while its direction was off arrives on the other side once the direction
 * is on. Exempt: the person overwrote it on the same side; its item is gone; or sync itself
 * replaced it on its own side (a conflict's loser, e.g. a second client relinking the pair without
 * history) — then assertConverged's trash check holds it. What must never be is the swallowed
 * edit: still on its own side, never on the other.
 */
function assertHeldEditsArrived(
  outlook: InMemoryOutlookCalendar,
  crmAll: ReturnType<InMemoryCrmBackend['view']>[],
  held: readonly Edit[],
  edits: Edit[],
): void {
  const events = outlook.all();
  const live = crmAll.filter((x) => !x.cancelled);
  for (const edit of held) {
    if (supersededOnSameSide(edit, edits)) continue;
    const own = edit.side === 'outlook' ? events : live;
    if (!own.some((x) => x.id === edit.target)) continue;
    const stillOwn = own.some((x) => x.id === edit.target && texts(x.item).includes(edit.value));
    if (!stillOwn) continue;
    const other = edit.side === 'outlook' ? live : events;
    expect({ edit, arrived: other.some((x) => texts(x.item).includes(edit.value)) }).toEqual({
      edit,
      arrived: true,
    });
  }
}

/**
 * Issue 15: a token-only re-save (every item saved again unchanged on both sides, only its
 * version moved) is no change: the runs after it write nothing to either side and mail nobody.
 */
async function assertResavesWriteNothing(
  outlook: InMemoryOutlookCalendar,
  backend: InMemoryCrmBackend,
  engines: EngineDeps[],
): Promise<void> {
  const crm = backend.as(settings.crmUserId);
  for (const event of outlook.all()) outlook.outlookEdit(event.id, event.item);
  for (const row of backend.rows.values()) {
    if (row.deleted || row.cancelled || row.ownerId !== settings.crmUserId) continue;
    // The person's own save may meet a fault still waiting for the engine: they try again.
    await asPerson(() => {
      const now = backend.view(row);
      return crm.update(row.id, now.item, { etag: now.etag });
    });
  }
  const versions = () => [
    ...outlook.all().map((e) => `${e.id} ${e.etag}`),
    ...[...backend.rows.values()].map((r) => `${r.id} ${r.version} ${r.deleted}`),
  ];
  const before = versions();
  const mailed = outlook.mail.length;
  for (const engine of engines) {
    // A fault still waiting for the engine fails one run, as in the quiet rounds above.
    let outcome = await runSync(engine, { massDeleteConfirmed: true });
    if (outcome.state === 'failed') outcome = await runSync(engine, { massDeleteConfirmed: true });
    expect(outcome.state).toBe('done');
  }
  expect(versions()).toEqual(before);
  expect(outlook.mail.length).toBe(mailed);
}

async function assertConverged(
  outlook: InMemoryOutlookCalendar,
  crmAll: ReturnType<InMemoryCrmBackend['view']>[],
  engines: EngineDeps[],
  edits: Edit[],
): Promise<void> {
  const events = outlook.all();
  const live = crmAll.filter((a) => !a.cancelled);
  // No duplicates: stamps and links are one-to-one.
  const stamps = events.map((e) => e.crmId);
  expect(stamps.every((s) => s !== null)).toBe(true);
  expect(new Set(stamps).size).toBe(stamps.length);
  const byId = new Map(live.map((a) => [a.id, a]));
  // Both sides agree: every event has its live activity with the same synced fields, and back.
  for (const event of events) {
    const partner = byId.get(event.crmId ?? '');
    expect(partner).toBeDefined();
    const pick = (x: CalendarItem) => ({
      subject: x.subject,
      location: x.location,
      time: x.time,
      recurrence: normaliseItem(x).recurrence,
    });
    expect(pick(event.item)).toEqual(pick(partner!.item));
  }
  expect(live).toHaveLength(events.length);
  // Every edit is on both sides or in a trash (of either client).
  const trash = (await Promise.all(engines.map((e) => probeOf(e).trash()))).flat();
  const everywhere = new Set<string>([
    ...events.flatMap((e) => texts(e.item)),
    ...crmAll.flatMap((a) => texts(a.item)),
    ...trash.flatMap((t) =>
      [
        t.lost.field === 'recurrence'
          ? Object.values((t.lost.value as Recurrence | null)?.overrides ?? {}).map(
              (o) => o.subject ?? '',
            )
          : [String(t.lost.value)],
        texts(t.deleted),
        // A write's pre-image (engine/trashFirst.ts) keeps the fields it overwrote; a conflict's
        // loser trashed just before it is merged into it (store/trashRows.ts).
        t.overwritten ? textsOf(t.overwritten.item, t.overwritten.fields) : [],
      ].flat(),
    ),
  ]);
  // An occurrence the person cancelled (on either side) took its changes with it, by their choice.
  const cancelled = new Set(
    [...events.map((e) => e.item), ...crmAll.map((a) => a.item)].flatMap(
      (x) => x.recurrence?.exdates ?? [],
    ),
  );
  for (const edit of edits) {
    if (edit.rid !== undefined && cancelled.has(edit.rid)) continue;
    const survived = everywhere.has(edit.value) || supersededOnSameSide(edit, edits);
    expect(survived).toBe(true);
  }
}

/**
 * Issue 12: the engine's writes mail only what the person caused. A copy of a colleague's
 * activity (the colleague's engine invites) mails nobody; every invitation goes to the guest the
 * person invited (never the colleague's external guest, never a customer contact — SPEC F4);
 * the last quiet round, with nothing new from the person, mails nobody.
 */
function assertNoMailThePersonDidNotCause(
  outlook: InMemoryOutlookCalendar,
  crmAll: ReturnType<InMemoryCrmBackend['view']>[],
  mailedBeforeLastRound: number,
): void {
  const colleagueCopies = new Set(
    outlook
      .all()
      .filter((e) => crmAll.some((a) => a.id === e.crmId && a.crm.ownerId !== settings.crmUserId))
      .map((e) => e.id),
  );
  for (const mail of outlook.mail) {
    expect(colleagueCopies.has(mail.eventId)).toBe(false);
    expect(mail.to).toEqual([GUEST.email]);
  }
  expect(outlook.mail.slice(mailedBeforeLastRound)).toEqual([]);
}

/** An edit the same person overwrote on the same side before any sync saw it is not a loss. */
function supersededOnSameSide(edit: Edit, edits: Edit[]): boolean {
  const index = edits.indexOf(edit);
  return edits
    .slice(index + 1)
    .some((l) => l.side === edit.side && l.field === edit.field && l.target === edit.target);
}

/**
 * Issue 14: PROPERTY_SEED=1786049443 (MODEL_RUNS=1500, one client) left an Outlook occurrence's
 * change on one side. A CRM series was copied into Outlook but the CRM link write was throttled,
 * so the create waited in the outbox; the person then retitled an occurrence in Outlook, and the
 * replay took the event as Graph returned it — the change included — as the link's base, so the
 * change was never an edit. The replay's base now keeps the exceptions it copied
 * (engine/applyCreate.ts).
 */
it('counterexample 1786049443: a throttled link write, then an Outlook occurrence edit, reaches the CRM', async () => {
  const history: Action[] = [
    { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: true },
    { kind: 'fault', side: 'crm', method: 'setOutlookLink', error: 'throttled' },
    { kind: 'sync', engine: 0 },
    { kind: 'outlookOccurrence', pick: 0, day: 0, cancel: false },
    { kind: 'sync', engine: 0 },
  ];
  await runHistory(history, false);
  await runHistory(history, true);
  // The same with the occurrence cancelled: the cancellation reaches the CRM too.
  const cancelled = history.map((a) =>
    a.kind === 'outlookOccurrence' ? { ...a, cancel: true } : a,
  );
  await runHistory(cancelled, false);
});

/**
 * Issue 14: the same seed, once the above was fixed, found the mirror image (path 453...). An
 * Outlook event was copied into the CRM but its stamp was throttled; the person then edited the
 * CRM copy, and the replay found that copy by its link and took it — the edit included — as the
 * CRM's base. The replay's base is now what the create sent (engine/applyCreate.ts).
 */
it('counterexample 1786049443, the mirror: a throttled stamp, then a CRM edit, reaches Outlook', async () => {
  const history: Action[] = [
    { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: false },
    { kind: 'fault', side: 'outlook', method: 'stamp', error: 'throttled' },
    { kind: 'sync', engine: 0 },
    { kind: 'crmEdit', pick: 0, location: 'Alpha', hour: 6 },
  ];
  await runHistory(history, false);
  await runHistory(history, true);
  // A series whose occurrence the CRM person changes meanwhile: that change reaches Outlook too.
  await runHistory(
    [
      { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: true },
      { kind: 'fault', side: 'outlook', method: 'stamp', error: 'throttled' },
      { kind: 'sync', engine: 0 },
      { kind: 'crmOccurrence', pick: 0, day: 1, cancel: false },
    ],
    false,
  );
});

/**
 * Issue 14: PROPERTY_SEED=2095321097 (one client, MODEL_RUNS=1500). A CRM activity was copied into
 * Outlook, but the read-back was throttled, so the create waited in the outbox unlinked; the
 * activity was then deleted in the CRM. Since an unknown stamp whose partner is 404 is set aside
 * rather than deleted (unpair, then pair with another CRM user, deletes nothing), the copy stayed
 * for good. The replay of a create whose source is gone now withdraws the copy it made, into the
 * trash first (engine/calendarKind.ts). PROPERTY_SEED=331252023 (two clients) found it too.
 */
it('counterexample 2095321097: a throttled read-back, then a CRM delete, leaves no orphan copy', async () => {
  const history: Action[] = [
    { kind: 'fault', side: 'crm', method: 'get', error: 'throttled' },
    { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
    { kind: 'sync', engine: 0 },
    { kind: 'crmDelete', pick: 0 },
  ];
  await runHistory(history, false);
  await runHistory(history, true);
});

/**
 * Issue 15: PROPERTY_SEED=892690619 (one client, MODEL_RUNS=500; it fails on f693519 too). An
 * Outlook series was copied into the CRM, born carrying its Outlook link, but the stamp was
 * throttled; the person then changed (or cancelled) an occurrence in Outlook. The next run found
 * the pair again through the activity's link and linked it with each side as it stood as its base,
 * so the changed occurrence stayed in Outlook only. A pair found without a shared base now merges
 * a series' exceptions occurrence by occurrence (core/plan/reconcile.ts).
 */
it('counterexample 892690619: an occurrence changed while the stamp waited reaches the CRM', async () => {
  for (const cancel of [false, true]) {
    const history: Action[] = [
      { kind: 'fault', side: 'outlook', method: 'get', error: 'expired' },
      { kind: 'fault', side: 'outlook', method: 'stamp', error: 'throttled' },
      { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: true },
      { kind: 'sync', engine: 0 },
      { kind: 'outlookOccurrence', pick: 0, day: 0, cancel },
      { kind: 'colleagueCreate', subject: 'Alpha', hour: 6 },
    ];
    await runHistory(history, false);
    await runHistory(history, true);
  }
});

/**
 * Issue 15: the fixed seed, once the moves "old link rows" and "ids replaced under the same
 * stamp" were added, found two. (1) A one-base row repaired after a CRM occurrence edit lost the
 * edit: the repair took the activity as it is now as the CRM's base. The old base is the CRM's
 * base whole now (core/plan/identity.ts oneBaseLink). (2) An activity replaced by a new record
 * carrying the same link, then the row made old: one client deleted the event (the row's activity
 * was gone), the other set both aside (the event's stamp named the deleted activity). The live
 * claim wins in both (identity.ts: a repair's claim, stamps that disagree).
 */
it('issue 15 counterexamples: a one-base row after a CRM occurrence edit; a replaced activity under an old row; a bare row after an Outlook occurrence edit', async () => {
  const occurrenceEdit: Action[] = [
    { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: true },
    { kind: 'sync', engine: 0 },
    { kind: 'crmOccurrence', pick: 0, day: 0, cancel: false },
    { kind: 'oldLinkRow', engine: 0, pick: 0, shape: 'oneBase' },
    { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
  ];
  await runHistory(occurrenceEdit, false);
  const replaced: Action[] = [
    { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
    { kind: 'sync', engine: 1 },
    { kind: 'crmReplace', pick: 0 },
    { kind: 'oldLinkRow', engine: 1, pick: 0, shape: 'oneBase' },
  ];
  await runHistory(replaced, true);
  await runHistory(replaced, false);
  // PROPERTY_SEED=892690619 and 1763151043 (MODEL_RUNS=500): a row without snapshots after an
  // Outlook occurrence edit kept the exception in Outlook alone; a pair with no base now merges
  // each side's exceptions (identity.ts noBaseLink).
  for (const cancel of [false, true]) {
    await runHistory(
      [
        { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: true },
        { kind: 'sync', engine: 0 },
        { kind: 'outlookOccurrence', pick: 0, day: 0, cancel },
        { kind: 'oldLinkRow', engine: 0, pick: 0, shape: 'noSnapshots' },
      ],
      false,
    );
  }
});

it('counterexample 666460856: an activity replaced and its event re-made between two runs stay one pair', async () => {
  // PROPERTY_SEED=666460856 (MODEL_RUNS=1500): both ids changed, each new item carrying the old
  // partner's id; the run took the link as deleted on both sides and withdrew the new event.
  const remade = (first: Action, second: Action, fault: boolean): Action[] => [
    { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
    ...(fault
      ? [{ kind: 'fault', side: 'crm', method: 'cancel', error: 'expired' } as Action]
      : []),
    { kind: 'sync', engine: 0 },
    first,
    second,
  ];
  const crm: Action = { kind: 'crmReplace', pick: 0 };
  const outlook: Action = { kind: 'outlookRemake', pick: 0 };
  for (const fault of [true, false]) {
    await runHistory(remade(crm, outlook, fault), false);
    await runHistory(remade(outlook, crm, fault), false);
    await runHistory(remade(crm, outlook, fault), true);
  }
});

it('counterexample 468339850: an activity replaced and its event re-made under an old link row stay one pair', async () => {
  // PROPERTY_SEED=468339850 (MODEL_RUNS=1500, two clients): as 666460856, under a row that
  // could not be read, and a failed write making the next run list in full: the repair found
  // neither old item, took the new event's stamp for a deletion and cancelled the new activity.
  for (const shape of ['oneBase', 'noSnapshots'] as const) {
    const history: Action[] = [
      { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
      { kind: 'sync', engine: 0 },
      { kind: 'crmReplace', pick: 0 },
      { kind: 'oldLinkRow', engine: 0, pick: 0, shape },
      { kind: 'fault', side: 'outlook', method: 'delete', error: 'throttled' },
      { kind: 'outlookRemake', pick: 0 },
    ];
    await runHistory(history, true, 'sqlite');
    await runHistory(history, false, 'dexie');
  }
});

it('counterexample 811094473: a series edited and an occurrence changed, then re-made under a bare row, reach the CRM', async () => {
  // PROPERTY_SEED=811094473 (MODEL_RUNS=1500): the pair found again without a base differed in
  // its subject too, and the conflict path took the Outlook occurrence's change as agreed.
  for (const cancel of [false, true]) {
    const history: Action[] = [
      { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: true },
      { kind: 'sync', engine: 0 },
      { kind: 'outlookEdit', pick: 0, subject: 'Alpha', hour: 6 },
      { kind: 'outlookOccurrence', pick: 0, day: 0, cancel },
      { kind: 'oldLinkRow', engine: 0, pick: 0, shape: 'noSnapshots' },
      { kind: 'outlookRemake', pick: 0 },
    ];
    await runHistory(history, false);
    await runHistory(history, true);
  }
});

it('counterexample 708065548: a client without the link reconciles a series edited in Outlook and an occurrence changed in the CRM, the loser kept', async () => {
  // PROPERTY_SEED=708065548 (two clients, MODEL_RUNS=1500): the loser's subject went to the trash
  // inside the write's pre-image (store/trashRows.ts merges them), which the oracle did not read.
  await runHistory(
    [
      { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: true },
      { kind: 'sync', engine: 1 },
      { kind: 'outlookEdit', pick: 0, subject: 'Alpha', hour: 6 },
      { kind: 'crmOccurrence', pick: 0, day: 0, cancel: false },
      { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
    ],
    true,
  );
});

it('counterexample 1845095909: a copy whose CRM link waited, re-made in Outlook meanwhile, is linked, not copied again', async () => {
  // PROPERTY_SEED=1845095909 (MODEL_RUNS=1500): the replayed create made a second event stamped
  // with the same activity (engine/calendarKind.ts alreadyDone).
  for (const edit of [
    { kind: 'crmOccurrence', pick: 0, day: 0, cancel: false } as Action,
    { kind: 'crmEdit', pick: 0, location: 'Room 9', hour: 7 } as Action,
  ]) {
    const history: Action[] = [
      { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
      { kind: 'fault', side: 'crm', method: 'setOutlookLink', error: 'throttled' },
      { kind: 'sync', engine: 0 },
      { kind: 'outlookRemake', pick: 0 },
      edit,
    ];
    await runHistory(history, false);
    await runHistory(history, true);
  }
  // PROPERTY_SEED=1949990622 (two clients): the activity replaced as well, before the replay.
  await runHistory(
    [
      { kind: 'fault', side: 'crm', method: 'setOutlookLink', error: 'throttled' },
      { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
      { kind: 'sync', engine: 0 },
      { kind: 'outlookRemake', pick: 0 },
      { kind: 'crmReplace', pick: 0 },
    ],
    true,
  );
});

it("counterexample 1893510459: both items re-made, the relink's stamp throttled: the next run relinks them, nothing cancelled", async () => {
  // PROPERTY_SEED=1893510459 (MODEL_RUNS=1500, one client; it fails on 95e22d3 too): the relink
  // dropped the old link row before writing the stamps; the throttled stamp stopped the run, and
  // with the row gone nothing tied the new event (stamped with the old activity) to the new
  // activity (linked to the old event): the next run cancelled the activity as if its event had
  // been deleted (core/plan/identity.ts relink: the old row now goes after the commit).
  const history: Action[] = [
    { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: false },
    { kind: 'sync', engine: 0 },
    { kind: 'fault', side: 'outlook', method: 'stamp', error: 'throttled' },
    { kind: 'outlookRemake', pick: 0 },
    { kind: 'crmReplace', pick: 0 },
  ];
  for (const store of ['dexie', 'sqlite'] as const) {
    await runHistory(history, false, store);
    await runHistory(history, true, store);
  }
  // The same with only the activity replaced (the row is replaced in place by the commit).
  await runHistory(
    [
      { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: false },
      { kind: 'sync', engine: 0 },
      { kind: 'fault', side: 'outlook', method: 'stamp', error: 'throttled' },
      { kind: 'crmReplace', pick: 0 },
    ],
    false,
  );
});

it("counterexample 636713631: the activity replaced, the relink's stamp lost a race: the next run pairs them", async () => {
  // PROPERTY_SEED=636713631 (MODEL_RUNS=1500, one client; since a1d20a2): the relink kept the
  // old row until its commit, the stamp failed without stopping the run (a 409), so the cursors
  // moved past the activity's deletion with the row still naming it — the event stayed linked to
  // a deleted activity for good. The old row now goes even when the relink failed
  // (calendarKind `appliesAfterFailure`); the failed stamp's pending row makes the next run pair
  // the event and the new activity by their stamps. A throttled stamp (above) still keeps it.
  const history: Action[] = [
    { kind: 'fault', side: 'outlook', method: 'stamp', error: 'conflict' },
    { kind: 'crmCreate', subject: 'Alpha', hour: 6, series: false },
    { kind: 'sync', engine: 0 },
    { kind: 'crmReplace', pick: 0 },
  ];
  for (const store of ['dexie', 'sqlite'] as const) {
    await runHistory(history, false, store);
    await runHistory(history, true, store);
  }
});

it('counterexample 221668423: a CRM edit made while a create waited in the outbox reaches Outlook', async () => {
  // PROPERTY_SEED=221668423 (MODEL_RUNS=1500, one client; since 58d7476): the create's stamp was
  // throttled, the activity edited in the CRM, the replay's stamp failed again; the plan's update
  // of that item waited for the next run (its item had failed in the replay) but kept no pending
  // row, and the cursors moved past the edit — Outlook never got it. A write that waits for an
  // item failed earlier in the run now leaves a pending row (engine/kind.ts `wait`).
  const history: Action[] = [
    { kind: 'fault', side: 'outlook', method: 'stamp', error: 'throttled' },
    { kind: 'outlookCreate', subject: 'Alpha', hour: 6, series: false },
    { kind: 'sync', engine: 0 },
    { kind: 'crmEdit', pick: 0, location: 'Alpha', hour: 6 },
    { kind: 'fault', side: 'outlook', method: 'stamp', error: 'expired' },
  ];
  for (const store of ['dexie', 'sqlite'] as const) {
    await runHistory(history, false, store);
    await runHistory(history, true, store);
  }
});

/** Replays one history (a counterexample fast-check printed): MODEL_CASE='[...]' MODEL_CLIENTS=2. */
const replay = process.env.MODEL_CASE;
(replay ? it : it.skip)('replays MODEL_CASE', async () => {
  const actions = JSON.parse(replay ?? '[]') as Action[];
  await runHistory(actions, process.env.MODEL_CLIENTS === '2', storeFor(actions));
});

describe('model: random histories converge without duplicates or lost edits', () => {
  // The fixed seed's CI share (issue 13: CI time); new counterexamples come from random seeds at
  // 1,500 histories (docs/ARCHITECTURE.md, property tests), each then pinned as a test here.
  const runs = Number(process.env.MODEL_RUNS ?? 500);
  /** Histories per store: most on SQLite, a share on Dexie (test/support/propertyStore.ts). */
  const stores = storeCounter();
  const onItsStore = (actions: Action[], twoClients: boolean) => {
    const store = storeFor(actions);
    stores.count(store);
    return runHistory(actions, twoClients, store);
  };
  it(`one client (${runs} histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), (actions) =>
        onItsStore(actions, false),
      ),
      { numRuns: runs, ...propertySeed() },
    );
  }, 600_000);

  it(`two clients on one mailbox (${Math.ceil(runs / 2)} histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), (actions) =>
        onItsStore(actions, true),
      ),
      { numRuns: Math.ceil(runs / 2), ...propertySeed() },
    );
  }, 600_000);

  it('ran both stores: a share of the histories on Dexie, the rest on SQLite', () => {
    stores.expectShare(runs + Math.ceil(runs / 2));
  });
});
