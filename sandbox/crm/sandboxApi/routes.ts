/**
 * Sandbox controls under /sandbox (admin key; hidden from the contract document): fault
 * injection, clock, change-log compaction and reset. Tests of clients drive these.
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { compact } from '../domain/changeLog';
import { compactContactChanges } from '../domain/contactChanges';
import { ContactStore } from '../domain/contactStore';
import { ExtranetShares } from '../domain/extranetShares';
import { authOf } from '../http/auth';
import type { ZodApp } from '../http/zodApp';

/** How many matching requests the fault answers; 0: every one until DELETE /faults. */
const Count = z.int().min(0).max(1000).default(1);
const Prefix = z.string().startsWith('/').max(200).optional();
const Method = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional();

export function sandboxRoutes(app: ZodApp, ctx: CrmContext): void {
  const opts = { onRequest: ctx.auth.admin } as const;
  const hide = { hide: true } as const;

  app.post('/faults', {
    ...opts,
    schema: {
      ...hide,
      body: z.strictObject({
        status: z.union([z.literal(429), z.literal(503)]),
        retryAfterSeconds: z.int().min(0).max(3600).default(1),
        count: Count,
        pathPrefix: Prefix,
        method: Method,
      }),
    },
    handler: async (request, reply) => {
      const { status, retryAfterSeconds, count, pathPrefix, method } = request.body;
      const id = ctx.faults.add(
        { kind: 'status', status, retryAfterSeconds },
        count,
        pathPrefix,
        method,
      );
      return reply.code(201).send({ id });
    },
  });

  app.post('/faults/latency', {
    ...opts,
    schema: {
      ...hide,
      body: z.strictObject({
        ms: z.int().min(1).max(60_000),
        count: Count,
        pathPrefix: Prefix,
        method: Method,
      }),
    },
    handler: async (request, reply) => {
      const { ms, count, pathPrefix, method } = request.body;
      return reply
        .code(201)
        .send({ id: ctx.faults.add({ kind: 'latency', ms }, count, pathPrefix, method) });
    },
  });

  app.post('/faults/drop', {
    ...opts,
    schema: { ...hide, body: z.strictObject({ count: Count, pathPrefix: Prefix, method: Method }) },
    handler: async (request, reply) => {
      const { count, pathPrefix, method } = request.body;
      return reply
        .code(201)
        .send({ id: ctx.faults.add({ kind: 'drop' }, count, pathPrefix, method) });
    },
  });

  app.get('/faults', {
    ...opts,
    schema: hide,
    handler: async () => ({ items: ctx.faults.pending() }),
  });

  app.delete('/faults', {
    ...opts,
    schema: hide,
    handler: async (_request, reply) => {
      ctx.faults.clear();
      return reply.code(204).send();
    },
  });

  app.post('/compact-changes', {
    ...opts,
    schema: {
      ...hide,
      body: z
        .strictObject({ olderThanSeconds: z.int().min(0).default(0) })
        .default({ olderThanSeconds: 0 }),
    },
    handler: async (request) => {
      const cutoff = ctx.clock.now() - request.body.olderThanSeconds * 1000 + 1;
      return { ...compact(ctx.db, cutoff), contacts: compactContactChanges(ctx.db, cutoff) };
    },
  });

  // SPEC K2: what a person does in the CRM's own UI, which the Sync API does not offer: delete
  // a contact for good (the feed then shows its tombstone).
  app.post('/contacts/:id/delete', {
    ...opts,
    schema: {
      ...hide,
      params: z.strictObject({ id: z.string().min(1).max(100) }),
    },
    handler: async (request, reply) => {
      const { companyId } = authOf(request);
      const gone = new ContactStore(ctx.db).remove(companyId, request.params.id, ctx.clock.now());
      return reply.code(gone ? 200 : 404).send({ deleted: gone });
    },
  });

  app.post('/clock', {
    ...opts,
    schema: {
      ...hide,
      body: z.strictObject({
        advanceSeconds: z
          .int()
          .min(0)
          .max(366 * 86_400),
      }),
    },
    handler: async (request) => {
      ctx.clock.advance(request.body.advanceSeconds * 1000);
      return { now: new Date(ctx.clock.now()).toISOString() };
    },
  });

  // SPEC O3: the extranet invitations the CRM "sent", one-time passwords included. The sandbox
  // cannot mail; tests and the demo read them here, never from a log.
  app.get('/extranet-outbox', {
    ...opts,
    schema: hide,
    handler: async () => ({ items: ExtranetShares.outbox(ctx.db) }),
  });

  app.post('/reset', {
    ...opts,
    schema: hide,
    handler: async (_request, reply) => {
      await ctx.reset();
      ctx.faults.clear();
      return reply.code(204).send();
    },
  });
}
