/**
 * One id per installation of the add-in (this browser profile / Outlook client on this device),
 * kept in IndexedDB on the add-in's origin. The CRM lease holder id (SPEC: one client writes at a
 * time) must differ between the person's PC, Mac, browser and phone: roaming settings follow the
 * mailbox to every client, so an id kept there made every client the same holder (issue 11).
 */
import Dexie, { type EntityTable } from 'dexie';
import { randomId } from './broadcast';

interface MetaRow {
  readonly key: string;
  readonly value: string;
}

class InstallationDb extends Dexie {
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ meta: 'key' });
  }
}

export const installationDbName = 'crm-sync-installation';
const holderKey = 'leaseHolderId';

/**
 * This installation's lease holder id, made once. Two panes of one installation opening at once
 * agree on one id (the first write wins inside a transaction). Where IndexedDB is unavailable the
 * id lives for this page only: still never shared with another client.
 */
export async function installationHolderId(dbName = installationDbName): Promise<string> {
  const db = new InstallationDb(dbName);
  try {
    return await db.transaction('rw', db.meta, async () => {
      const saved = await db.meta.get(holderKey);
      if (saved && /^[A-Za-z0-9_.:-]{1,100}$/.test(saved.value)) return saved.value;
      const id = randomId();
      await db.meta.put({ key: holderKey, value: id });
      return id;
    });
  } catch (error) {
    console.warn('Could not keep the installation id; using one for this page', error);
    return randomId();
  } finally {
    db.close();
  }
}
