/**
 * The service's one listener (issue 17): the pane's control API (src/service/api, under API_BASE)
 * and Graph's change and lifecycle notifications (NOTIFICATION_PATH, src/service/graph's
 * NotificationReceiver) on one address. https with a key and certificate; plain http only on
 * loopback (the sandbox, tests, or a TLS proxy on the same host). Graph itself only ever posts to
 * a public https URL (concepts/change-notifications-delivery-webhooks.md): the configured
 * `notificationUrl` is that URL as the internet reaches this listener.
 */
import type { FastifyInstance } from 'fastify';
import {
  buildControlApi,
  InsecureListenError,
  type ControlApiOptions,
  type ListenOptions,
} from './api/controlApi';
import type { NotificationReceiver } from './graph/notificationReceiver';

/** Where Graph posts notifications (both change and lifecycle ones), beside the control API. */
export const NOTIFICATION_PATH = '/graph/notifications';

/** A notification collection holds at most 1,000 items of well under 1 KB each. */
const NOTIFICATION_BODY_LIMIT = 1024 * 1024;
/** The validation POST is text/plain with an empty body; anything larger is not Graph's. */
const VALIDATION_BODY_LIMIT = 16 * 1024;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface ServiceListenerOptions extends ControlApiOptions, ListenOptions {
  /** The receiver once the subscriptions exist; until then notifications are answered 503. */
  readonly notifications: () => NotificationReceiver | null;
  /** Issue 18: more routes beside the API (the scale-out worker's /healthz, /readyz, /metrics). */
  readonly extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
}

export interface ServiceListener {
  /** The listener's own base URL (scheme, host, port). */
  readonly url: string;
  /** `url` + NOTIFICATION_PATH: what Graph posts to when nothing public stands in front. */
  readonly notificationUrl: string;
  close(): Promise<void>;
}

export async function listenService(options: ServiceListenerOptions): Promise<ServiceListener> {
  if (!options.tls && !LOOPBACK.has(options.host)) throw new InsecureListenError(options.host);
  const app = await buildControlApi(options, options.tls);
  await app.register(async (scope) => {
    // Graph's validation request is a text/plain POST; its body is empty and never read.
    scope.addContentTypeParser(
      'text/plain',
      { parseAs: 'string', bodyLimit: VALIDATION_BODY_LIMIT },
      (_request, _body, done) => done(null, undefined),
    );
    scope.post(
      NOTIFICATION_PATH,
      { bodyLimit: NOTIFICATION_BODY_LIMIT },
      async (request, reply) => {
        const receiver = options.notifications();
        if (!receiver) {
          // Not subscribed yet: Graph tries again later (and a validation then fails, as it must).
          return reply.code(503).header('Retry-After', '5').send();
        }
        const query =
          typeof request.query === 'object' && request.query !== null
            ? (request.query as Record<string, unknown>)
            : {};
        const answer = receiver.handle({ query, body: request.body });
        return reply.code(answer.status).headers(answer.headers).send(answer.body);
      },
    );
  });
  if (options.extraRoutes) await app.register(async (scope) => options.extraRoutes?.(scope));
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  return { url, notificationUrl: `${url}${NOTIFICATION_PATH}`, close: () => app.close() };
}
