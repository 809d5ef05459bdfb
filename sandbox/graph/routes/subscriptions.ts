import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { appMayUse, hasRole, meWithAppToken } from '../appAccess';
import { requestPrincipal, type Principal } from '../auth';
import type { EmulatorContext } from '../context';
import { DEMO_TENANT_ID } from '../entra';
import { badRequest, GraphError } from '../errors';
import type { StoredSubscription } from '../types';

/**
 * `/subscriptions` (api-reference/v1.0/api/subscription-post-subscriptions.md, -list, -get,
 * -update, -delete, -reauthorize; resources/subscription.md). Outlook events only:
 * `/users/{id|userPrincipalName}/events` or `/me/events`.
 */

/**
 * concepts/includes/change-notifications-subscription-lifetime.md: Outlook message, event,
 * contact — 4,230 minutes (under three days). (Newer pages may say 10,080 minutes: see
 * docs/ARCHITECTURE.md, "To confirm in a real tenant"; GraphServerOptions.subscriptionMaxMinutes.)
 */
export const EVENT_SUBSCRIPTION_MAX_MINUTES = 4230;

const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;

const createSchema = z.object({
  changeType: z.string().min(1),
  notificationUrl: z.string().min(1),
  lifecycleNotificationUrl: z.string().min(1).nullish(),
  resource: z.string().min(1),
  expirationDateTime: z.string().min(1),
  // resources/subscription.md: "The maximum length is 128 characters."
  clientState: z.string().max(128).nullish(),
  includeResourceData: z.boolean().nullish(),
  latestSupportedTlsVersion: z.enum(['v1_0', 'v1_1', 'v1_2', 'v1_3']).nullish(),
});
const updateSchema = z.strictObject({ expirationDateTime: z.string().min(1) });

const invalid = (message: string) => new GraphError(400, 'InvalidRequest', message);
const notFound = (id: string) =>
  new GraphError(404, 'ResourceNotFound', `The object '${id}' doesn't exist.`);

/**
 * Where the emulator will POST. Graph requires https on the public internet; the emulator posts
 * only to loopback (it must never be a way to reach other hosts) and accepts http there so a
 * sandbox receiver needs no certificate (sandbox/graph/README.md, known differences).
 */
function checkUrl(url: string, what: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid(`The ${what} is not a valid URL.`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname.toLowerCase());
  if (!loopback || !['http:', 'https:'].includes(u.protocol)) {
    throw invalid(`The ${what} must be an http(s) URL on loopback in the sandbox.`);
  }
  return u.toString();
}

function parseChangeTypes(value: string): StoredSubscription['changeTypes'] {
  const types = value.split(',').map((t) => t.trim());
  const out = new Set<StoredSubscription['changeTypes'][number]>();
  for (const t of types) {
    const known = CHANGE_TYPES.find((c) => c === t);
    if (!known) throw invalid(`'${t}' is not a valid change type (created, updated, deleted).`);
    out.add(known);
  }
  return [...out];
}

/** The mailbox a resource names, after the caller's rights on it are checked. */
function resourceMailbox(ctx: EmulatorContext, who: Principal, resource: string): string {
  const m = /^\/?(?:(me)|users\/([^/]+))\/events$/i.exec(resource.trim());
  if (!m) {
    throw invalid(
      `Resource '${resource}' is not supported here: subscribe to /users/{id}/events or /me/events.`,
    );
  }
  const userId = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  if (who.kind === 'app') {
    if (userId === undefined) throw meWithAppToken();
    const address = appMayUse(ctx, who, userId);
    if (!hasRole(who, ['Calendars.Read', 'Calendars.ReadWrite'])) {
      throw new GraphError(
        403,
        'ExtensionError',
        'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied.]',
      );
    }
    return address;
  }
  const me = ctx.store.mailbox(who.mailbox);
  if (userId !== undefined && userId.toLowerCase() !== me.address && userId !== me.userId) {
    throw new GraphError(
      403,
      'ErrorAccessDenied',
      'Access is denied. Check credentials and try again.',
    );
  }
  return me.address;
}

function expiry(ctx: EmulatorContext, value: string): number {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw invalid(`'${value}' is not a valid expirationDateTime.`);
  const now = ctx.now();
  if (at <= now) throw invalid('Subscription expiration must be in the future.');
  if (at > now + ctx.subscriptionMaxMinutes * 60_000) {
    throw invalid(
      `Subscription expiration can only be ${ctx.subscriptionMaxMinutes} minutes in the future.`,
    );
  }
  return at;
}

const owner = (
  who: Principal,
): { applicationId: string | null; creatorId: (c: EmulatorContext) => string } =>
  who.kind === 'app'
    ? { applicationId: who.appId, creatorId: () => who.appId }
    : { applicationId: null, creatorId: (c) => c.store.mailbox(who.mailbox).userId };

export function subscriptionJson(
  sub: StoredSubscription,
  baseUrl?: string,
): Record<string, unknown> {
  return {
    ...(baseUrl ? { '@odata.context': `${baseUrl}/$metadata#subscriptions/$entity` } : {}),
    id: sub.id,
    resource: sub.resource,
    applicationId: sub.applicationId,
    changeType: sub.changeTypes.join(','),
    clientState: sub.clientState,
    notificationUrl: sub.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
    expirationDateTime: new Date(sub.expiresAt).toISOString().replace(/Z$/, '0000Z'),
    creatorId: sub.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

export function registerSubscriptionRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const base = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}/v1.0`;
  /** A subscription the caller made (another app's or person's is not found, as in Graph). */
  const own = (req: FastifyRequest<{ Params: { id: string } }>): StoredSubscription => {
    const who = requestPrincipal(req);
    const sub = ctx.notifier.active().find((s) => s.id === req.params.id);
    const mine =
      sub &&
      (who.kind === 'app'
        ? sub.applicationId === who.appId
        : sub.applicationId === null && sub.mailbox === who.mailbox);
    if (!sub || !mine) throw notFound(req.params.id);
    return sub;
  };

  app.post('/subscriptions', async (req, reply) => {
    const who = requestPrincipal(req);
    const parsed = createSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw badRequest(
        `Invalid subscription: ${first?.path.join('.') || 'body'}: ${first?.message ?? ''}`,
        'InvalidRequest',
      );
    }
    const body = parsed.data;
    if (body.includeResourceData) {
      throw invalid(
        'includeResourceData needs an encryptionCertificate; the emulator sends basic notifications only.',
      );
    }
    const changeTypes = parseChangeTypes(body.changeType);
    const mailbox = resourceMailbox(ctx, who, body.resource);
    const expiresAt = expiry(ctx, body.expirationDateTime);
    const notificationUrl = checkUrl(body.notificationUrl, 'notificationUrl');
    const lifecycleNotificationUrl = body.lifecycleNotificationUrl
      ? checkUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl')
      : null;
    // The validation handshake, for both URLs (change-notifications-delivery-webhooks.md).
    for (const url of [notificationUrl, lifecycleNotificationUrl]) {
      if (url !== null && !(await ctx.notifier.validate(url))) {
        throw invalid(
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        );
      }
    }
    const o = owner(who);
    const sub: StoredSubscription = {
      id: randomUUID(),
      resource: body.resource,
      mailbox,
      changeTypes,
      notificationUrl,
      lifecycleNotificationUrl,
      clientState: body.clientState ?? null,
      expiresAt,
      applicationId: o.applicationId,
      creatorId: o.creatorId(ctx),
      tenantId: who.kind === 'app' ? who.tenantId : DEMO_TENANT_ID,
    };
    (ctx.store.state.subscriptions ??= {})[sub.id] = sub;
    ctx.store.changed();
    return reply.code(201).send(subscriptionJson(sub, base(req)));
  });

  app.get('/subscriptions', async (req) => {
    const who = requestPrincipal(req);
    const value = ctx.notifier
      .active()
      .filter((s) =>
        who.kind === 'app'
          ? s.applicationId === who.appId
          : s.applicationId === null && s.mailbox === who.mailbox,
      )
      .map((s) => subscriptionJson(s));
    return { '@odata.context': `${base(req)}/$metadata#subscriptions`, value };
  });

  app.get<{ Params: { id: string } }>('/subscriptions/:id', async (req) =>
    subscriptionJson(own(req), base(req)),
  );

  // subscription-update.md: renewing also reauthorizes (change-notifications-lifecycle-events.md).
  app.patch<{ Params: { id: string } }>('/subscriptions/:id', async (req) => {
    const sub = own(req);
    const body = updateSchema.safeParse(req.body ?? {});
    if (!body.success) throw invalid('Only expirationDateTime can be updated here.');
    sub.expiresAt = expiry(ctx, body.data.expirationDateTime);
    sub.paused = false;
    ctx.store.changed();
    return subscriptionJson(sub, base(req));
  });

  app.delete<{ Params: { id: string } }>('/subscriptions/:id', async (req, reply) => {
    const sub = own(req);
    delete ctx.store.state.subscriptions?.[sub.id];
    ctx.notifier.dropPending(sub.id);
    ctx.store.changed();
    return reply.code(204).send();
  });

  // subscription-reauthorize.md: 204 No Content; the flow of notifications resumes.
  app.post<{ Params: { id: string } }>('/subscriptions/:id/reauthorize', async (req, reply) => {
    const sub = own(req);
    sub.paused = false;
    ctx.store.changed();
    return reply.code(204).send();
  });
}
