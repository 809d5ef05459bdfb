/**
 * The per-user sync lease (DESIGN "Crash safety and many clients"): compare-and-set with a
 * TTL, so only one Outlook client runs a sync for a user at a time. Expiry uses the
 * server's clock, never the client's.
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { SECURITY, userOf } from '../http/auth';
import { HttpProblem, notFound } from '../http/problem';
import { BODY_ERRORS, errors, json, NoContent } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { problemWithCurrent } from '../schemas/problem';
import { toUtcString } from '../schemas/time';

const HolderId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/)
  .describe('Identifies the client instance, e.g. a random id per Outlook installation.');

const LeaseSchema = z
  .object({
    holderId: z.string(),
    expiresAt: z.string().describe('Server time (UTC) when the lease lapses.'),
    version: z.int().min(1).describe('Increases on every grant or renewal.'),
  })
  .meta({ id: 'SyncLease', description: "The user's sync lease." });
const LeaseConflict = problemWithCurrent(LeaseSchema, 'LeaseConflictProblem', 'the lease as it is');

interface Row {
  holder_id: string;
  expires_at: number;
  version: number;
}

const common = { tags: ['sync-lease'], security: SECURITY.user };

export function leaseRoutes(app: ZodApp, ctx: CrmContext): void {
  const read = (userId: string) =>
    ctx.db.prepare('SELECT * FROM sync_leases WHERE user_id = ?').get(userId) as Row | undefined;
  const show = (r: Row) => ({
    holderId: r.holder_id,
    expiresAt: toUtcString(r.expires_at),
    version: r.version,
  });
  const conflict = (r: Row, detail: string) =>
    new HttpProblem({
      status: 409,
      code: 'lease-held',
      title: 'Conflict',
      detail,
      extra: { current: show(r) },
    });

  app.put('/sync-lease', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'acquireSyncLease',
      summary: 'Acquire or renew the sync lease',
      description:
        'Grants the lease to `holderId` for `ttlSeconds` when it is free, expired or already ' +
        "this holder's. With `expectedVersion` it is a strict compare-and-set: the current " +
        'version (0 when there has never been a lease) must equal it. Otherwise 409 ' +
        '`lease-held` with the current lease in `current`.',
      body: z.strictObject({
        holderId: HolderId,
        ttlSeconds: z.int().min(5).max(600).describe('Lease duration, 5–600 seconds.'),
        expectedVersion: z.int().min(0).optional(),
      }),
      response: {
        200: json(LeaseSchema, 'Granted or renewed.'),
        ...errors(
          [409, 'Held by another client, or a version mismatch.', LeaseConflict],
          ...BODY_ERRORS,
        ),
      },
    },
    handler: async (request) => {
      const { userId } = userOf(request);
      const { holderId, ttlSeconds, expectedVersion } = request.body;
      const now = ctx.clock.now();
      const row = read(userId);
      if (row && row.holder_id !== holderId && row.expires_at > now) {
        throw conflict(row, 'Another client holds the sync lease.');
      }
      if (expectedVersion !== undefined && expectedVersion !== (row?.version ?? 0)) {
        if (row) throw conflict(row, 'The lease version is not the expected one.');
        throw new HttpProblem({
          status: 409,
          code: 'lease-version-mismatch',
          title: 'Conflict',
          detail: 'No lease exists yet; expect version 0.',
        });
      }
      ctx.db
        .prepare(
          `INSERT INTO sync_leases (user_id, holder_id, expires_at, version) VALUES (?, ?, ?, 1)
           ON CONFLICT (user_id) DO UPDATE SET holder_id = excluded.holder_id,
           expires_at = excluded.expires_at, version = version + 1`,
        )
        .run(userId, holderId, now + ttlSeconds * 1000);
      return show(read(userId) as Row);
    },
  });

  app.get('/sync-lease', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'getSyncLease',
      summary: 'Read the sync lease',
      description: 'The current, unexpired lease; 404 when the lease is free.',
      response: { 200: json(LeaseSchema, 'The lease.'), ...errors(404) },
    },
    handler: async (request) => {
      const row = read(userOf(request).userId);
      if (!row || row.expires_at <= ctx.clock.now()) throw notFound('A current lease');
      return show(row);
    },
  });

  app.delete('/sync-lease', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'releaseSyncLease',
      summary: 'Release the sync lease',
      description:
        'Releases the lease if `holderId` holds it (or it is free or expired); 409 when ' +
        'another client holds it.',
      querystring: z.strictObject({ holderId: HolderId }),
      response: {
        204: NoContent('Released.'),
        ...errors([409, 'Another client holds the lease.', LeaseConflict]),
      },
    },
    handler: async (request, reply) => {
      const { userId } = userOf(request);
      const row = read(userId);
      if (row && row.holder_id !== request.query.holderId && row.expires_at > ctx.clock.now()) {
        throw conflict(row, 'Another client holds the sync lease.');
      }
      // Expire rather than delete, so versions keep increasing across holders.
      ctx.db.prepare('UPDATE sync_leases SET expires_at = 0 WHERE user_id = ?').run(userId);
      return reply.code(204).send();
    },
  });
}
