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

export function idempotentCreate<T>(
  ctx: CrmContext,
  reply: FastifyReply,
  request: {
    readonly userId: string;
    /** Absent: a create without a key (contacts allow it), never replayed. */
    readonly key: string | undefined;
    readonly hash: string;
    /** Checks the stored body on the way out, as the route's response schema. */
    readonly schema: z.ZodType<T>;
    /** Checks, then writes the item (inside the transaction; a throw writes nothing). */
    readonly create: () => Created<T>;
  },
) {
  const { userId, key, hash } = request;
  const replay = key === undefined ? undefined : ctx.idempotency.find(userId, key, hash);
  if (replay) {
    if (replay.etag) void reply.header('ETag', replay.etag);
    if (replay.location) void reply.header('Location', replay.location);
    // Only successful creates (201) are stored, so the replay is always a 201.
    return reply
      .code(201)
      .header('Idempotent-Replayed', 'true')
      .send(request.schema.parse(JSON.parse(replay.body)));
  }
  const saved = ctx.db.transaction(() => {
    const made = request.create();
    if (key !== undefined) {
      ctx.idempotency.save(userId, key, hash, {
        status: 201,
        body: JSON.stringify(made.body),
        etag: made.etag,
        location: made.location,
      });
    }
    return made;
  })();
  return reply
    .code(201)
    .header('ETag', saved.etag)
    .header('Location', saved.location)
    .send(saved.body);
}
