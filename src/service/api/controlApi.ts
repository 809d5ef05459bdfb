/**
 * The service's small authenticated control API (issue 17, item 6): what the pane shows when the
 * company runs sync on the service — status, history, set-aside items (retry), trash (restore),
 * "Sync now", the brake's question and its answer — over ServiceControl (../control.ts), for the
 * caller's own mailbox only (verifyCaller.ts). Every request and response is held to its zod schema
 * (schemas.ts); every error is problem+json (problems.ts); CORS admits the pane's origin(s) only.
 *
 * Fastify with fastify-type-provider-zod, as the reference CRM (sandbox/crm/app.ts): the service
 * needs `fastify`, `@fastify/cors` and `fastify-type-provider-zod` at run time.
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { UnknownMailboxError, type ServiceControl } from '../control';
import { ApiProblem, problems, sendProblem, toProblem } from './problems';
import {
  AcceptedResponse,
  API_BASE,
  BrakeAnswerBody,
  BrakeResponse,
  HistoryQuery,
  HistoryResponse,
  ProblemSchema,
  RetryBody,
  ServiceStatusSchema,
  SetAsideResponse,
  TrashIdParams,
  TrashResponse,
} from '../../shared/serviceApi';
import { CallerRejected, type Caller, type VerifyCaller } from './verifyCaller';

export interface ControlApiOptions {
  readonly control: ServiceControl;
  readonly verify: VerifyCaller;
  /** The pane's origin(s), e.g. `https://addin.example.com`: no other page may call the API. */
  readonly paneOrigins: readonly string[];
}

/** Bodies are a few confirmations at most; a brake's held ids are the largest (50 KB is ample). */
const BODY_LIMIT_BYTES = 256 * 1024;

const callers = new WeakMap<FastifyRequest, Caller>();

function callerOf(request: FastifyRequest): Caller {
  const caller = callers.get(request);
  // The hook below runs before every route of the scope: a route without it is a programming error.
  if (!caller) throw problems.unauthorized();
  return caller;
}

/** `Authorization: Bearer <token>` and `X-Api-Key: <key>`, or nothing usable. */
function credentialOf(request: FastifyRequest) {
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header);
  const apiKey = request.headers['x-api-key'];
  if (!bearer?.[1] || typeof apiKey !== 'string' || apiKey.length > 1024) return null;
  return { apiKey, accessToken: bearer[1] };
}

const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  503: ProblemSchema,
};

export async function buildControlApi(
  options: ControlApiOptions,
  tls?: ListenOptions['tls'],
): Promise<FastifyInstance> {
  const { control, verify } = options;
  const app = Fastify({
    logger: false,
    // https when given a key and certificate (listenControlApi insists on it off loopback).
    serverFactory: (handler) =>
      tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createServer(handler),
    bodyLimit: BODY_LIMIT_BYTES,
    frameworkErrors: (error, _request, reply) => sendProblem(reply, toProblem(error)),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, _request, reply) =>
    sendProblem(reply, toProblem(error instanceof Error ? error : new Error(String(error)))),
  );
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, problems.notFound().init));
  app.addHook('onSend', async (_request, reply) => {
    // The answers are one person's own state: no cache keeps them.
    reply.header('Cache-Control', 'no-store');
  });
  await app.register(cors, {
    // Only the pane's page may read the answers (a credentialed call from any other origin is
    // refused by the browser); the credential is a header, never a cookie.
    origin: [...options.paneOrigins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type', 'X-Api-Key', 'Authorization'],
    maxAge: 600,
  });

  await app.register(
    async (scope) => {
      const api = scope.withTypeProvider<ZodTypeProvider>();
      api.addHook('onRequest', async (request) => {
        const credential = credentialOf(request);
        if (!credential) throw problems.unauthorized();
        try {
          callers.set(request, await verify(credential));
        } catch (error) {
          if (!(error instanceof CallerRejected)) throw error;
          if (error.reason === 'notPaired') throw problems.notPaired();
          if (error.reason === 'crmUnavailable') throw problems.crmUnavailable();
          throw problems.unauthorized();
        }
      });

      /** Runs `work` for the caller's mailbox; a mailbox the service does not sync is a 404. */
      const forCaller = async <T>(
        request: FastifyRequest,
        work: (mailboxId: string) => Promise<T>,
      ): Promise<T> => {
        try {
          return await work(callerOf(request).mailboxId);
        } catch (error) {
          if (error instanceof UnknownMailboxError) throw problems.unknownMailbox();
          throw error;
        }
      };

      api.get('/status', {
        schema: { response: { 200: ServiceStatusSchema, ...errorResponses } },
        handler: (request) => forCaller(request, (m) => control.status(m)),
      });
      api.get('/history', {
        schema: {
          querystring: HistoryQuery,
          response: { 200: HistoryResponse, ...errorResponses },
        },
        handler: (request) =>
          forCaller(request, async (m) => ({
            items: await control.history(m, request.query.limit),
          })),
      });
      api.get('/set-aside', {
        schema: { response: { 200: SetAsideResponse, ...errorResponses } },
        handler: (request) =>
          forCaller(request, async (m) => ({ items: await control.setAside(m) })),
      });
      api.post('/set-aside/retry', {
        schema: { body: RetryBody, response: { 200: AcceptedResponse, ...errorResponses } },
        handler: (request) =>
          forCaller(request, async (m) => {
            await control.retry(m, request.body.itemKey);
            return { accepted: true };
          }),
      });
      api.get('/trash', {
        schema: { response: { 200: TrashResponse, ...errorResponses } },
        handler: (request) => forCaller(request, async (m) => ({ items: await control.trash(m) })),
      });
      api.post('/trash/:id/restore', {
        schema: { params: TrashIdParams, response: { 200: AcceptedResponse, ...errorResponses } },
        handler: (request) =>
          forCaller(request, async (m) => ({
            accepted: await control.restore(m, request.params.id),
          })),
      });
      api.post('/sync', {
        schema: { response: { 200: AcceptedResponse, ...errorResponses } },
        handler: (request) =>
          forCaller(request, async (m) => {
            await control.syncNow(m);
            return { accepted: true };
          }),
      });
      api.get('/brake', {
        schema: { response: { 200: BrakeResponse, ...errorResponses } },
        handler: (request) =>
          forCaller(request, async (m) => ({ asked: await control.brakeQuestion(m) })),
      });
      api.post('/brake/answer', {
        schema: { body: BrakeAnswerBody, response: { 200: AcceptedResponse, ...errorResponses } },
        handler: (request) =>
          forCaller(request, async (m) => ({
            accepted: await control.confirmBrake(m, request.body.confirmation),
          })),
      });
    },
    { prefix: API_BASE },
  );
  return app;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** PEM key and certificate; required unless `host` is a loopback address. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
}

/** An address other than loopback only over TLS: the requests carry a person's CRM token. */
export class InsecureListenError extends Error {
  override readonly name = 'InsecureListenError';
  constructor(host: string) {
    super(`The control API listens on ${host} only over https (give it a key and certificate)`);
  }
}

/**
 * Starts the API: https with `tls`, plain http only on loopback (the sandbox, tests, or a TLS
 * proxy on the same host). Returns its URL.
 */
export async function listenControlApi(
  options: ControlApiOptions & ListenOptions,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  if (!options.tls && !LOOPBACK.has(options.host)) throw new InsecureListenError(options.host);
  const app = await buildControlApi(options, options.tls);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () => app.close(),
  };
}

export { ApiProblem };
