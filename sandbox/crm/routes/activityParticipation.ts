/**
 * What any participant may do to an activity: leave it (SPEC D1: deleting or declining in
 * Outlook when one is only a participant) and record where it lives in their Outlook (M2).
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { forbidden } from '../http/problem';
import { userOf } from '../http/auth';
import { BODY_ERRORS, errors, json, NoContent } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ActivitySchema } from '../schemas/activity';
import { EmailSchema } from '../schemas/text';
import {
  ActivityParams,
  common,
  loadVisible,
  requireOwnMailbox,
  sendActivity,
} from './activityShared';

export const OutlookLinkWrite = z
  .strictObject({
    mailbox: EmailSchema.describe("The mailbox: the user's e-mail address or one of its aliases."),
    eventId: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[\x21-\x7E]+$/)
      .describe('The Outlook event id (Graph immutable id) in that mailbox.'),
  })
  .meta({ id: 'OutlookLinkWrite', description: "Where the activity is in the user's Outlook." });

/**
 * PUT /activities/{id}/outlook-link for the signed-in user: their own link replaced (the single
 * route's and the bulk one's common code, sandbox/crm/routes/bulk.ts).
 */
export function setOwnOutlookLink(
  ctx: CrmContext,
  who: { readonly companyId: string; readonly userId: string },
  id: string,
  body: z.output<typeof OutlookLinkWrite>,
) {
  const { companyId, userId } = who;
  const rec = loadVisible(ctx, companyId, id, userId);
  const mailbox = requireOwnMailbox(ctx, companyId, userId, body.mailbox);
  const link = { userId, mailbox, eventId: body.eventId };
  const others = rec.data.outlookLinks.filter((l) => l.userId !== userId);
  const data = { ...rec.data, outlookLinks: [...others, link] };
  return ctx.activities.update(rec, data);
}

export function activityParticipationRoutes(app: ZodApp, ctx: CrmContext): void {
  app.post('/activities/:id/remove-me', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'removeMeFromActivity',
      summary: 'Remove me as a participant',
      description:
        'Removes the signed-in user from the participants (and their Outlook link). The ' +
        "activity then leaves the user's change feed as a tombstone. The owner cannot leave " +
        '(403 `owner-cannot-leave`): the owner cancels or deletes instead.',
      params: ActivityParams,
      response: { 204: NoContent('Removed.'), ...errors(404) },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const rec = loadVisible(ctx, companyId, request.params.id, userId);
      if (rec.ownerId === userId) {
        throw forbidden('owner-cannot-leave', 'The owner cannot leave; cancel or delete instead.');
      }
      ctx.activities.update(rec, {
        ...rec.data,
        participants: rec.data.participants.filter(
          (p) => !(p.kind === 'user' && p.userId === userId),
        ),
        outlookLinks: rec.data.outlookLinks.filter((l) => l.userId !== userId),
      });
      return reply.code(204).send();
    },
  });

  app.put('/activities/:id/outlook-link', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'setOutlookLink',
      summary: 'Record my Outlook event id',
      description:
        "Stores the signed-in user's mailbox and Outlook event id on the activity (one per " +
        'user; replaces the previous one). Any participant may set their own; no If-Match ' +
        'needed, since it changes only their own link. Bumps the version.',
      params: ActivityParams,
      body: OutlookLinkWrite,
      response: { 200: json(ActivitySchema, 'The activity.'), ...errors(404, 422, ...BODY_ERRORS) },
    },
    handler: async (request, reply) => {
      const rec = setOwnOutlookLink(ctx, userOf(request), request.params.id, request.body);
      return sendActivity(ctx, reply, rec);
    },
  });

  app.delete('/activities/:id/outlook-link', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'deleteOutlookLink',
      summary: 'Forget my Outlook event id',
      description: "Removes the signed-in user's Outlook link from the activity, if any.",
      params: ActivityParams,
      response: { 200: json(ActivitySchema, 'The activity.'), ...errors(404) },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const rec = loadVisible(ctx, companyId, request.params.id, userId);
      if (!rec.data.outlookLinks.some((l) => l.userId === userId)) {
        return sendActivity(ctx, reply, rec);
      }
      const outlookLinks = rec.data.outlookLinks.filter((l) => l.userId !== userId);
      return sendActivity(ctx, reply, ctx.activities.update(rec, { ...rec.data, outlookLinks }));
    },
  });
}
