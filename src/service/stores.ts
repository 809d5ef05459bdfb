/**
 * The mailboxes' stores the service runs on (issue 18): SQLite — one file per mailbox under
 * dataDir, one process, what `npm start` runs — or PostgreSQL — one database for every mailbox
 * and every worker, migrated at start (src/sync/store/postgres). Both implement the port and the
 * Status reads (src/sync/store/statusStore.ts).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { PostgresStores } from '../sync/store/postgres/database';
import { SqliteSyncStore } from '../sync/store/sqlite/sqliteSyncStore';
import type { ServiceStore } from '../sync/store/statusStore';
import type { ServiceConfig } from './config';
import type { ServiceSecrets } from './sealing';

export interface ServiceStores {
  storeFor(mailbox: string): ServiceStore;
  /**
   * What names this installation, the same after a restart (the CRM lease's holder id): the
   * data directory, or the database's address without its user's password.
   */
  readonly installation: string;
  close(): Promise<void>;
}

/** A short stable digest of what names the installation (never the password: it is not in it). */
export function installationDigest(stores: ServiceStores): string {
  return createHash('sha256').update(stores.installation).digest('hex').slice(0, 16);
}

export async function openServiceStores(
  config: ServiceConfig,
  secrets: ServiceSecrets,
): Promise<ServiceStores> {
  if (config.store !== 'postgres' || config.postgresUrl === undefined) {
    return {
      storeFor: (mailbox) => SqliteSyncStore.forMailbox(config.dataDir, mailbox),
      installation: resolve(config.dataDir),
      close: async () => undefined,
    };
  }
  const url = new URL(config.postgresUrl);
  const stores = await PostgresStores.open({
    url: config.postgresUrl,
    ...(secrets.postgresPassword === undefined ? {} : { password: secrets.postgresPassword }),
  });
  url.password = '';
  return {
    storeFor: (mailbox) => stores.forMailbox(mailbox),
    installation: url.toString(),
    close: () => stores.close(),
  };
}
