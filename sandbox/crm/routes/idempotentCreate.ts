/**
 * The CRM contract's idempotent create, written once for activities and contacts (issue 13): a
 * retry with the same `Idempotency-Key` and body replays the stored 201 (also after the item
 * changed); the item and its idempotency record commit together, so a crash cannot leave one
 * without the other. Keys are scoped per user (domain/idempotency.ts).
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { CrmContext } from '../context';

/** The header's value: a unique key per intended create (printable ASCII). */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7E]+$/);

export const KEY_DESCRIPTION = 'A unique key per intended create, e.g. a UUID (printable ASCII).';

export interface Created<T> {
  readonly body: T;
  readonly etag: string;
  readonly location: string;
}

export interface CreateRequest<T> {
  readonly userId: string;
  /** Absent: a create without a key (contacts allow it), never replayed. */
  readonly key: string | undefined;
  readonly hash: string;
  /** Checks the stored body on the way out, as the route's response schema. */
  readonly schema: z.ZodType<T>;
  /** Checks, then writes the item (inside the transaction; a throw writes nothing). */
  readonly create: () => Created<T>;
}

/**
 * The create itself, without a reply: the single routes answer with it, the bulk create
 * (./bulk.ts) makes one of these per item, so both keep the same keys, records and replays.
 * Throws the HttpProblem the create (or a reused key) ends in; nothing is written then.
 */
export function runIdempotentCreate<T>(
  ctx: CrmContext,
  request: CreateRequest<T>,
): { readonly made: Created<T>; readonly replayed: boolean } {
  const { userId, key, hash } = request;
  const replay = key === undefined ? undefined : ctx.idempotency.find(userId, key, hash);
  if (replay) {
    // Only successful creates (201) are stored, so the replay is always a 201.
    const body = request.schema.parse(JSON.parse(replay.body));
    return {
      made: { body, etag: replay.etag ?? '', location: replay.location ?? '' },
      replayed: true,
    };
  }
  const made = ctx.db.transaction(() => {
    const created = request.create();
    if (key !== undefined) {
      ctx.idempotency.save(userId, key, hash, {
        status: 201,
        body: JSON.stringify(created.body),
        etag: created.etag,
        location: created.location,
      });
    }
    return created;
  })();
  return { made, replayed: false };
}

export function idempotentCreate<T>(
  ctx: CrmContext,
  reply: FastifyReply,
  request: CreateRequest<T>,
) {
  const { made, replayed } = runIdempotentCreate(ctx, request);
  if (made.etag !== '') void reply.header('ETag', made.etag);
  if (made.location !== '') void reply.header('Location', made.location);
  if (replayed) void reply.header('Idempotent-Replayed', 'true');
  return reply.code(201).send(made.body);
}
