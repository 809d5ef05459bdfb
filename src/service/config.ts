/**
 * The service's configuration (issue 17, item 1): from the environment, or a JSON file named by
 * SYNC_SERVICE_CONFIG (the environment wins), checked by zod with a message per field. Secrets are
 * not configuration: they come sealed from `secretsFile` (sealing.ts), opened with the key in
 * SYNC_SERVICE_SEALING_KEY — or, in the sandbox only, from the demo's public values.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const httpUrl = (name: string) =>
  z
    .string({ message: `${name} is required` })
    .refine((s) => URL.canParse(s), { message: `${name} must be an absolute URL` })
    .refine(
      (s) => {
        if (!URL.canParse(s)) return true; // the refinement above names it
        const url = new URL(s);
        return (
          url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))
        );
      },
      { message: `${name} must be https (http only on loopback)` },
    );

export const ServiceConfigSchema = z
  .strictObject({
    /** The CRM's address (the add-in's "CRM address"). */
    crmUrl: httpUrl('crmUrl'),
    /** Graph's base URL with its version: https://graph.microsoft.com/v1.0, or the emulator's. */
    graphUrl: httpUrl('graphUrl'),
    /**
     * How the service gets Graph tokens: `app` — client credentials for the Entra application
     * (src/service/graph, MSAL Node); `sandbox` — the emulator's per-mailbox token endpoint.
     */
    graphAuth: z.enum(['app', 'sandbox'], { message: 'graphAuth must be app or sandbox' }),
    /** With `app`: the tenant and the application (client) id. */
    tenantId: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    /**
     * Where the mailboxes' stores live (issue 18): `sqlite` — one file per mailbox under
     * dataDir, one process (what `npm start` runs; the default); `postgres` — one database at
     * postgresUrl shared by every mailbox and every worker.
     */
    store: z
      .enum(['sqlite', 'postgres'], { message: 'store must be sqlite or postgres' })
      .optional(),
    /** Where each mailbox's SQLite store lives (one file per mailbox). */
    dataDir: z.string().min(1, 'dataDir must not be empty'),
    /**
     * With `store: postgres`: the database, `postgres://user@host:port/database` — its password
     * in the sealed secrets (postgresPassword), never here, outside the sandbox. Off loopback the
     * connection must be TLS (`sslmode=require`, `verify-ca` or `verify-full`).
     */
    postgresUrl: z
      .string()
      .refine((s) => URL.canParse(s) && /^postgres(ql)?:$/.test(new URL(s).protocol), {
        message: 'postgresUrl must be a postgres:// URL',
      })
      .optional(),
    /** The sealed secrets (sealing.ts); not needed in the sandbox. */
    secretsFile: z.string().min(1).optional(),
    /**
     * Where the service's one listener listens — its control API (src/service/api) and Graph's
     * change notifications (NOTIFICATION_PATH); 0: any free port. Off loopback only over TLS.
     */
    port: z.coerce.number().int().min(0).max(65_535),
    host: z.string().min(1),
    /** The listener's key and certificate (PEM files): required unless `host` is loopback. */
    tlsKeyFile: z.string().min(1).optional(),
    tlsCertFile: z.string().min(1).optional(),
    /**
     * The public URL Graph posts change and lifecycle notifications to: the listener's
     * NOTIFICATION_PATH as the internet reaches it (through a TLS proxy, say). Graph requires
     * https (concepts/change-notifications-delivery-webhooks.md); http only on loopback. Required
     * outside the sandbox; the sandbox derives it from the listener's own address.
     */
    notificationUrl: httpUrl('notificationUrl').optional(),
    /** The task pane's origin(s): the only pages the control API answers (CORS). */
    paneOrigins: z.preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((o) => o.trim())
              .filter((o) => o !== '')
          : v,
      z.array(httpUrl('paneOrigins')),
    ),
    /**
     * With `app`: the Entra ID host (https), for a national cloud or the sandbox's stand-in;
     * default https://login.microsoftonline.com.
     */
    authorityHost: httpUrl('authorityHost').optional(),
    /** The safety poll (SPEC S2): every mailbox runs at least this often. Default 5 minutes. */
    pollSeconds: z.coerce.number().int().min(30).max(3_600),
    /** How long one long-poll of the CRM's change signal waits (≤ 50, the contract's bound). */
    signalWaitSeconds: z.coerce.number().int().min(1).max(50),
    /** The sandbox: the demo's public service key and the emulator's tokens; loopback only. */
    sandbox: z.boolean(),
  })
  .superRefine((config, ctx) => {
    if (config.graphAuth === 'app' && (!config.tenantId || !config.clientId)) {
      ctx.addIssue({ code: 'custom', message: 'graphAuth app needs tenantId and clientId' });
    }
    if (!LOOPBACK.has(config.host) && (!config.tlsKeyFile || !config.tlsCertFile)) {
      ctx.addIssue({
        code: 'custom',
        message: 'host: off loopback the listener needs tlsKeyFile and tlsCertFile (https)',
      });
    }
    if (!config.sandbox && config.notificationUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'notificationUrl is required outside the sandbox (Graph posts to it)',
      });
    }
    if (
      config.authorityHost !== undefined &&
      URL.canParse(config.authorityHost) &&
      new URL(config.authorityHost).protocol !== 'https:'
    ) {
      ctx.addIssue({ code: 'custom', message: 'authorityHost must be https (MSAL requires it)' });
    }
    postgresIssues(config).forEach((message) => ctx.addIssue({ code: 'custom', message }));
    if (!config.sandbox && config.secretsFile === undefined) {
      ctx.addIssue({ code: 'custom', message: 'secretsFile is required outside the sandbox' });
    }
    if (config.sandbox) {
      for (const [name, url] of [
        ['crmUrl', config.crmUrl],
        ['graphUrl', config.graphUrl],
      ] as const) {
        if (URL.canParse(url) && !LOOPBACK.has(new URL(url).hostname)) {
          ctx.addIssue({ code: 'custom', message: `sandbox: ${name} must be loopback` });
        }
      }
    }
  });

export type ServiceConfig = z.infer<typeof ServiceConfigSchema>;

/** What is wrong with the PostgreSQL store's settings (issue 18), as messages. */
function postgresIssues(config: {
  store?: 'sqlite' | 'postgres' | undefined;
  postgresUrl?: string | undefined;
  sandbox: boolean;
}): string[] {
  if (config.store !== 'postgres') return [];
  if (config.postgresUrl === undefined) return ['store postgres needs postgresUrl'];
  if (!URL.canParse(config.postgresUrl)) return []; // the field's own check names it
  const url = new URL(config.postgresUrl);
  const issues: string[] = [];
  if (url.password !== '' && !config.sandbox) {
    issues.push('postgresUrl must not hold a password: seal it as postgresPassword');
  }
  const ssl = url.searchParams.get('sslmode');
  if (!LOOPBACK.has(url.hostname) && !['require', 'verify-ca', 'verify-full'].includes(ssl ?? '')) {
    issues.push('postgresUrl: off loopback the connection needs sslmode=require or verify-*');
  }
  return issues;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const DEFAULTS = {
  graphAuth: 'app',
  store: 'sqlite',
  dataDir: './data/service',
  port: 3004,
  host: '127.0.0.1',
  paneOrigins: [],
  pollSeconds: 300,
  signalWaitSeconds: 30,
  sandbox: false,
} as const;

/** The environment's names for each field. */
const ENV: Record<string, string> = {
  crmUrl: 'SYNC_SERVICE_CRM_URL',
  graphUrl: 'SYNC_SERVICE_GRAPH_URL',
  graphAuth: 'SYNC_SERVICE_GRAPH_AUTH',
  tenantId: 'SYNC_SERVICE_TENANT_ID',
  clientId: 'SYNC_SERVICE_CLIENT_ID',
  store: 'SYNC_SERVICE_STORE',
  dataDir: 'SYNC_SERVICE_DATA_DIR',
  postgresUrl: 'SYNC_SERVICE_POSTGRES_URL',
  secretsFile: 'SYNC_SERVICE_SECRETS_FILE',
  port: 'SYNC_SERVICE_PORT',
  host: 'SYNC_SERVICE_HOST',
  tlsKeyFile: 'SYNC_SERVICE_TLS_KEY_FILE',
  tlsCertFile: 'SYNC_SERVICE_TLS_CERT_FILE',
  notificationUrl: 'SYNC_SERVICE_NOTIFICATION_URL',
  paneOrigins: 'SYNC_SERVICE_PANE_ORIGINS',
  authorityHost: 'SYNC_SERVICE_AUTHORITY_HOST',
  pollSeconds: 'SYNC_SERVICE_POLL_SECONDS',
  signalWaitSeconds: 'SYNC_SERVICE_SIGNAL_WAIT_SECONDS',
};

/**
 * The configuration from `env` (and the file SYNC_SERVICE_CONFIG names), defaults filled in.
 * @throws ConfigError naming every field that is wrong.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): ServiceConfig {
  let file: Record<string, unknown> = {};
  const path = env.SYNC_SERVICE_CONFIG;
  if (path) {
    try {
      const parsed: unknown = JSON.parse(readFile(path));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('not a JSON object');
      }
      file = parsed as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(
        `SYNC_SERVICE_CONFIG (${path}) could not be read: ${(error as Error).message}`,
      );
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[field] = value;
  }
  if (env.SYNC_SERVICE_SANDBOX !== undefined) fromEnv.sandbox = env.SYNC_SERVICE_SANDBOX === '1';
  const parsed = ServiceConfigSchema.safeParse({ ...DEFAULTS, ...file, ...fromEnv });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues
        .map((issue) => {
          const field = issue.path.join('.');
          const name = ENV[field];
          return field ? `${field}${name ? ` [${name}]` : ''}: ${issue.message}` : issue.message;
        })
        .join('\n'),
    );
  }
  return parsed.data;
}
