/**
 * Group commit (src/sync/store/groupCommit.ts): writes issued together share a transaction, a
 * write is resolved only once its own transaction is, and one bad write fails alone.
 */
import 'fake-indexeddb/auto';
import { groupCommit } from '../../../src/sync/store/groupCommit';
import { DexieSyncStore } from '../../../src/sync/store/dexieSyncStore';
import { openSyncDb } from '../../../src/sync/store/schema';

/** A transaction's writes, held until the test lets it end. */
function recordingCommit(fails: (item: string) => boolean = () => false) {
  const transactions: string[][] = [];
  const committed: string[] = [];
  let release: (() => void) | null = null;
  const commit = async (items: readonly string[]) => {
    transactions.push([...items]);
    await new Promise<void>((resolve) => (release = resolve));
    if (items.some(fails)) throw new Error(`refused: ${items.join(',')}`);
    committed.push(...items);
  };
  const endTransaction = async () => {
    for (let turn = 0; release === null && turn < 100; turn++) await Promise.resolve();
    const end = release as (() => void) | null;
    release = null;
    end?.();
  };
  return { commit, transactions, committed, endTransaction };
}

test('writes issued in one turn share a transaction; those arriving meanwhile share the next', async () => {
  const log = recordingCommit();
  const write = groupCommit(log.commit);
  const first = ['a', 'b', 'c'].map((item) => write(item));
  await log.endTransaction();
  await Promise.all(first);
  expect(log.transactions).toEqual([['a', 'b', 'c']]);

  const d = write('d');
  await Promise.resolve();
  await Promise.resolve();
  const later = [write('e'), write('f')]; // while d's transaction is under way
  await log.endTransaction();
  await d;
  await log.endTransaction();
  await Promise.all(later);
  expect(log.transactions).toEqual([['a', 'b', 'c'], ['d'], ['e', 'f']]);
  expect(log.committed).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
});

test('a write is resolved only once its transaction has committed', async () => {
  const log = recordingCommit();
  const write = groupCommit(log.commit);
  let resolved = false;
  const pending = write('a').then(() => (resolved = true));
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
  expect(resolved).toBe(false);
  await log.endTransaction();
  await pending;
  expect(resolved).toBe(true);
});

test('when a shared transaction fails, each write is tried alone: the bad one fails, the rest land', async () => {
  const log = recordingCommit((item) => item === 'bad');
  const write = groupCommit(log.commit);
  const outcomes = Promise.allSettled(['a', 'bad', 'c'].map((item) => write(item)));
  for (let t = 0; t < 4; t++) await log.endTransaction();
  const settled = await outcomes;
  expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(log.transactions).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  expect(log.committed).toEqual(['a', 'c']);
});

test('the Dexie store: twenty intents stored side by side take one transaction, not twenty', async () => {
  const db = openSyncDb(`group-commit-${Date.now()}`);
  const store = new DexieSyncStore(db);
  let transactions = 0;
  // Dexie's own middleware hook: every IndexedDB transaction the store opens passes here.
  db.use({
    stack: 'dbcore',
    name: 'count-transactions',
    create: (down) => ({
      ...down,
      transaction: (...args: Parameters<typeof down.transaction>) => {
        transactions += 1;
        return down.transaction(...args);
      },
    }),
  });
  const rows = Array.from({ length: 20 }, (_, i) => ({
    key: `k${i}`,
    operation: { op: 'createInCrm' },
    createdAt: '2026-12-06T10:00:00Z',
    attempts: 0,
  }));
  await Promise.all(rows.map((row) => store.addIntent(row as never)));
  expect(transactions).toBe(1);
  expect(await store.intentCount()).toBe(20);
  db.close();
});
