/** The store port's contract (test/contract/syncStore.contract.ts) on the Dexie store. */
import { runSyncStoreContract } from '../../contract/syncStore.contract';
import type { DexieSyncStore } from '../../../src/sync/store/dexieSyncStore';
import { dexieStore } from '../../support/store';

let counter = 0;

runSyncStoreContract(
  'Dexie over fake-indexeddb',
  async () => dexieStore(`store-contract-${(counter += 1)}@contoso.example`),
  async (store, kind, row) => {
    const db = (store as DexieSyncStore).db;
    await (kind === 'calendar' ? db.links : db.contactLinks).put(row as never);
  },
);
