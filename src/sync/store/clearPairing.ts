import { DexieSyncStore } from './dexieSyncStore';
import { openSyncDb } from './schema';

/**
 * Issue 14, item 4: the pairing of `mailbox` ended (unpair, sign-out, forced removal): its store
 * forgets everything, so the next pairing — maybe with another CRM user — starts from the stamps
 * instead of taking the old links for deletions.
 */
export async function clearPairingStore(mailbox: string, indexedDB?: IDBFactory): Promise<void> {
  const db = openSyncDb(mailbox, indexedDB);
  try {
    await new DexieSyncStore(db).clear();
  } finally {
    db.close();
  }
}
