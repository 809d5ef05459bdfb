/**
 * `npm start` (issue 17, item 8): the service beside the two sandbox servers, with the demo
 * users' mailboxes paired and the demo company switched to the service, so an event made in the
 * Graph emulator reaches the CRM with no pane open. Sandbox only: it signs the demo users in with
 * their public password to pair them, as each would in the pane.
 */
import { crmVerifier } from './api/verifyCaller';
import { listenControlApi } from './api/controlApi';
import type { ServiceConfig } from './config';
import type { SyncService } from './runtime';
import { startService } from './start';

export interface SandboxServiceOptions {
  readonly crmUrl: string;
  readonly graphUrl: string;
  readonly dataDir: string;
  /** Where the service's control API listens (loopback) and is announced (Company.syncService). */
  readonly apiPort: number;
  /** The task pane's origins (http and https dev server), the only pages allowed to call the API. */
  readonly paneOrigins: readonly string[];
  readonly users: readonly string[];
  readonly outlookKey: string;
  readonly adminKey: string;
  readonly password: string;
  readonly log?: (event: Readonly<Record<string, unknown>>) => void;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  if (!res.ok && res.status !== 409) {
    throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: ${res.status}`);
  }
  return res;
}

export async function startSandboxService(
  options: SandboxServiceOptions,
): Promise<{ readonly service: SyncService; readonly apiUrl: string; close(): Promise<void> }> {
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
  const config: ServiceConfig = {
    crmUrl: options.crmUrl,
    graphUrl: options.graphUrl,
    graphAuth: 'sandbox',
    dataDir: options.dataDir,
    port: 0,
    host: '127.0.0.1',
    pollSeconds: 300,
    signalWaitSeconds: 30,
    sandbox: true,
  };
  const service = await startService(config, options.log ? { log: options.log } : {});
  // The pane's window on the service (src/service/api, issue 17 item 6), checked against the CRM.
  const controlApi = await listenControlApi({
    control: service,
    verify: crmVerifier({ crmAddress: options.crmUrl }),
    paneOrigins: options.paneOrigins,
    host: '127.0.0.1',
    port: options.apiPort,
  });
  const apiUrl = controlApi.url.replace('//127.0.0.1:', '//localhost:');
  // Only now, with the API up, is the company switched to the service.
  await call(`${api}/company`, {
    method: 'PATCH',
    headers: { 'x-api-key': options.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ syncService: { url: `${apiUrl}/` } }),
  });
  // The service started before the switch and found nothing to sync: it reads the list again.
  await service.reconcile();
  return {
    service,
    apiUrl,
    close: async () => {
      await controlApi.close();
      await service.stop();
    },
  };
}
