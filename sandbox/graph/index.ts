import { randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { EmulatorContext } from './context';
import { expireDeltaStates } from './delta';
import { GraphError, sendGraphError } from './errors';
import { DEFAULT_BUDGET, Faults, type FaultController, type RequestBudget } from './faults';
import type { MailEntry } from './types';
import { registerGraphHooks } from './hooks';
import { registerBatchRoute } from './routes/batch';
import { registerContactRoutes } from './routes/contacts';
import { registerDeltaRoutes } from './routes/delta';
import { registerEventRoutes } from './routes/events';
import { registerMeRoutes } from './routes/me';
import { registerMeetingRoutes } from './routes/meetings';
import { registerSandboxRoutes } from './routes/sandbox';
import { registerViewRoutes } from './routes/views';
import { EVENT_SUBSCRIPTION_MAX_MINUTES, registerSubscriptionRoutes } from './routes/subscriptions';
import { createMailboxes, seedDemoEvents } from './seed';
import { GraphStore } from './store';
import { DEFAULT_NOTIFIER, Notifier, type NotifierOptions } from './subscriptions';
import { startAuthority, type AuthorityHandle } from './tls';
import type { AppRegistration } from './types';

export { DEMO_MAILBOXES, DEMO_CRM_PROPERTY } from './seed';
export type { FaultController, FaultSpec, RequestBudget } from './faults';
export type { AppRegistration, MailEntry } from './types';
export type { AuthorityHandle } from './tls';
export type { NotifierOptions } from './subscriptions';
export { DEMO_APPLICATION, DEMO_TENANT_ID, instanceDiscovery, openIdConfiguration } from './entra';

export interface GraphServerOptions {
  /** JSON snapshot path; absent = in-memory only. */
  dataFile?: string;
  /** Demo events (default true when no snapshot exists). Mailboxes and calendars always exist. */
  seedDemoData?: boolean;
  now?: () => number;
  /** Graph's Outlook limit: 4 concurrent requests per app and mailbox. */
  maxConcurrentPerMailbox?: number;
  /** Graph's Outlook limit: 10,000 requests per 10 minutes per app and mailbox (the default). */
  requestBudget?: Partial<RequestBudget>;
  logger?: boolean;
  /** App registrations of the emulated tenant (entra.ts), added or replaced at start. */
  applications?: AppRegistration[];
  /** Change notification timings (validation 10 s, delivery 3 s, batching, retries). */
  notifications?: Partial<NotifierOptions>;
  /** The longest event subscription (default 4,230 minutes, resources/subscription.md). */
  subscriptionMaxMinutes?: number;
}

/** Test and tooling access to the running emulator. */
export interface GraphEmulatorHandle {
  store: GraphStore;
  faults: FaultController;
  /** Writes the snapshot now (it is also written ~50 ms after each change and on close). */
  flush(): void;
  /** The mail log (also GET /sandbox/mail): every invitation, update and cancellation sent. */
  readonly mail: readonly MailEntry[];
  /** Change notifications (subscriptions in force, delivery). */
  notifier: Notifier;
}

const CORS_HEADERS = ['Authorization', 'Prefer', 'If-Match', 'Content-Type', 'client-request-id'];
const EXPOSED = ['ETag', 'Retry-After', 'Preference-Applied', 'Location', 'client-request-id'];

/** Builds the emulator as a Fastify app; `app.emulator` is the handle (state, faults, flush). */
export async function buildGraphApp(
  opts: GraphServerOptions,
): Promise<FastifyInstance & { emulator: GraphEmulatorHandle; emulatorContext: EmulatorContext }> {
  const now = opts.now ?? Date.now;
  const store = new GraphStore(opts.dataFile, now);
  if (!store.loadedFromSnapshot) {
    createMailboxes(store);
    if (opts.seedDemoData ?? true) seedDemoEvents(store);
  }
  const faults = new Faults(opts.maxConcurrentPerMailbox ?? 4, (m) => expireDeltaStates(store, m), {
    ...DEFAULT_BUDGET,
    ...opts.requestBudget,
  });
  for (const a of opts.applications ?? []) {
    (store.state.applications ??= {})[a.clientId] = {
      ...a,
      mailboxes: a.mailboxes === null ? null : a.mailboxes.map((m) => m.toLowerCase()),
    };
  }
  let audience = 'http://127.0.0.1';
  const ctx: EmulatorContext = {
    store,
    faults,
    now,
    internalSecret: randomBytes(16).toString('hex'),
    notifier: new Notifier(store, now, { ...DEFAULT_NOTIFIER, ...opts.notifications }),
    subscriptionMaxMinutes: opts.subscriptionMaxMinutes ?? EVENT_SUBSCRIPTION_MAX_MINUTES,
    graphAudience: () => audience,
  };

  const app: FastifyInstance = Fastify({ logger: opts.logger ?? false });
  await app.register(cors, {
    origin: [/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/],
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_HEADERS,
    exposedHeaders: EXPOSED,
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(
        new GraphError(
          400,
          'BadRequest',
          'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
        ),
        undefined,
      );
    }
  });
  app.setErrorHandler((err: FastifyError | GraphError, req, reply) => {
    const cid = req.headers['client-request-id'] as string | undefined;
    if (err instanceof GraphError) return sendGraphError(reply, err, now(), cid);
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error(err);
    const code =
      status === 415 ? 'UnsupportedMediaType' : status < 500 ? 'BadRequest' : 'generalException';
    return sendGraphError(
      reply,
      new GraphError(status, code, status < 500 ? err.message : 'An internal error occurred.'),
      now(),
      cid,
    );
  });
  app.setNotFoundHandler((req, reply) =>
    sendGraphError(
      reply,
      new GraphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${req.url.split('?')[0] ?? ''}'.`,
      ),
      now(),
    ),
  );
  registerSandboxRoutes(app, ctx);
  await app.register(
    async (v1) => {
      registerGraphHooks(v1, ctx);
      registerMeRoutes(v1, ctx);
      registerEventRoutes(v1, ctx);
      registerMeetingRoutes(v1, ctx);
      registerViewRoutes(v1, ctx);
      registerDeltaRoutes(v1, ctx);
      registerContactRoutes(v1, ctx);
      registerBatchRoute(v1, ctx);
      registerSubscriptionRoutes(v1, ctx);
    },
    { prefix: '/v1.0' },
  );
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (typeof address === 'object' && address) audience = `http://127.0.0.1:${address.port}`;
  });
  app.addHook('onClose', async () => {
    ctx.notifier.close();
    store.flush();
  });
  const handle: GraphEmulatorHandle = {
    store,
    faults,
    notifier: ctx.notifier,
    flush: () => store.flush(),
    get mail() {
      return store.state.mail ?? [];
    },
  };
  return Object.assign(app, { emulator: handle, emulatorContext: ctx });
}

/**
 * Starts the emulator on `host:port` (port 0 = any free port). With `authority`, also the
 * emulated Entra ID login host on https (tls.ts) at `authorityPort` (default any free port).
 */
export async function startGraphServer(
  opts: GraphServerOptions & {
    port: number;
    host?: string;
    authority?: boolean;
    authorityPort?: number;
  },
): Promise<{
  url: string;
  close(): Promise<void>;
  faults: FaultController;
  emulator: GraphEmulatorHandle;
  /** The https login host, when `authority` was asked for. */
  authority: AuthorityHandle | null;
}> {
  const app = await buildGraphApp(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let authority: AuthorityHandle | null = null;
  try {
    if (opts.authority) {
      authority = await startAuthority(app.emulatorContext, host, opts.authorityPort ?? 0);
    }
  } catch (err) {
    await app.close();
    throw err;
  }
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      await authority?.close();
      await app.close();
    },
    faults: app.emulator.faults,
    emulator: app.emulator,
    authority,
  };
}
