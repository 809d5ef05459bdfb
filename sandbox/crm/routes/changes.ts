/** GET /activities/changes: the change feed the sync engine pulls (DESIGN "The two sides"). */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { toApi } from '../domain/activityView';
import { decodeCursor, readChanges } from '../domain/changeLog';
import { membersOf } from '../domain/activityStore';
import { userOf } from '../http/auth';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ActivitySchema } from '../schemas/activity';
import { toUtcString } from '../schemas/time';
import { common } from './activityShared';

const ChangeSchema = z
  .discriminatedUnion('deleted', [
    z.object({
      id: z.string(),
      deleted: z.literal(false),
      changedAt: z.string(),
      activity: ActivitySchema,
    }),
    z.object({
      id: z.string(),
      deleted: z.literal(true),
      changedAt: z.string(),
      reason: z
        .enum(['deleted', 'no-longer-visible'])
        .describe('Deleted, or the user no longer takes part (removed as a participant).'),
    }),
  ])
  .meta({
    id: 'ActivityChange',
    description:
      'The current state of a changed activity, or a tombstone when it is gone for this user.',
  });

const ChangePageSchema = z
  .object({
    items: z.array(ChangeSchema).describe('Each activity at most once per page, oldest first.'),
    nextCursor: z.string().describe('Pass as `cursor` next time. Opaque: do not parse.'),
    hasMore: z.boolean().describe('True: call again at once with nextCursor.'),
  })
  .meta({ id: 'ActivityChangePage', description: 'One page of the change feed.' });

export function changeRoutes(app: ZodApp, ctx: CrmContext): void {
  app.get('/activities/changes', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'listActivityChanges',
      summary: 'Changes since a cursor',
      description:
        'Every change to activities visible to the signed-in user since `cursor`, tombstones ' +
        'included, as the current state of each changed activity. Without a cursor the feed ' +
        'starts from the beginning (a full sync: every activity the user sees). Page with ' +
        '`limit` while `hasMore`. A cursor older than the retained log gives 410 ' +
        '`cursor-expired` (resync without a cursor); a malformed one gives 400 `invalid-cursor`.',
      querystring: z.strictObject({
        cursor: z.string().min(1).max(100).optional().describe('The nextCursor of the last page.'),
        limit: z.coerce.number().int().min(1).max(500).default(100).describe('Page size, ≤ 500.'),
      }),
      response: {
        200: json(ChangePageSchema, 'One page of changes.'),
        ...errors([410, 'The cursor is too old (`cursor-expired`): resync without a cursor.']),
      },
    },
    handler: async (request) => {
      const { companyId, userId } = userOf(request);
      const after = decodeCursor(ctx.db, request.query.cursor);
      const { page, hasMore, nextCursor } = readChanges(ctx.db, userId, after, request.query.limit);
      const items = page.map(({ activityId, changedAt }) => {
        const rec = ctx.activities.get(companyId, activityId);
        const base = { id: activityId, changedAt: toUtcString(changedAt) };
        if (!rec || rec.deleted)
          return { ...base, deleted: true as const, reason: 'deleted' as const };
        if (!membersOf(rec.ownerId, rec.data).has(userId)) {
          return { ...base, deleted: true as const, reason: 'no-longer-visible' as const };
        }
        return { ...base, deleted: false as const, activity: toApi(ctx.db, rec) };
      });
      return { items, nextCursor, hasMore };
    },
  });
}
