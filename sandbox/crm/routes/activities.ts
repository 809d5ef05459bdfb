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
import {
  type Activity,
  type ActivityCreate,
  ActivityCreateSchema,
  ActivitySchema,
} from '../schemas/activity';
import { DateTimeSchema } from '../schemas/time';
import {
  type CreateRequest,
  IdempotencyKey,
  KEY_DESCRIPTION,
  idempotentCreate,
} from './idempotentCreate';
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
      headers: z.looseObject({ 'idempotency-key': IdempotencyKey.describe(KEY_DESCRIPTION) }),
      body: ActivityCreateSchema,
      response: {
        201: json(ActivitySchema, 'Created (or replayed).'),
        ...errors(422, ...BODY_ERRORS),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const key = request.headers['idempotency-key'];
      return idempotentCreate(
        ctx,
        reply,
        activityCreate(ctx, companyId, userId, key, request.body),
      );
    },
  });
}

/**
 * One activity create as the idempotent create runs it: the single route and each item of the
 * bulk create (./bulk.ts) go through this, so their rules, keys and change log are the same.
 */
export function activityCreate(
  ctx: CrmContext,
  companyId: string,
  userId: string,
  key: string,
  body: ActivityCreate,
): CreateRequest<Activity> {
  return {
    userId,
    key,
    hash: requestHash(body),
    schema: ActivitySchema,
    create: () => {
      if (body.outlookLink) requireOwnMailbox(ctx, companyId, userId, body.outlookLink.mailbox);
      const data = checkedData(ctx.db, companyId, newActivityData(body, userId));
      const rec = ctx.activities.insert(companyId, userId, data);
      const location = `/api/v1/activities/${rec.id}`;
      return { body: toApi(ctx.db, rec), etag: etagOf(rec), location };
    },
  };
}
