/**
 * Starting the service from its configuration (config.ts): the secrets opened (sealing.ts) — or,
 * in the sandbox, the demo's public service key — the Graph access chosen (graphAccess.ts), one
 * SQLite file per mailbox under dataDir, and the runtime started. scripts/service.ts (the
 * process) and scripts/start.ts (`npm start`) both call it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SqliteSyncStore } from '../sync/store/sqlite/sqliteSyncStore';
import { ConfigError, type ServiceConfig } from './config';
import { createAppGraphAuth, createServiceGraphClient } from './graph';
import { sandboxGraphAccess } from './graphAccess';
import { SyncService } from './runtime';
import { sealingKeyFrom, type ServiceSecrets, unseal } from './sealing';

/** The sandbox CRM's public demo service key (sandbox/crm/seed/demoConstants.ts). */
export const SANDBOX_SERVICE_KEY = 'sandbox-service-key';

export function openSecrets(config: ServiceConfig, env: NodeJS.ProcessEnv): ServiceSecrets {
  if (config.secretsFile === undefined) {
    if (!config.sandbox) throw new ConfigError('secretsFile is required outside the sandbox');
    return { crmServiceKey: SANDBOX_SERVICE_KEY };
  }
  const key = env.SYNC_SERVICE_SEALING_KEY;
  if (!key) throw new ConfigError('SYNC_SERVICE_SEALING_KEY is required to open the secrets');
  return unseal(readFileSync(config.secretsFile, 'utf8'), sealingKeyFrom(key));
}

export async function startService(
  config: ServiceConfig,
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly log?: (event: Readonly<Record<string, unknown>>) => void;
  } = {},
): Promise<SyncService> {
  const secrets = openSecrets(config, options.env ?? process.env);
  let graph = sandboxGraphAccess(config.graphUrl);
  if (config.graphAuth === 'app') {
    // Issue 17 item 2: client credentials through MSAL Node (src/service/graph), /users/{id} paths.
    if (!secrets.graphClientSecret) {
      throw new ConfigError('graphAuth app needs graphClientSecret in the sealed secrets');
    }
    const auth = createAppGraphAuth({
      tenantId: config.tenantId ?? '',
      clientId: config.clientId ?? '',
      clientSecret: secrets.graphClientSecret,
    });
    graph = {
      clientFor: (mailbox) => createServiceGraphClient(auth, { baseUrl: config.graphUrl, mailbox }),
    };
  }
  const service = new SyncService({
    crmUrl: config.crmUrl,
    crmServiceKey: secrets.crmServiceKey,
    graph,
    storeFor: (mailbox) => SqliteSyncStore.forMailbox(config.dataDir, mailbox),
    timing: { pullIntervalMs: config.pollSeconds * 1000 },
    // One holder per installation (its data directory), the same after a restart: a service
    // killed mid-run takes its own CRM lease back at once instead of waiting out its 120 s.
    holderId: `service-${createHash('sha256').update(resolve(config.dataDir)).digest('hex').slice(0, 16)}`,
    signalWaitSeconds: config.signalWaitSeconds,
    ...(options.log ? { log: options.log } : {}),
  });
  await service.start();
  return service;
}
