/**
 * @jest-environment node
 *
 * The model test for contacts (SPEC K2), the engine's second item kind: random histories of
 * creates, edits, deletes (Outlook), archives, deletions and marks (CRM) on both sides, with
 * syncs of one or two clients (runSync: the calendar step, then the contact step), crashes
 * between writes and injected 429 / 503 / 412 / 410, in both settings — two-way and one-way
 * CRM → Outlook. After a final quiet sync:
 *   - no duplicates: every Outlook copy is stamped with its own CRM contact, one copy each;
 *   - agreement: each copy equals its live CRM contact, and every live contact marked for the
 *     person has a copy (unless the person dropped it from a one-way sync);
 *   - nothing lost: every edit is on a side or in the trash (SPEC D4);
 *   - one-way: the engine never wrote the CRM.
 */
import fc from 'fast-check';
import { injectedError } from '../../support/injectedErrors';
import { propertySeed } from '../../support/propertySeed';
import { SyncError } from '../../../src/sync/core/errors';
import { normaliseContact, type ContactItem } from '../../../src/sync/core/contacts/model';
import type { ContactMode } from '../../../src/sync/core/contacts/types';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryCrmContactBackend } from '../../fakes/inMemoryCrmContacts';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { InMemoryOutlookContacts } from '../../fakes/inMemoryOutlookContacts';
import { NOW, settings } from '../../support/planFixtures';
import {
  probeOf,
  probeStore,
  storeCounter,
  storeFor,
  type StoreName,
} from '../../support/propertyStore';

const FOLDER = 'CRM contacts';
type Field = 'lastName' | 'title' | 'phone';

type Action =
  | { kind: 'outlookCreate'; name: string; withEmail: boolean }
  | { kind: 'outlookEdit'; pick: number; field: Field; value: string }
  | { kind: 'outlookDelete'; pick: number }
  | { kind: 'crmCreate'; name: string; withEmail: boolean; marked: boolean }
  | { kind: 'crmEdit'; pick: number; field: Field; value: string }
  | { kind: 'crmArchive'; pick: number }
  | { kind: 'crmDelete'; pick: number }
  | { kind: 'crmMark'; pick: number; on: boolean }
  | { kind: 'sync'; engine: 0 | 1 }
  /** Issue 15: a two-way history's person switches to one-way CRM → Outlook, or back. */
  | { kind: 'contactMode'; oneWay: boolean }
  | {
      kind: 'fault';
      side: 'outlook' | 'crm';
      method: string;
      error: 'throttled' | 'server' | 'conflict' | 'expired' | 'crash';
    };

interface Edit {
  readonly side: 'outlook' | 'crm';
  readonly field: Field;
  readonly value: string;
  readonly target: string;
  /** The pair's other id when known at the time (the stamp, or the copy's id). */
  readonly partner: string | null;
  /** Clean runs before the edit: a later edit of the other side after a clean run overwrites it. */
  readonly cleanRuns: number;
}

const name = fc.constantFrom('Aino', 'Bertil', 'Carla', 'Dario', 'Eeva');
const pick = fc.nat({ max: 20 });
// Outlook edits the title, the CRM the phone; both edit the last name (real conflicts).
const field = (own: Field) => fc.constantFrom<Field>(own, 'lastName');
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('outlookCreate' as const),
      name,
      withEmail: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('outlookEdit' as const),
      pick,
      field: field('title'),
      value: name,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outlookDelete' as const), pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('crmCreate' as const),
      name,
      withEmail: fc.boolean(),
      marked: fc.constantFrom(true, true, false),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('crmEdit' as const),
      pick,
      field: field('phone'),
      value: name,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmArchive' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crmDelete' as const), pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('crmMark' as const), pick, on: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      engine: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('contactMode' as const), oneWay: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      side: fc.constantFrom('outlook' as const, 'crm' as const),
      method: fc.constantFrom(
        'changes',
        'get',
        'create',
        'update',
        'stamp',
        'delete',
        'archive',
        'findByCrmId',
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

const phoneOf = (value: string, n: number) => `+358 ${value.length}${n}`;
let dbCounter = 0;

/**
 * `store`: which store the engines keep their state in (test/support/propertyStore.ts); the
 * random histories take `storeFor(actions)`, the replayed counterexamples Dexie, as they were found.
 */
export async function runContactHistory(
  actions: Action[],
  twoClients: boolean,
  mode: ContactMode,
  store: StoreName = 'dexie',
): Promise<void> {
  const stores = [0, 1].map((i) =>
    probeStore(store, `contacts-model-${(dbCounter += 1)}-${i}@contoso.example`),
  );
  try {
    await runContactHistoryOn(actions, twoClients, mode, stores);
  } finally {
    await Promise.all(stores.map((s) => s.dispose()));
  }
}

async function runContactHistoryOn(
  actions: Action[],
  twoClients: boolean,
  mode: ContactMode,
  stores: ReturnType<typeof probeStore>[],
): Promise<void> {
  let tick = 0;
  const clock = () => Date.parse(NOW) + tick * 1000;
  const outlookContacts = new InMemoryOutlookContacts(clock);
  const folderId = await outlookContacts.ensureFolder(FOLDER); // the person's own view of it
  const contactBackend = new InMemoryCrmContactBackend(clock);
  const crmContacts = contactBackend.as(settings.crmUserId);
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const crm = new InMemoryCrmBackend(clock).as(settings.crmUserId);
  const engines: EngineDeps[] = [0, 1].map((i) => ({
    outlook,
    crm,
    store: stores[i]!.store,
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: `client-${i}`,
    leaseSeconds: 0,
    contacts: {
      outlook: outlookContacts,
      crm: crmContacts,
      settings: { mode, addActivityContacts: true, conflictPolicy: 'newest-wins' },
      folderName: FOLDER,
    },
  }));
  // Issue 15: the mode as the person has it now; only a two-way history switches it.
  let currentMode: ContactMode = mode;
  engines.forEach((engine, i) => {
    const own = engine.contacts!;
    engines[i] = {
      ...engine,
      contacts: {
        ...own,
        get settings() {
          return { ...own.settings, mode: currentMode };
        },
      },
    };
  });
  const edits: Edit[] = [];
  const deletedByPerson = new Set<string>();
  let n = 0;
  let cleanRuns = 0;
  const liveCrm = () => [...contactBackend.rows.values()].filter((r) => !r.deleted);

  for (const a of actions) {
    tick += 1;
    if (a.kind === 'contactMode' && mode === 'twoWay') {
      currentMode = a.oneWay ? 'crmToOutlook' : 'twoWay';
    }
    // Issue 15: while one-way, a run never writes the CRM (not even an intent stored before).
    const crmWritesBefore = JSON.stringify(contactBackend.writes);
    const mine = outlookContacts.all(folderId);
    const crmRows = liveCrm().filter((r) => !r.archived);
    switch (a.kind) {
      case 'outlookCreate': {
        n += 1;
        outlookContacts.personCreate(folderId, {
          firstName: a.name,
          lastName: `Outlook${n}`,
          email: a.withEmail ? `${a.name.toLowerCase()}.${n}@example.com` : null,
          phone: null,
          title: null,
        });
        break;
      }
      case 'outlookEdit': {
        const target = mine[a.pick % Math.max(mine.length, 1)];
        if (!target) break;
        const value = `${a.value}-o${(n += 1)}`;
        edits.push({
          side: 'outlook',
          field: a.field,
          value,
          target: target.id,
          partner: target.crmId,
          cleanRuns,
        });
        outlookContacts.personEdit(target.id, {
          [a.field]: a.field === 'phone' ? phoneOf(value, n) : value,
        });
        break;
      }
      case 'outlookDelete': {
        const target = mine[a.pick % Math.max(mine.length, 1)];
        if (!target) break;
        outlookContacts.personDelete(target.id);
        deletedByPerson.add(target.id);
        if (target.crmId) deletedByPerson.add(target.crmId);
        break;
      }
      case 'crmCreate': {
        n += 1;
        contactBackend.personCreate(
          {
            firstName: a.name,
            lastName: `Crm${n}`,
            email: a.withEmail ? `${a.name.toLowerCase()}.${n}@example.com` : null,
            phone: null,
            title: null,
          },
          a.marked ? { markedFor: settings.crmUserId } : {},
        );
        break;
      }
      case 'crmEdit': {
        const target = crmRows[a.pick % Math.max(crmRows.length, 1)];
        if (!target) break;
        const value = `${a.value}-c${(n += 1)}`;
        edits.push({
          side: 'crm',
          field: a.field,
          value: a.field === 'phone' ? phoneOf(value, n) : value,
          target: target.id,
          partner: mine.find((c) => c.crmId === target.id)?.id ?? null,
          cleanRuns,
        });
        contactBackend.personEdit(target.id, {
          [a.field]: a.field === 'phone' ? phoneOf(value, n) : value,
        });
        break;
      }
      case 'crmArchive': {
        const target = crmRows[a.pick % Math.max(crmRows.length, 1)];
        if (target) contactBackend.personArchive(target.id);
        if (target) deletedByPerson.add(target.id);
        break;
      }
      case 'crmDelete': {
        const target = liveCrm()[a.pick % Math.max(liveCrm().length, 1)];
        if (target) contactBackend.personDelete(target.id);
        if (target) deletedByPerson.add(target.id);
        break;
      }
      case 'crmMark': {
        const target = crmRows[a.pick % Math.max(crmRows.length, 1)];
        if (target) contactBackend.personMark(target.id, settings.crmUserId, a.on);
        break;
      }
      case 'sync': {
        const outcome = await runSync(engines[twoClients ? a.engine : 0]!);
        if (outcome.state === 'done' && outcome.failures === 0) cleanRuns += 1;
        break;
      }
      case 'fault':
        if (a.side === 'outlook') outlookContacts.failNext(a.method as never, errorFor(a));
        else contactBackend.failNext(a.method as never, errorFor(a));
        break;
    }
    if (a.kind === 'sync' && currentMode !== 'twoWay') {
      expect(JSON.stringify(contactBackend.writes)).toBe(crmWritesBefore);
    }
  }
  currentMode = mode; // the history's own mode again for the quiet runs

  for (let i = 0; i < 4; i += 1) {
    for (const engine of twoClients ? engines : engines.slice(0, 1)) {
      const outcome = await runSync(engine, { massDeleteConfirmed: true });
      if (outcome.state === 'failed') await runSync(engine, { massDeleteConfirmed: true });
    }
  }

  // No duplicates, agreement.
  const copies = outlookContacts.all(folderId);
  const stamped = copies.filter((c) => c.crmId !== null);
  if (mode === 'twoWay') expect(stamped).toHaveLength(copies.length);
  const stamps = stamped.map((c) => c.crmId);
  expect(new Set(stamps).size).toBe(stamps.length);
  for (const copy of stamped) {
    const partner = contactBackend.live(copy.crmId ?? '');
    expect(partner).not.toBeNull();
    expect(partner!.archived).toBe(false);
    expect(normaliseContact(copy.item)).toEqual(normaliseContact(partner!.item));
  }
  const setAside = new Set(
    (await Promise.all(engines.map((e) => probeOf(e).quarantine())))
      .flat()
      .filter((q) => q.itemKey.startsWith('k:c:') && q.unlinkedAt)
      .map((q) => q.itemKey.slice(4)),
  );
  for (const row of liveCrm()) {
    if (row.archived || !row.marks.has(settings.crmUserId) || setAside.has(row.id)) continue;
    expect(stamps).toContain(row.id);
  }
  if (mode !== 'twoWay')
    expect(contactBackend.writes).toEqual({ create: 0, update: 0, archive: 0 });

  // Nothing lost: every edit is on a side (archived contacts included) or in a trash.
  const trash = (await Promise.all(engines.map((e) => probeOf(e).trash()))).flat();
  const values = (c: ContactItem | undefined) =>
    c ? [c.lastName, c.title ?? '', c.phone ?? ''] : [];
  const everywhere = new Set<string>([
    ...outlookContacts.all().flatMap((c) => values(c.item)),
    ...[...contactBackend.rows.values()].flatMap((r) => values(r.item)),
    // Issue 14, item 4: a row keeps every lost value and the whole contact an update overwrote.
    ...trash.flatMap((t) => [
      String(t.contact?.lost?.value ?? ''),
      ...(t.contact?.lostAll ?? []).map((l) => String(l.value ?? '')),
      ...values(t.contact?.deleted),
      ...values(t.contact?.overwritten?.outlook),
      ...values(t.contact?.overwritten?.crm),
    ]),
  ]);
  for (const edit of edits) {
    if (deletedByPerson.has(edit.target)) continue;
    const index = edits.indexOf(edit);
    // Overwritten later by the same side, or by the other side once a clean run had synced it.
    const superseded = edits
      .slice(index + 1)
      .some(
        (l) =>
          l.field === edit.field &&
          (l.side === edit.side
            ? l.target === edit.target
            : l.cleanRuns > edit.cleanRuns &&
              (l.target === edit.partner || l.partner === edit.target)),
      );
    if (!superseded)
      expect({ edit, found: everywhere.has(edit.value) }).toEqual({ edit, found: true });
  }
}

/**
 * Issue 14: PROPERTY_SEED=1868763875 (two-way) lost an Outlook edit. The CRM read-back of a create
 * was throttled, so the run failed with the create in the outbox; the CRM person then edited the
 * last name the create had copied, and the next run carried that edit over Outlook's value with
 * no trash row — the overwritten value was on neither side and nowhere in the trash. An update
 * now keeps the whole contact it writes over (engine/contacts/apply.ts).
 */
it('counterexample 1868763875: a throttled read-back, then a CRM edit, loses no Outlook edit', async () => {
  const history: Action[] = [
    { kind: 'fault', side: 'crm', method: 'get', error: 'throttled' },
    { kind: 'outlookCreate', name: 'Aino', withEmail: false },
    { kind: 'outlookEdit', pick: 0, field: 'lastName', value: 'Aino' },
    { kind: 'sync', engine: 0 },
    { kind: 'crmEdit', pick: 0, field: 'lastName', value: 'Aino' },
    { kind: 'sync', engine: 0 },
  ];
  await runContactHistory(history, false, 'twoWay');
  await runContactHistory(history, true, 'twoWay');
});

/**
 * Issue 14: PROPERTY_SEED=2091532280 (two-way, two clients) left one CRM contact with two Outlook
 * copies. Client 1 created the Outlook contact in the CRM but its stamp was throttled, so the
 * create waited in its outbox; the person edited both sides; client 0, with no record of that
 * create, copied the CRM contact into Outlook, and client 1's replay then stamped the source as
 * well. The replay now withdraws the source into the trash and carries its edits onto the copy
 * (engine/contacts/create.ts).
 */
it('counterexample 2091532280: a throttled stamp, then edits on both sides, leaves one copy', async () => {
  const history: Action[] = [
    { kind: 'fault', side: 'outlook', method: 'stamp', error: 'throttled' },
    { kind: 'outlookCreate', name: 'Aino', withEmail: false },
    { kind: 'sync', engine: 1 },
    { kind: 'outlookEdit', pick: 0, field: 'title', value: 'Aino' },
    { kind: 'crmEdit', pick: 0, field: 'lastName', value: 'Aino' },
    { kind: 'crmEdit', pick: 0, field: 'phone', value: 'Aino' },
  ];
  await runContactHistory(history, false, 'twoWay');
  await runContactHistory(history, true, 'twoWay');
});

/**
 * PROPERTY_SEED=2033886778 (MODEL_RUNS=1500, one-way): a CRM → Outlook create whose run failed
 * after its intent was stored, the contact archived in the CRM before the replay — the replay
 * copied it anyway, and the archive, read while the contact had no copy, never withdrew it.
 */
it('counterexample 2033886778: a create replayed after its contact was archived in the CRM copies nothing', async () => {
  const history: Action[] = [
    { kind: 'fault', side: 'outlook', method: 'findByCrmId', error: 'throttled' },
    { kind: 'crmCreate', name: 'Aino', withEmail: false, marked: true },
    { kind: 'fault', side: 'crm', method: 'get', error: 'expired' },
    { kind: 'sync', engine: 0 },
    { kind: 'crmArchive', pick: 0 },
  ];
  for (const mode of ['crmToOutlook', 'twoWay'] as const) {
    await runContactHistory(history, false, mode, 'sqlite');
    await runContactHistory(history, false, mode, 'dexie');
  }
});

/**
 * PROPERTY_SEED=19872239 (MODEL_RUNS=1500, two-way; it fails on 95e22d3 too): an Outlook contact's
 * create in the CRM was throttled, so it waited in the outbox; the person edited it. The next
 * run's replay made the CRM contact (same key), then lost a race looking for another copy and
 * kept the intent — and the same run planned the create again under the same key with the edited
 * body: the CRM refused the reused key, the refusal dropped the intent, the new CRM contact was
 * copied into Outlook and the source never linked — two Outlook contacts. An item whose replay
 * failed now waits for the next run like any item with a failed write (engine/kind.ts).
 */
it('counterexample 19872239: a replay that lost a race is not overtaken by its own item re-planned', async () => {
  const history: Action[] = [
    { kind: 'outlookCreate', name: 'Aino', withEmail: false },
    { kind: 'fault', side: 'outlook', method: 'findByCrmId', error: 'conflict' },
    { kind: 'fault', side: 'crm', method: 'create', error: 'throttled' },
    { kind: 'sync', engine: 0 },
    { kind: 'outlookEdit', pick: 0, field: 'lastName', value: 'Aino' },
  ];
  for (const twoClients of [false, true]) {
    await runContactHistory(history, twoClients, 'twoWay', 'sqlite');
    await runContactHistory(history, twoClients, 'twoWay', 'dexie');
  }
});

const replay = process.env.MODEL_CASE_CONTACTS;
(replay ? it : it.skip)('replays MODEL_CASE_CONTACTS', async () => {
  const actions = JSON.parse(replay ?? '[]') as Action[];
  await runContactHistory(
    actions,
    process.env.MODEL_CLIENTS === '2',
    (process.env.MODEL_MODE as ContactMode | undefined) ?? 'twoWay',
    storeFor(actions),
  );
});

describe('model (contacts, SPEC K2): random histories converge without duplicates or loss', () => {
  // The fixed seed's CI share (issue 13: CI time); new counterexamples come from random seeds at
  // 1,500 histories (docs/ARCHITECTURE.md, property tests), each then pinned as a test here.
  const runs = Number(process.env.MODEL_RUNS ?? 200);
  const history = fc.array(action, { minLength: 1, maxLength: 25 });
  /** Histories per store: most on SQLite, a share on Dexie (test/support/propertyStore.ts). */
  const stores = storeCounter();
  const onItsStore = (actions: Action[], twoClients: boolean, mode: ContactMode) => {
    const store = storeFor(actions);
    stores.count(store);
    return runContactHistory(actions, twoClients, mode, store);
  };
  it(`two-way, one client (${runs} histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(history, (a) => onItsStore(a, false, 'twoWay')),
      { numRuns: runs, ...propertySeed() },
    );
  }, 600_000);
  it(`two-way, two clients (${Math.ceil(runs / 2)} histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(history, (a) => onItsStore(a, true, 'twoWay')),
      {
        numRuns: Math.ceil(runs / 2),
        ...propertySeed(),
      },
    );
  }, 600_000);
  it(`one-way CRM → Outlook, one or two clients (${Math.ceil(runs / 2)} histories): the CRM is never written`, async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.boolean(), (a, two) => onItsStore(a, two, 'crmToOutlook')),
      { numRuns: Math.ceil(runs / 2), ...propertySeed() },
    );
  }, 600_000);
  it('ran both stores: a share of the histories on Dexie, the rest on SQLite', () => {
    stores.expectShare(runs + 2 * Math.ceil(runs / 2));
  });
});
