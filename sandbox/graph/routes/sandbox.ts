import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { issueToken, TOKEN_LIFETIME_S } from '../auth';
import type { EmulatorContext } from '../context';
import { badRequest } from '../errors';
import { appRegistrationSchema } from '../entra';
import { faultSchema } from '../faults';
import type { LifecycleEvent } from '../subscriptions';
import { tokenRequestSchema } from '../schemas';
import { parseBody } from '../validate';

/**
 * Sandbox-only endpoints (not part of Graph): a local token endpoint standing in for Entra ID,
 * and hidden test controls for faults and delta-token expiry.
 */
export function registerSandboxRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/sandbox/health', async () => ({
    ok: true,
    mailboxes: Object.keys(ctx.store.state.mailboxes),
  }));

  app.post('/sandbox/token', async (req) => {
    const { mailbox } = parseBody(tokenRequestSchema, req.body, 'tokenRequest');
    const address = mailbox.toLowerCase();
    if (!(address in ctx.store.state.mailboxes)) {
      throw badRequest(`Unknown mailbox '${mailbox}'.`, 'invalid_request');
    }
    return {
      access_token: issueToken(ctx.store.state.secret, address, ctx.now()),
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
    };
  });

  app.post('/sandbox/faults', { schema: { hide: true } }, async (req, reply) => {
    ctx.faults.add(parseBody(faultSchema, req.body, 'fault'));
    return reply.code(204).send();
  });

  app.delete('/sandbox/faults', { schema: { hide: true } }, async (_req, reply) => {
    ctx.faults.clear();
    return reply.code(204).send();
  });

  // The mail log: what Exchange would have sent (sandbox/graph/meetings.ts), oldest first.
  app.get('/sandbox/mail', async () => ({ value: ctx.store.state.mail ?? [] }));
  app.delete('/sandbox/mail', async (_req, reply) => {
    ctx.store.state.mail = [];
    ctx.store.changed();
    return reply.code(204).send();
  });

  // The per-mailbox request budget (default 10,000 per 600 s; concepts/throttling-limits.md,
  // Outlook service limits); setting it restarts the count. Issue 16: also what it refused
  // (`throttled`, 429s for the budget) and the most any mailbox had counted in one window
  // (`peakInWindow`), both since it was last set — every $batch sub-request counts.
  app.get('/sandbox/budget', { schema: { hide: true } }, async () => ({
    limit: ctx.faults.budget.limit,
    windowSeconds: ctx.faults.budget.windowMs / 1000,
    throttled: ctx.faults.stats.budgetThrottled,
    peakInWindow: ctx.faults.stats.peakInWindow,
  }));
  app.post('/sandbox/budget', { schema: { hide: true } }, async (req, reply) => {
    const body = z
      .strictObject({
        limit: z.number().int().min(1).optional(),
        windowSeconds: z.number().positive().optional(),
      })
      .safeParse(req.body ?? {});
    if (!body.success) throw badRequest('Expected {"limit"?: int ≥ 1, "windowSeconds"?: > 0}.');
    ctx.faults.setRequestBudget({
      ...(body.data.limit !== undefined ? { limit: body.data.limit } : {}),
      ...(body.data.windowSeconds !== undefined
        ? { windowMs: body.data.windowSeconds * 1000 }
        : {}),
    });
    return reply.code(204).send();
  });

  app.post('/sandbox/delta/expire', { schema: { hide: true } }, async (req, reply) => {
    const body = z.strictObject({ mailbox: z.string().optional() }).safeParse(req.body ?? {});
    if (!body.success) throw badRequest('Expected {"mailbox"?: string}.');
    ctx.faults.expireDeltaTokens(body.data.mailbox);
    return reply.code(204).send();
  });

  // The emulated tenant's app registrations (entra.ts): register or replace one, with its
  // application permissions and application access policy (`mailboxes`, null = all).
  app.post('/sandbox/applications', { schema: { hide: true } }, async (req, reply) => {
    const body = appRegistrationSchema.safeParse(req.body ?? {});
    if (!body.success) {
      throw badRequest(
        'Expected {"clientId", "clientSecret", "tenantId"?, "roles"?: [...], "mailboxes"?: [...] | null}.',
      );
    }
    (ctx.store.state.applications ??= {})[body.data.clientId] = body.data;
    ctx.store.changed();
    return reply.code(204).send();
  });

  // Subscriptions in force, for tests and a curious developer (no clientState: it is a secret).
  app.get('/sandbox/subscriptions', { schema: { hide: true } }, async () => ({
    value: ctx.notifier.active().map((s) => ({
      id: s.id,
      resource: s.resource,
      mailbox: s.mailbox,
      applicationId: s.applicationId,
      expirationDateTime: new Date(s.expiresAt).toISOString(),
      paused: s.paused === true,
    })),
    missedNotifications: ctx.notifier.missedCount,
  }));

  // Triggers a lifecycle notification (concepts/change-notifications-lifecycle-events.md):
  // reauthorizationRequired pauses the subscription's notifications until it is reauthorized or
  // renewed; subscriptionRemoved removes it; missed drops the notifications waiting for it.
  app.post<{ Params: { id: string } }>(
    '/sandbox/subscriptions/:id/lifecycle',
    { schema: { hide: true } },
    async (req) => {
      const body = z
        .strictObject({
          lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
        })
        .safeParse(req.body ?? {});
      if (!body.success) {
        throw badRequest(
          'Expected {"lifecycleEvent": "reauthorizationRequired" | "subscriptionRemoved" | "missed"}.',
        );
      }
      const sub = ctx.notifier.active().find((s) => s.id === req.params.id);
      if (!sub)
        throw badRequest(`No subscription '${req.params.id}' is in force.`, 'ResourceNotFound');
      const event: LifecycleEvent = body.data.lifecycleEvent;
      if (event === 'reauthorizationRequired') sub.paused = true;
      if (event !== 'reauthorizationRequired') ctx.notifier.dropPending(sub.id);
      if (event === 'subscriptionRemoved') delete ctx.store.state.subscriptions?.[sub.id];
      ctx.store.changed();
      return { delivered: await ctx.notifier.lifecycle(sub, event) };
    },
  );
}
