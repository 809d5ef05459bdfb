/**
 * Tests build the engine on the Dexie store over fake-indexeddb and look into its tables to check
 * what a run left behind: `dbOf` is that look (the engine itself sees only the SyncStore port).
 */
import { DexieSyncStore } from '../../src/sync/store/dexieSyncStore';
import { openSyncDb, type SyncDb } from '../../src/sync/store/schema';
import type { SyncStore } from '../../src/sync/store/syncStore';

/** A fresh Dexie store for one mailbox name. */
export function dexieStore(name: string): DexieSyncStore {
  return new DexieSyncStore(openSyncDb(name));
}

/** The Dexie database behind an engine's store. */
export function dbOf(deps: { readonly store: SyncStore }): SyncDb {
  if (!(deps.store instanceof DexieSyncStore)) throw new Error('Not a Dexie store');
  return deps.store.db;
}
