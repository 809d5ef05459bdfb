/** Activities: window listing, read, and idempotent create. */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { etagOf } from '../domain/activityStore';
import { toApi } from '../domain/activityView';
import { checkedData, newActivityData } from '../domain/activityRules';
import { requestHash } from '../domain/idempotency';
import { userOf } from '../http/auth';
import { problem } from '../http/problem';
import { BODY_ERRORS, errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ActivityCreateSchema, ActivitySchema } from '../schemas/activity';
import { DateTimeSchema } from '../schemas/time';
import {
  ActivityParams,
  common,
  loadVisible,
  requireOwnMailbox,
  sendActivity,
} from './activityShared';

const MAX_WINDOW_MS = 400 * 86_400_000;

export function activityRoutes(app: ZodApp, ctx: CrmContext): void {
  app.get('/activities', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'listActivities',
      summary: 'List activities in a window',
      description:
        'Activities the signed-in user owns or takes part in that overlap [from, to), ' +
        'cancelled ones included. A recurring series is included when any occurrence may ' +
        'fall in the window (the server may over-include; clients expand the rule). The ' +
        'window is at most 400 days.',
      querystring: z.strictObject({ from: DateTimeSchema, to: DateTimeSchema }),
      response: {
        200: json(z.object({ items: z.array(ActivitySchema) }), 'The activities, by start.'),
        ...errors(),
      },
    },
    handler: async (request) => {
      const { companyId, userId } = userOf(request);
      const from = Date.parse(request.query.from);
      const to = Date.parse(request.query.to);
      if (!(to > from) || to - from > MAX_WINDOW_MS) {
        throw problem(
          400,
          'invalid-window',
          'Invalid window',
          '`to` must be after `from`, by at most 400 days.',
        );
      }
      const items = ctx.activities.listWindow(companyId, userId, from, to);
      return { items: items.map((rec) => toApi(ctx.db, rec)) };
    },
  });

  app.get('/activities/:id', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'getActivity',
      summary: 'Read an activity',
      description: 'One activity the user owns or takes part in, with its ETag.',
      params: ActivityParams,
      response: { 200: json(ActivitySchema, 'The activity.'), ...errors(404) },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      return sendActivity(ctx, reply, loadVisible(ctx, companyId, request.params.id, userId));
    },
  });

  app.post('/activities', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'createActivity',
      summary: 'Create an activity (idempotent)',
      description:
        'Creates an activity owned by the signed-in user. `Idempotency-Key` is required: a ' +
        'retry with the same key and body replays the original 201 response (also after the ' +
        'activity changed); the same key with another body is 422 `idempotency-key-reused`. ' +
        'Keys are scoped per user and kept for 24 hours.',
      headers: z.looseObject({
        'idempotency-key': z
          .string()
          .min(1)
          .max(255)
          .regex(/^[\x21-\x7E]+$/)
          .describe('A unique key per intended create, e.g. a UUID (printable ASCII).'),
      }),
      body: ActivityCreateSchema,
      response: {
        201: json(ActivitySchema, 'Created (or replayed).'),
        ...errors(422, ...BODY_ERRORS),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const key = request.headers['idempotency-key'];
      const hash = requestHash(request.body);
      const replay = ctx.idempotency.find(userId, key, hash);
      if (replay) {
        if (replay.etag) void reply.header('ETag', replay.etag);
        if (replay.location) void reply.header('Location', replay.location);
        // Only successful creates (201) are stored, so the replay is always a 201.
        return reply
          .code(201)
          .header('Idempotent-Replayed', 'true')
          .send(ActivitySchema.parse(JSON.parse(replay.body)));
      }
      if (request.body.outlookLink)
        requireOwnMailbox(ctx, companyId, userId, request.body.outlookLink.mailbox);
      const data = checkedData(ctx.db, companyId, newActivityData(request.body, userId));
      // The activity and its idempotency record commit together: a crash cannot leave one.
      const saved = ctx.db.transaction(() => {
        const rec = ctx.activities.insert(companyId, userId, data);
        const stored = {
          status: 201,
          body: toApi(ctx.db, rec),
          etag: etagOf(rec),
          location: `/api/v1/activities/${rec.id}`,
        };
        ctx.idempotency.save(userId, key, hash, { ...stored, body: JSON.stringify(stored.body) });
        return stored;
      })();
      return reply
        .code(201)
        .header('ETag', saved.etag)
        .header('Location', saved.location)
        .send(saved.body);
    },
  });
}
