/**
 * `npm start` (issue 17, item 8): the service beside the two sandbox servers, with the demo
 * users' mailboxes paired and the demo company switched to the service, so an event made in the
 * Graph emulator reaches the CRM with no pane open. Sandbox only: it signs the demo users in with
 * their public password to pair them, as each would in the pane.
 */
import type { ServiceConfig } from './config';
import type { SyncService } from './runtime';
import { startService, type RunningService } from './start';

export interface SandboxServiceOptions {
  readonly crmUrl: string;
  readonly graphUrl: string;
  readonly dataDir: string;
  /**
   * Issue 18: the mailboxes' stores in this PostgreSQL database (store `postgres`) rather than
   * SQLite files under dataDir. In the sandbox its password may stand in the URL.
   */
  readonly postgresUrl?: string;
  /** Where the service's control API listens (loopback) and is announced (Company.syncService). */
  readonly apiPort: number;
  /** The task pane's origins (http and https dev server), the only pages allowed to call the API. */
  readonly paneOrigins: readonly string[];
  readonly users: readonly string[];
  readonly outlookKey: string;
  readonly adminKey: string;
  readonly password: string;
  /**
   * The Graph emulator's Entra stand-in and its demo application (sandbox/graph/entra.ts): the
   * service then reaches Graph as in production — client credentials through MSAL Node,
   * `/users/{id}` paths, `/users/{id}/events` subscriptions. Without it, each mailbox's delegated
   * sandbox token and `/me` paths.
   */
  readonly graphApp?: {
    readonly tenantId: string;
    readonly clientId: string;
    readonly authorityUrl: string;
    readonly caCertificate: string;
  };
  readonly log?: (event: Readonly<Record<string, unknown>>) => void;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  if (!res.ok && res.status !== 409) {
    throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: ${res.status}`);
  }
  return res;
}

export async function startSandboxService(options: SandboxServiceOptions): Promise<{
  readonly service: SyncService;
  readonly running: RunningService;
  readonly apiUrl: string;
  close(): Promise<void>;
}> {
  const api = `${options.crmUrl}/api/v1`;
  for (const user of options.users) {
    const session = await call(`${api}/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': options.outlookKey, 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: options.password }),
    });
    const { accessToken } = (await session.json()) as { accessToken: string };
    // 409: paired already (a second start), or with another mailbox by the person: left as is.
    await call(`${api}/pairing`, {
      method: 'PUT',
      headers: {
        'x-api-key': options.outlookKey,
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ mailbox: user }),
    });
  }
  const app = options.graphApp;
  const config: ServiceConfig = {
    crmUrl: options.crmUrl,
    graphUrl: options.graphUrl,
    graphAuth: app ? 'app' : 'sandbox',
    ...(app ? { tenantId: app.tenantId, clientId: app.clientId } : {}),
    dataDir: options.dataDir,
    ...(options.postgresUrl ? { store: 'postgres', postgresUrl: options.postgresUrl } : {}),
    // One listener: the pane's control API and Graph's notifications (loopback, http).
    port: options.apiPort,
    host: '127.0.0.1',
    paneOrigins: [...options.paneOrigins],
    pollSeconds: 300,
    signalWaitSeconds: 30,
    sandbox: true,
  };
  const running = await startService(config, {
    ...(options.log ? { log: options.log } : {}),
    ...(app ? { authority: { url: app.authorityUrl, caCertificate: app.caCertificate } } : {}),
  });
  const apiUrl = running.url.replace('//127.0.0.1:', '//localhost:');
  // Only now, with the API up, is the company switched to the service.
  await call(`${api}/company`, {
    method: 'PATCH',
    headers: { 'x-api-key': options.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ syncService: { url: `${apiUrl}/` } }),
  });
  // The service started before the switch and found nothing to sync: it reads the list again
  // (and subscribes each mailbox it adds).
  await running.service.reconcile();
  return { service: running.service, running, apiUrl, close: () => running.stop() };
}
