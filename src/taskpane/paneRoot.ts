/**
 * The pane runtime's composition root (issue 13 item 4): per mailbox one Graph client and one
 * opening of the sync database (src/sync/runtimeRoot.ts), and the installation's lease holder id
 * read once — handed to the connection, the sync loop and its preview, the Status and item views,
 * which before each built their own. startPane makes one per pane; the CRM session comes from the
 * connection service and travels on the Connection to the others.
 *
 * Light on purpose (issue 6): the Graph client, Dexie and the store arrive with the first service
 * that asks for a mailbox (paneRuntime.ts, an async chunk).
 */
import type { AddinConfig } from '../config/addinConfig';
import type { Host } from '../host/host';
import type { MailboxResources, RuntimeRoot } from '../sync/runtimeRoot';
import { once } from './onDemand';

export type { MailboxResources } from '../sync/runtimeRoot';

export interface PaneRoot {
  readonly host: Host;
  readonly config: AddinConfig;
  /** The mailbox's resources, the same object for every service of this pane. */
  mailbox(address: string): Promise<MailboxResources>;
  /** This installation's lease holder id (src/shared/installationId.ts), read once. */
  holderId(): Promise<string>;
}

export interface PaneRootOptions {
  /** For tests in Node: their own IndexedDB (fake-indexeddb). */
  readonly indexedDB?: IDBFactory;
  /** The runtime root; by default paneRuntime.ts, loaded on first use. */
  readonly load?: () => Promise<RuntimeRoot>;
}

export function createPaneRoot(
  host: Host,
  config: AddinConfig,
  options: PaneRootOptions = {},
): PaneRoot {
  const runtime = once(
    options.load ??
      (async () =>
        (await import(/* webpackChunkName: "pane-runtime" */ './paneRuntime')).createPaneRuntime(
          host,
          config,
          options.indexedDB,
        )),
  );
  return {
    host,
    config,
    mailbox: async (address) => (await runtime()).mailbox(address),
    holderId: async () => (await runtime()).holderId(),
  };
}
