/**
 * Issue 16: a group's successes recorded at once (DexieSyncStore.recordSuccesses) leave the store
 * exactly as recordOutcome leaves it, item by item — histories trimmed to RECORDS_PER_ITEM, the
 * quarantine count and the pending row gone, a success that is not recorded adding no history.
 */
import type { OutcomeEntry } from '../../../src/sync/store/syncStore';
import { RECORDS_PER_ITEM } from '../../../src/sync/store/records';
import type { DexieSyncStore } from '../../../src/sync/store/dexieSyncStore';
import { dexieStore } from '../../support/store';

const at = (minute: number) => `2026-12-05T10:${String(minute).padStart(2, '0')}:00Z`;

/** Items with a history already full, a failure counted and a pending row. */
async function seeded(name: string): Promise<DexieSyncStore> {
  const store = dexieStore(name);
  for (const key of ['o:a', 'o:b', 'c:c']) {
    for (let i = 0; i < RECORDS_PER_ITEM; i += 1) {
      await store.db.records.add({ itemKey: key, at: at(i), op: 'updateCrm', outcome: 'ok' });
    }
    await store.noteFailure(key, 'serverError', at(5));
    await store.db.pending.put({ itemKey: key, outlookId: key.slice(2) });
  }
  return store;
}

async function contents(store: DexieSyncStore) {
  const records = (await store.db.records.orderBy('id').toArray()).map(({ id: _id, ...r }) => r);
  return {
    records,
    quarantine: await store.db.quarantine.toArray(),
    pending: await store.db.pending.toArray(),
  };
}

it('records a group of successes as recordOutcome records each', async () => {
  const entries: OutcomeEntry[] = [
    {
      kind: 'calendar',
      itemKey: 'o:a',
      at: at(10),
      recordAs: 'link',
      outcome: { ok: true, recorded: true },
    },
    {
      kind: 'calendar',
      itemKey: 'c:c',
      at: at(10),
      recordAs: 'createInOutlook',
      outcome: { ok: true, recorded: true },
    },
    {
      kind: 'calendar',
      itemKey: 'o:b',
      at: at(10),
      recordAs: 'rebase',
      outcome: { ok: true, recorded: false },
    },
  ];
  const oneByOne = await seeded('record-successes-one@contoso.example');
  for (const entry of entries) await oneByOne.recordOutcome(entry);
  const together = await seeded('record-successes-all@contoso.example');
  await together.recordSuccesses(entries);

  const expected = await contents(oneByOne);
  expect(expected.quarantine).toEqual([]);
  expect(expected.pending).toEqual([]);
  expect(expected.records.filter((r) => r.itemKey === 'o:a').map((r) => r.op)).toEqual([
    'updateCrm',
    'updateCrm',
    'link',
  ]);
  const actual = await contents(together);
  const byItem = (rows: typeof actual.records) =>
    [...rows].sort((x, y) => x.itemKey.localeCompare(y.itemKey) || x.at.localeCompare(y.at));
  expect(byItem(actual.records)).toEqual(byItem(expected.records));
  expect(actual.quarantine).toEqual(expected.quarantine);
  expect(actual.pending).toEqual(expected.pending);
});

it('takes successes only', async () => {
  const store = await seeded('record-successes-refuses@contoso.example');
  await expect(
    store.recordSuccesses([
      {
        kind: 'calendar',
        itemKey: 'o:a',
        at: at(10),
        recordAs: 'link',
        outcome: { ok: false, code: 'serverError', pending: { itemKey: 'o:a' }, counts: true },
      },
    ]),
  ).rejects.toThrow('successes only');
});
