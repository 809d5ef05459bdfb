/**
 * Starting the service from its configuration (config.ts): the secrets opened (sealing.ts) — or,
 * in the sandbox, the demo's public values — the Graph access chosen (graphAccess.ts), the one
 * listener (listener.ts: control API + Graph's notifications), the mailboxes' subscriptions
 * (src/service/graph), the mailboxes' stores (stores.ts: one SQLite file per mailbox under dataDir,
 * or one PostgreSQL database, migrated first), and the runtime started. scripts/service.ts (the
 * process) and scripts/start.ts (`npm start`) both call it.
 */
import { readFileSync } from 'node:fs';
import type { Timing } from '../sync/scheduler';
import type { ListenOptions } from './api/controlApi';
import { crmVerifier } from './api/verifyCaller';
import { ConfigError, type ServiceConfig } from './config';
import {
  createAppGraphAuth,
  createServiceGraphClient,
  NotificationReceiver,
  SubscriptionManager,
  usersEventsResource,
} from './graph';
import { type GraphAccess, sandboxGraphAccess } from './graphAccess';
import { listenService } from './listener';
import { SyncService } from './runtime';
import { sealingKeyFrom, type ServiceSecrets, unseal } from './sealing';
import { installationDigest, openServiceStores } from './stores';

/** The sandbox CRM's public demo service key (sandbox/crm/seed/demoConstants.ts). */
export const SANDBOX_SERVICE_KEY = 'sandbox-service-key';
/** The Graph emulator's demo application's public secret (sandbox/graph/entra.ts). */
export const SANDBOX_GRAPH_CLIENT_SECRET = 'sandbox-service-secret';

export function openSecrets(config: ServiceConfig, env: NodeJS.ProcessEnv): ServiceSecrets {
  if (config.secretsFile === undefined) {
    if (!config.sandbox) throw new ConfigError('secretsFile is required outside the sandbox');
    return { crmServiceKey: SANDBOX_SERVICE_KEY, graphClientSecret: SANDBOX_GRAPH_CLIENT_SECRET };
  }
  const key = env.SYNC_SERVICE_SEALING_KEY;
  if (!key) throw new ConfigError('SYNC_SERVICE_SEALING_KEY is required to open the secrets');
  return unseal(readFileSync(config.secretsFile, 'utf8'), sealingKeyFrom(key));
}

/** Options of startService beyond the configuration (the process's surroundings, tests). */
export interface StartServiceOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (event: Readonly<Record<string, unknown>>) => void;
  /**
   * With `graphAuth: app`, an Entra ID stand-in to trust: its base URL and its certificate (the
   * sandbox's emulated authority, which makes a self-signed certificate at start-up). Real
   * deployments leave it out (authorityHost from the configuration, the system's trust store).
   */
  readonly authority?: { readonly url: string; readonly caCertificate: string };
  /** The loop's timing (tests: a short debounce); the safety poll comes from pollSeconds. */
  readonly timing?: Partial<Timing>;
  /** How often subscriptions are checked for renewal (default 5 minutes). */
  readonly subscriptionCheckMs?: number;
  /** The subscriptions' clock (tests move it with the emulator's); default Date.now. */
  readonly subscriptionClock?: () => number;
}

/** The running service: the engine's root, its one listener, its subscriptions. */
export interface RunningService {
  readonly service: SyncService;
  readonly subscriptions: SubscriptionManager;
  readonly receiver: NotificationReceiver;
  /** The listener's base URL (the control API is under API_BASE). */
  readonly url: string;
  /** Where Graph posts notifications (config.notificationUrl, or the listener's own). */
  readonly notificationUrl: string;
  stop(): Promise<void>;
}

const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

function graphAccessFor(
  config: ServiceConfig,
  secrets: ServiceSecrets,
  authority: StartServiceOptions['authority'],
): GraphAccess {
  if (config.graphAuth !== 'app') return sandboxGraphAccess(config.graphUrl);
  // Issue 17 item 2: client credentials through MSAL Node (src/service/graph), /users/{id} paths.
  if (!secrets.graphClientSecret) {
    throw new ConfigError('graphAuth app needs graphClientSecret in the sealed secrets');
  }
  const authorityHost = authority?.url ?? config.authorityHost ?? DEFAULT_AUTHORITY;
  const auth = createAppGraphAuth({
    tenantId: config.tenantId ?? '',
    clientId: config.clientId ?? '',
    clientSecret: secrets.graphClientSecret,
    authorityHost,
    // A host MSAL does not know (a stand-in) is trusted without instance discovery.
    ...(authorityHost === DEFAULT_AUTHORITY
      ? {}
      : { knownAuthorities: [new URL(authorityHost).host] }),
    ...(authority ? { caCertificate: authority.caCertificate } : {}),
  });
  // /subscriptions is tenant-wide for an app: one client for every mailbox's subscription.
  const tenant = createServiceGraphClient(auth, { baseUrl: config.graphUrl });
  return {
    clientFor: (mailbox) => createServiceGraphClient(auth, { baseUrl: config.graphUrl, mailbox }),
    subscriptions: {
      clientFor: () => tenant,
      resource: usersEventsResource,
    },
  };
}

function readTls(config: ServiceConfig): ListenOptions['tls'] {
  if (!config.tlsKeyFile || !config.tlsCertFile) return undefined;
  return { key: readFileSync(config.tlsKeyFile), cert: readFileSync(config.tlsCertFile) };
}

/**
 * Starts the service: its listener (control API + notifications) first, so Graph's validation
 * of a new subscription finds it; then the runtime, which subscribes each mailbox it adds.
 */
export async function startService(
  config: ServiceConfig,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const secrets = openSecrets(config, options.env ?? process.env);
  const graph = graphAccessFor(config, secrets, options.authority);
  const log = options.log ?? (() => undefined);
  const tls = readTls(config);
  // The stores first: a database of a newer schema refuses here, before anything listens.
  const stores = await openServiceStores(config, secrets);
  const service = new SyncService({
    crmUrl: config.crmUrl,
    crmServiceKey: secrets.crmServiceKey,
    graph,
    storeFor: (mailbox) => stores.storeFor(mailbox),
    timing: { ...options.timing, pullIntervalMs: config.pollSeconds * 1000 },
    // One holder per installation (its data directory or database), the same after a restart: a
    // service killed mid-run takes its own CRM lease back at once instead of waiting out its 120 s.
    holderId: `service-${installationDigest(stores)}`,
    signalWaitSeconds: config.signalWaitSeconds,
    log,
  });
  let receiver: NotificationReceiver | null = null;
  const listener = await listenService({
    control: service,
    verify: crmVerifier({ crmAddress: config.crmUrl }),
    paneOrigins: config.paneOrigins,
    host: config.host,
    port: config.port,
    ...(tls ? { tls } : {}),
    notifications: () => receiver,
  }).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  try {
    const notificationUrl = config.notificationUrl ?? listener.notificationUrl;
    const subscriptions = new SubscriptionManager({
      graphFor: (mailbox) => graph.subscriptions.clientFor(mailbox),
      resource: (mailbox) => graph.subscriptions.resource(mailbox),
      notificationUrl,
      ...(options.subscriptionClock ? { now: options.subscriptionClock } : {}),
      onResync: (mailbox) => service.resync(mailbox),
      log: (note) => log({ event: 'subscriptions', note }),
    });
    service.attachSubscriptions(subscriptions, options.subscriptionCheckMs);
    receiver = new NotificationReceiver({
      lookup: subscriptions.lookup,
      onChange: (mailbox) => service.onChange(mailbox),
      onLifecycle: (mailbox, event) => service.onLifecycle(mailbox, event),
      log: (note) => log({ event: 'notifications', note }),
    });
    await service.start();
    return {
      service,
      subscriptions,
      receiver,
      url: listener.url,
      notificationUrl,
      stop: async () => {
        await listener.close();
        await service.stop();
        await stores.close();
      },
    };
  } catch (error) {
    await listener.close();
    await stores.close();
    throw error;
  }
}
