/**
 * Where a mailbox's sync runs (issue 17, item 6), decided once in the pane's composition root
 * (startPane.ts) and nowhere else: when the signed-in company runs the always-on sync service
 * (GET /company `syncService`, carried on the Connection), the pane's StartSync hands out a
 * ServiceSyncController and the Status view's lists come from the service's API — no engine, no
 * sync store is loaded or started in the pane. Without a service every call goes to the pane's
 * own loop and store, as before.
 */
import type { Connection, ConnectionService } from '../connection/connectionService';
import type { MailboxStatus, StatusService } from '../status/statusService';
import { SyncError } from '../../sync/core/errors';
import type { PreviewFirstSync } from '../sync/previewFirstSync';
import type { StartSync } from '../sync/syncController';
import { createServiceClient, type ServiceClient } from './serviceClient';
import { ServiceSyncController } from './serviceController';
import { serviceMailboxStatus } from './serviceStatus';

const keyOf = (mailbox: string) => mailbox.trim().toLowerCase();

export interface ServiceSitesOptions {
  readonly fetch?: typeof fetch;
  /** Tests: a controller with their own timers. */
  readonly controller?: (client: ServiceClient) => ServiceSyncController;
}

export class ServiceSites {
  private readonly clients = new Map<string, ServiceClient>();
  private readonly statuses = new Map<string, MailboxStatus>();

  constructor(private readonly options: ServiceSitesOptions = {}) {}

  /**
   * Notes where `connection`'s mailbox syncs. A company address for the service that is not
   * https (http on loopback only) fails here, as a CRM address would (SPEC C1): the pane never
   * sends its session in clear.
   */
  adopt(connection: Connection): Connection {
    const key = keyOf(connection.mailbox);
    this.statuses.delete(key);
    const url = connection.syncService?.url;
    if (!url || !connection.crm) {
      this.clients.delete(key);
      return connection;
    }
    const { session } = connection.crm;
    this.clients.set(
      key,
      createServiceClient(
        url,
        { apiKey: session.apiKey, accessToken: () => session.accessToken() },
        this.options.fetch,
      ),
    );
    return connection;
  }

  /** The service's client for `mailbox`, or null: sync runs in the pane. */
  clientFor(mailbox: string): ServiceClient | null {
    return this.clients.get(keyOf(mailbox)) ?? null;
  }

  /** The connection service, noting on every sign-in where its mailbox syncs. */
  connection(inner: ConnectionService): ConnectionService {
    return {
      connect: async (input) => this.adopt(await inner.connect(input)),
      resume: async (mailbox) => {
        const connection = await inner.resume(mailbox);
        return connection === null ? null : this.adopt(connection);
      },
      removeLocalPairing: () => inner.removeLocalPairing(),
    };
  }

  /** StartSync: the service's controller where the company runs one, else the pane's loop. */
  startSync(local: StartSync): StartSync {
    return async (input) => {
      const client = this.clientFor(input.connection.mailbox);
      if (client === null) return local(input);
      const controller = this.options.controller?.(client) ?? new ServiceSyncController(client);
      controller.start();
      return controller;
    };
  }

  /**
   * The first-sync dry run (SPEC C8) plans with the pane's engine: with the service there is no
   * first sync in the pane to preview (the connection machine never asks), and none is run.
   */
  preview(local: PreviewFirstSync): PreviewFirstSync {
    return async (input) => {
      if (this.clientFor(input.connection.mailbox) !== null) {
        throw new SyncError('invalidRequest', 'Sync runs on the company’s service: no preview');
      }
      return local(input);
    };
  }

  /** The Status view's service: the service's lists where it runs, else the pane's store. */
  status(local: StatusService): StatusService {
    return {
      forMailbox: (mailbox) => {
        const client = this.clientFor(mailbox);
        if (client === null) return local.forMailbox(mailbox);
        const key = keyOf(mailbox);
        let status = this.statuses.get(key);
        if (!status) {
          status = serviceMailboxStatus(client);
          this.statuses.set(key, status);
        }
        return status;
      },
    };
  }
}
