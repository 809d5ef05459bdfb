import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, setRequestMailbox, setRequestPrincipal } from './auth';
import { appMailbox } from './appAccess';
import type { EmulatorContext } from './context';
import { GraphError, sendGraphError } from './errors';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The /v1.0 pipeline before a handler: bearer token (a person's, or an app's with its roles and
 * application access policy) → per-mailbox request budget (10,000 per
 * 10 minutes, GraphServerOptions.requestBudget) → per-mailbox concurrency (Graph's Outlook
 * limit is 4 concurrent requests per app and mailbox; more → 429 ApplicationThrottled with
 * Retry-After) → injected faults (latency, status with Retry-After, dropped connection).
 * A $batch envelope itself is not counted; each of its sub-requests is, as in Graph.
 */
export function registerGraphHooks(app: FastifyInstance, ctx: EmulatorContext): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'OPTIONS') return;
    const now = ctx.now();
    const clientRequestId = req.headers['client-request-id'] as string | undefined;
    if (clientRequestId) void reply.header('client-request-id', clientRequestId);
    try {
      const principal = authenticate(
        req,
        ctx.store.state.secret,
        now,
        (m) => m in ctx.store.state.mailboxes,
        (appId) => appId in (ctx.store.state.applications ?? {}),
      );
      setRequestPrincipal(req, principal);
      // An app token names its mailbox in the path (/users/{id|upn}/…); /me is refused, and the
      // app's permissions and access policy are checked here (appAccess.ts).
      const mailbox =
        principal.kind === 'user' ? principal.mailbox : appMailbox(ctx, req, principal);
      if (mailbox === null) return; // /subscriptions, the $batch envelope: no one mailbox
      setRequestMailbox(req, mailbox);
      if (req.url.startsWith('/v1.0/$batch')) return;
      const retryAfter = ctx.faults.spend(mailbox, now);
      if (retryAfter !== null) {
        // concepts/throttling-limits.md (Outlook service limits) and concepts/throttling.md:
        // 429 Too Many Requests with Retry-After in seconds.
        throw new GraphError(
          429,
          'ApplicationThrottled',
          'Application is over its MailboxRequests limit.',
          { 'Retry-After': String(retryAfter) },
        );
      }
      if (!ctx.faults.acquire(mailbox)) {
        throw new GraphError(
          429,
          'ApplicationThrottled',
          'Application is over its MailboxConcurrency limit.',
          {
            'Retry-After': '1',
          },
        );
      }
      let released = false;
      const release = () => {
        if (!released) ctx.faults.release(mailbox);
        released = true;
      };
      reply.raw.once('close', release);
      reply.raw.once('finish', release);
      const internal = req.headers['x-emulator-internal'] === ctx.internalSecret;
      for (const fault of ctx.faults.take(req.method, req.url)) {
        if (fault.kind === 'latency') await sleep(fault.ms);
        else if (fault.kind === 'drop') {
          release();
          if (internal)
            throw new GraphError(502, 'BadGateway', 'The connection was dropped (injected).');
          req.raw.socket.destroy();
          return reply.hijack();
        } else {
          const retry =
            fault.retryAfterSeconds ??
            (fault.status === 429 || fault.status === 503 ? 1 : undefined);
          const code =
            fault.code ??
            (fault.status === 429
              ? 'TooManyRequests'
              : fault.status === 503
                ? 'ServiceUnavailable'
                : 'InternalServerError');
          throw new GraphError(
            fault.status,
            code,
            `Injected fault: ${fault.status}.`,
            retry === undefined ? {} : { 'Retry-After': String(retry) },
          );
        }
      }
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return sendGraphError(reply, err, now, clientRequestId);
    }
  });
}
