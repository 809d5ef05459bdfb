/** Builds the reference CRM server: database, plugins, hooks and routes. */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { CrmContext } from './context';
import { openDatabase } from './db/open';
import { ActivityStore } from './domain/activityStore';
import { createClock } from './domain/clock';
import {
  DEFAULT_EXTRANET_PASSWORD_TTL_SECONDS,
  type DeliverInvitation,
  ExtranetShares,
  outboxDelivery,
} from './domain/extranetShares';
import { IdempotencyStore } from './domain/idempotency';
import { Passwords, type ScryptCost } from './domain/secrets';
import { Sessions } from './domain/sessions';
import { type SignInLimits, SignInLimiter } from './domain/signInLimits';
import { authHooks } from './http/auth';
import { fromFastifyError, installErrorHandling } from './http/errorHandler';
import { sendProblem } from './http/problem';
import { BODY_LIMIT_BYTES } from './http/limits';
import { registerOpenApi } from './http/openapi';
import { apiRoutes } from './routes';
import { REFERENCE_CAPABILITIES } from './routes/bulk';
import { FaultInjector } from './sandboxApi/faults';
import { sandboxRoutes } from './sandboxApi/routes';
import { resetDatabase, seedDemo } from './seed/demo';
import { DEMO } from './seed/demoConstants';
import { webAppRoutes } from './webApp';

export interface CrmServerOptions {
  /** SQLite file path, or ':memory:'. */
  dbPath: string;
  /**
   * The sandbox configuration (`npm start`, the tests): mounts the /sandbox controls (fault
   * injection, clock, reset, the extranet outbox) and loads the demo company, whose API keys and
   * password are public, into a new store. Default false: a server as a vendor runs it, with
   * neither — its companies, keys and users come from the vendor's own provisioning.
   */
  sandbox?: boolean;
  /** With `sandbox`: load the demo company when the database is new. Default true. */
  seedDemoData?: boolean;
  /**
   * scrypt work factor for new password hashes. Default OWASP's (N=2^17, r=8, p=1). Tests
   * lower it to keep sign-ins cheap; hashes record their cost, so any cost verifies.
   */
  passwordCost?: ScryptCost;
  /** Observes each password hash's start and end (a test proves hashing is off the event loop). */
  onPasswordHash?: (phase: 'start' | 'end') => void;
  /** Sign-in throttling. Default 5 failures per user name, 20 per address, per 15 min. */
  signInLimits?: SignInLimits;
  /** How long an extranet one-time password works. Default 900 s. */
  extranetPasswordTtlSeconds?: number;
  /**
   * Mails an extranet invitation (with its one-time password). The sandbox keeps invitations in
   * its outbox instead; a server that is neither sandbox nor given this sends none.
   */
  deliverInvitation?: DeliverInvitation;
  /** Injectable clock (ms since epoch). Default Date.now. */
  now?: () => number;
  /** Access token lifetime. Default 900 s. */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime. Default 30 days. */
  refreshTokenTtlSeconds?: number;
  /** How long change-log rows are kept before compaction. Default 30 days. */
  changeRetention?: { maxAgeSeconds: number };
  /**
   * Issue 16: offer the optional bulk operations (announced in GET /capabilities). Default true;
   * false answers as a CRM without them: an empty capabilities document, no bulk routes.
   */
  bulk?: boolean;
  /** Browser origins allowed by CORS. Default: the task pane dev server on port 3000. */
  corsOrigins?: string[];
  logger?: boolean;
}

export { BODY_LIMIT_BYTES };
const DAY_S = 86_400;

export async function buildCrmApp(opts: CrmServerOptions): Promise<FastifyInstance> {
  const sandbox = opts.sandbox ?? false;
  if (!sandbox && opts.seedDemoData) {
    throw new Error('Demo data (public keys and passwords) needs the sandbox configuration.');
  }
  const clock = createClock(opts.now);
  const passwords = new Passwords(opts.passwordCost, opts.onPasswordHash);
  const { db, isNew } = openDatabase(opts.dbPath, clock.now());
  const seed = sandbox && (opts.seedDemoData ?? true);
  const loadDemo = async () => seedDemo(db, clock.now(), await passwords.hash(DEMO.password));
  if (isNew && seed) await loadDemo();

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // The router's own refusals (a path parameter past maxParamLength, a malformed URL) are
    // answered as every other error: RFC 9457 problem+json (http/errorHandler.ts).
    frameworkErrors: (error, _request, reply) => sendProblem(reply, fromFastifyError(error)),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: anything else is 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app);
  await app.register(cors, {
    origin: opts.corsOrigins ?? ['http://localhost:3000', 'https://localhost:3000'],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'X-Api-Key', 'Authorization', 'If-Match', 'Idempotency-Key'],
    exposedHeaders: ['ETag', 'Retry-After', 'Location'],
    maxAge: 600,
  });
  await registerOpenApi(app);

  const sessions = new Sessions(
    db,
    clock,
    {
      accessTtlSeconds: opts.accessTokenTtlSeconds ?? 900,
      refreshTtlSeconds: opts.refreshTokenTtlSeconds ?? 30 * DAY_S,
    },
    passwords,
    new SignInLimiter(clock, opts.signInLimits),
  );
  const faults = new FaultInjector();
  const deliver: DeliverInvitation =
    opts.deliverInvitation ??
    (sandbox
      ? outboxDelivery(db)
      : () => app.log.warn('extranet invitation not sent: no deliverInvitation configured'));
  const ctx: CrmContext = {
    db,
    clock,
    sessions,
    passwords,
    activities: new ActivityStore(
      db,
      clock,
      (opts.changeRetention?.maxAgeSeconds ?? 30 * DAY_S) * 1000,
    ),
    idempotency: new IdempotencyStore(db, clock),
    extranet: new ExtranetShares(
      db,
      deliver,
      (opts.extranetPasswordTtlSeconds ?? DEFAULT_EXTRANET_PASSWORD_TTL_SECONDS) * 1000,
    ),
    auth: authHooks(db, sessions),
    capabilities: opts.bulk === false ? {} : REFERENCE_CAPABILITIES,
    faults,
    reset: async () => {
      resetDatabase(db);
      if (seed) await loadDemo();
    },
  };
  if (sandbox) app.addHook('onRequest', faults.hook);
  await app.register(async (scope) => apiRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx), {
    prefix: '/api/v1',
  });
  if (sandbox) {
    await app.register(
      async (scope) => sandboxRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx),
      { prefix: '/sandbox' },
    );
  }
  await app.register(
    async (scope) => webAppRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx),
    { prefix: '/app' },
  );
  app.addHook('onClose', async () => {
    db.close();
  });
  return app;
}
