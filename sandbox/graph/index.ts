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
import { createMailboxes, seedDemoEvents } from './seed';
import { GraphStore } from './store';

export { DEMO_MAILBOXES, DEMO_CRM_PROPERTY } from './seed';
export type { FaultController, FaultSpec, RequestBudget } from './faults';
export type { MailEntry } from './types';

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
}

/** Test and tooling access to the running emulator. */
export interface GraphEmulatorHandle {
  store: GraphStore;
  faults: FaultController;
  /** Writes the snapshot now (it is also written ~50 ms after each change and on close). */
  flush(): void;
  /** The mail log (also GET /sandbox/mail): every invitation, update and cancellation sent. */
  readonly mail: readonly MailEntry[];
}

const CORS_HEADERS = ['Authorization', 'Prefer', 'If-Match', 'Content-Type', 'client-request-id'];
const EXPOSED = ['ETag', 'Retry-After', 'Preference-Applied', 'Location', 'client-request-id'];

/** Builds the emulator as a Fastify app; `app.emulator` is the handle (state, faults, flush). */
export async function buildGraphApp(
  opts: GraphServerOptions,
): Promise<FastifyInstance & { emulator: GraphEmulatorHandle }> {
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
  const ctx: EmulatorContext = {
    store,
    faults,
    now,
    internalSecret: randomBytes(16).toString('hex'),
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
    },
    { prefix: '/v1.0' },
  );
  app.addHook('onClose', async () => store.flush());
  const handle: GraphEmulatorHandle = {
    store,
    faults,
    flush: () => store.flush(),
    get mail() {
      return store.state.mail ?? [];
    },
  };
  return Object.assign(app, { emulator: handle });
}

/** Starts the emulator on `host:port` (port 0 = any free port). */
export async function startGraphServer(
  opts: GraphServerOptions & { port: number; host?: string },
): Promise<{
  url: string;
  close(): Promise<void>;
  faults: FaultController;
  emulator: GraphEmulatorHandle;
}> {
  const app = await buildGraphApp(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${host}:${port}`,
    close: () => app.close(),
    faults: app.emulator.faults,
    emulator: app.emulator,
  };
}
