/** Owner-only activity writes: PATCH (If-Match required), DELETE (tombstone), cancel. */
import type { CrmContext } from '../context';
import { type ActivityRecord, etagOf } from '../domain/activityStore';
import { toApi } from '../domain/activityView';
import { checkedData, patchedData, requireOwner } from '../domain/activityRules';
import { userOf } from '../http/auth';
import { checkIfMatch, IfMatchHeaders, IfMatchRequired } from '../http/preconditions';
import { BODY_ERRORS, errors, json, NoContent } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { type ActivityPatch, ActivityPatchSchema, ActivitySchema } from '../schemas/activity';
import { ActivityParams, common, loadVisible, sendActivity, STALE } from './activityShared';

export function activityWriteRoutes(app: ZodApp, ctx: CrmContext): void {
  app.patch('/activities/:id', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'updateActivity',
      summary: 'Update an activity (owner only, If-Match required)',
      description:
        'Changes the fields given. Requires `If-Match` with the current ETag: 428 without it, ' +
        '412 with the current activity in `current` when another write won the race. Only ' +
        'the owner may update (403 `not-owner`); the owner never changes (SPEC F3).',
      params: ActivityParams,
      headers: IfMatchRequired,
      body: ActivityPatchSchema,
      response: {
        200: json(ActivitySchema, 'The new version.'),
        ...errors(404, 422, 428, STALE, ...BODY_ERRORS),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const { id } = request.params;
      const changed = updateActivity(
        ctx,
        { companyId, userId, id },
        request.headers['if-match'],
        request.body,
      );
      return sendActivity(ctx, reply, changed);
    },
  });

  app.delete('/activities/:id', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'deleteActivity',
      summary: 'Delete an activity (owner only)',
      description:
        'Deletes the activity; the change feed reports a tombstone to every participant ' +
        '(SPEC D2). Clients that mean "declined" or "removed in Outlook" should cancel or ' +
        'remove themselves instead (SPEC D1). If-Match is optional.',
      params: ActivityParams,
      headers: IfMatchHeaders,
      response: { 204: NoContent('Deleted.'), ...errors(404, STALE) },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const rec = loadVisible(ctx, companyId, request.params.id, userId);
      requireOwner(rec, userId, 'delete');
      checkIfMatch(request.headers['if-match'], etagOf(rec), false, () => toApi(ctx.db, rec));
      ctx.activities.update(rec, rec.data, true);
      return reply.code(204).send();
    },
  });

  app.post('/activities/:id/cancel', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'cancelActivity',
      summary: 'Cancel an activity (owner only)',
      description:
        'Marks the activity cancelled; it stays in the CRM (SPEC D1). Idempotent. To cancel ' +
        'one occurrence of a series, PATCH an override with `cancelled: true`. If-Match optional.',
      params: ActivityParams,
      headers: IfMatchHeaders,
      response: { 200: json(ActivitySchema, 'The cancelled activity.'), ...errors(404, STALE) },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const rec = loadVisible(ctx, companyId, request.params.id, userId);
      requireOwner(rec, userId, 'cancel');
      checkIfMatch(request.headers['if-match'], etagOf(rec), false, () => toApi(ctx.db, rec));
      if (rec.data.cancelled) return sendActivity(ctx, reply, rec);
      return sendActivity(ctx, reply, ctx.activities.update(rec, { ...rec.data, cancelled: true }));
    },
  });
}

/**
 * One owner-only update as PATCH runs it (If-Match required: 428, 412 with `current`): the single
 * route and each item of the bulk update (./bulk.ts) go through this. Throws the HttpProblem.
 */
export function updateActivity(
  ctx: CrmContext,
  who: { readonly companyId: string; readonly userId: string; readonly id: string },
  ifMatch: string | undefined,
  patch: ActivityPatch,
): ActivityRecord {
  const { companyId, userId } = who;
  const rec = loadVisible(ctx, companyId, who.id, userId);
  requireOwner(rec, userId, 'change');
  checkIfMatch(ifMatch, etagOf(rec), true, () => toApi(ctx.db, rec));
  const data = checkedData(ctx.db, companyId, patchedData(rec.data, patch));
  return ctx.activities.update(rec, data);
}
