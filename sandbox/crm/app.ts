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
import { IdempotencyStore } from './domain/idempotency';
import { Sessions } from './domain/sessions';
import { authHooks } from './http/auth';
import { installErrorHandling } from './http/errorHandler';
import { registerOpenApi } from './http/openapi';
import { apiRoutes } from './routes';
import { FaultInjector } from './sandboxApi/faults';
import { sandboxRoutes } from './sandboxApi/routes';
import { resetDatabase, seedDemo } from './seed/demo';
import { webAppRoutes } from './webApp';

export interface CrmServerOptions {
  /** SQLite file path, or ':memory:'. */
  dbPath: string;
  /** Load the demo company when the database is new. Default true. */
  seedDemoData?: boolean;
  /** Injectable clock (ms since epoch). Default Date.now. */
  now?: () => number;
  /** Access token lifetime. Default 900 s. */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime. Default 30 days. */
  refreshTokenTtlSeconds?: number;
  /** How long change-log rows are kept before compaction. Default 30 days. */
  changeRetention?: { maxAgeSeconds: number };
  /** Browser origins allowed by CORS. Default: the task pane dev server on port 3000. */
  corsOrigins?: string[];
  logger?: boolean;
}

export const BODY_LIMIT_BYTES = 256 * 1024;
const DAY_S = 86_400;

export async function buildCrmApp(opts: CrmServerOptions): Promise<FastifyInstance> {
  const clock = createClock(opts.now);
  const { db, isNew } = openDatabase(opts.dbPath, clock.now());
  const seed = opts.seedDemoData ?? true;
  if (isNew && seed) seedDemo(db, clock.now());

  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: BODY_LIMIT_BYTES });
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

  const sessions = new Sessions(db, clock, {
    accessTtlSeconds: opts.accessTokenTtlSeconds ?? 900,
    refreshTtlSeconds: opts.refreshTokenTtlSeconds ?? 30 * DAY_S,
  });
  const faults = new FaultInjector();
  const ctx: CrmContext = {
    db,
    clock,
    sessions,
    activities: new ActivityStore(
      db,
      clock,
      (opts.changeRetention?.maxAgeSeconds ?? 30 * DAY_S) * 1000,
    ),
    idempotency: new IdempotencyStore(db, clock),
    auth: authHooks(db, sessions),
    faults,
    reset: () => {
      resetDatabase(db);
      if (seed) seedDemo(db, clock.now());
    },
  };
  app.addHook('onRequest', faults.hook);
  await app.register(async (scope) => apiRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx), {
    prefix: '/api/v1',
  });
  await app.register(
    async (scope) => sandboxRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx),
    {
      prefix: '/sandbox',
    },
  );
  await app.register(async (scope) => webAppRoutes(scope.withTypeProvider<ZodTypeProvider>()), {
    prefix: '/app',
  });
  app.addHook('onClose', async () => {
    db.close();
  });
  return app;
}
