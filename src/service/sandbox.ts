/**
 * `npm start` (issue 17, item 8): the service beside the two sandbox servers, with the demo
 * users' mailboxes paired and the demo company switched to the service, so an event made in the
 * Graph emulator reaches the CRM with no pane open. Sandbox only: it signs the demo users in with
 * their public password to pair them, as each would in the pane.
 */
import type { ServiceConfig } from './config';
import type { SyncService } from './runtime';
import { startService } from './start';

export interface SandboxServiceOptions {
  readonly crmUrl: string;
  readonly graphUrl: string;
  readonly dataDir: string;
  /** Where the service's API is announced (Company.syncService.url). */
  readonly publicUrl: string;
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

export async function startSandboxService(options: SandboxServiceOptions): Promise<SyncService> {
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
  await call(`${api}/company`, {
    method: 'PATCH',
    headers: { 'x-api-key': options.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ syncService: { url: options.publicUrl } }),
  });
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
  return startService(config, options.log ? { log: options.log } : {});
}
