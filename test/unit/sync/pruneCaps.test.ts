/**
 * Issue 14 item 5's caps on the Dexie store, as issue 16 reads them (store/prune.ts: a count and a
 * limit, not a cursor walked past every kept row): the sync records and the runs beyond their
 * caps go, oldest first, and exactly the newest RECORDS_KEPT / RUNS_KEPT stay.
 */
import { RECORDS_KEPT, RUNS_KEPT } from '../../../src/sync/store/retention';
import { dexieStore } from '../../support/store';

const NOW = '2026-12-05T12:00:00Z';
/** The i-th instant after an hour before NOW, one millisecond apart: all within RECORD_DAYS. */
const nth = (i: number) => new Date(Date.parse(NOW) - 3_600_000 + i).toISOString();

it('keeps the newest RECORDS_KEPT records and RUNS_KEPT runs, and drops the oldest beyond them', async () => {
  const store = dexieStore('prune-caps@contoso.example');
  const { db } = store;
  const extraRecords = 3;
  await db.records.bulkAdd(
    Array.from({ length: RECORDS_KEPT + extraRecords }, (_, i) => ({
      itemKey: `o:item-${i}`,
      at: nth(i),
      op: 'rebase' as const,
      outcome: 'ok' as const,
    })),
  );
  const extraRuns = 2;
  await db.runs.bulkAdd(
    Array.from({ length: RUNS_KEPT + extraRuns }, (_, i) => ({
      startedAt: nth(i),
      finishedAt: nth(i),
      state: 'done' as const,
      // Not idle (it wrote): only the cap applies.
      counts: { updateCrm: 1 },
      failures: [],
    })),
  );

  expect(await store.prune(NOW)).toBe(extraRecords + extraRuns);

  const records = await db.records.orderBy('at').toArray();
  expect(records).toHaveLength(RECORDS_KEPT);
  expect(records[0]?.itemKey).toBe(`o:item-${extraRecords}`);
  expect(records.at(-1)?.itemKey).toBe(`o:item-${RECORDS_KEPT + extraRecords - 1}`);
  const runs = await db.runs.orderBy(':id').toArray();
  expect(runs).toHaveLength(RUNS_KEPT);
  expect(runs[0]?.startedAt).toBe(nth(extraRuns));
  // Nothing beyond the caps: nothing more goes.
  expect(await store.prune(NOW)).toBe(0);
});
