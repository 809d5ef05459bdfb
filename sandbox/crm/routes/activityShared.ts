/** Pieces shared by the activity route files. */
import { z } from 'zod';
import type { CrmContext } from '../context';
import type { ActivityRecord } from '../domain/activityStore';
import { etagOf } from '../domain/activityStore';
import { toApi } from '../domain/activityView';
import { SECURITY } from '../http/auth';
import { notFound, unprocessable } from '../http/problem';
import { findUser } from './users';
import { ActivitySchema, type Activity } from '../schemas/activity';
import { problemWithCurrent } from '../schemas/problem';
import { IdSchema } from '../schemas/text';
import type { FastifyReply } from 'fastify';

export const ActivityParams = z.strictObject({ id: IdSchema.describe('The activity id.') });
export const ActivityConflict = problemWithCurrent(
  ActivitySchema,
  'ActivityConflictProblem',
  'the current activity',
);
export const STALE: [number, string, z.ZodType] = [
  412,
  'Stale If-Match: `current` holds the activity as it is now.',
  ActivityConflict,
];
export const common = { tags: ['activities'], security: SECURITY.user };

export function loadVisible(ctx: CrmContext, companyId: string, id: string, userId: string) {
  const rec = ctx.activities.visible(companyId, id, userId);
  if (!rec) throw notFound('The activity');
  return rec;
}

/** Sends one activity with its strong ETag header. */
export function sendActivity(
  ctx: CrmContext,
  reply: FastifyReply,
  rec: ActivityRecord,
  status = 200,
): Activity {
  const body = toApi(ctx.db, rec);
  void reply.code(status).header('ETag', etagOf(rec));
  return body;
}

/** The mailbox, lower-cased, when it is one of the user's own addresses; else 422 (SPEC C6). */
export function requireOwnMailbox(
  ctx: CrmContext,
  companyId: string,
  userId: string,
  mailbox: string,
): string {
  const user = findUser(ctx.db, companyId, userId);
  const own = [user?.email, ...(user?.aliases ?? [])].map((e) => e?.toLowerCase());
  const address = mailbox.toLowerCase();
  if (!own.includes(address)) {
    throw unprocessable('mailbox-mismatch', 'The mailbox is not one of your addresses.', [
      { in: 'body', path: '/mailbox', message: 'not an address of the signed-in user' },
    ]);
  }
  return address;
}
