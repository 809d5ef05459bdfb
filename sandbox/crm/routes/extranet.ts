/**
 * Extranet sharing (SPEC O3): a project shared with one of its customer's contact people, with
 * extra rights and the sections they may see. PUT creates or changes a share and takes effect at
 * once; the first PUT sends the invitation with a one-time password; DELETE stops the sharing.
 * Only a contact person of the project's customer with a valid e-mail address can be chosen, and
 * only the project's owners and members may share it, change or stop the sharing, or invite again.
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { ContactStore } from '../domain/contactStore';
import { SECURITY, userOf } from '../http/auth';
import { forbidden, notFound, unprocessable } from '../http/problem';
import { BODY_ERRORS, errors, json, NoContent } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ExtranetShareSchema, ExtranetShareWriteSchema } from '../schemas/extranet';
import { EmailSchema, IdSchema } from '../schemas/text';

const tags = ['extranet'];

/** The rule a vendor must keep (issue 14): stated in every operation that changes sharing. */
const SHARING_RULE =
  '**Sharing rule:** only the project’s owners and members may share it, change or stop the ' +
  'sharing, or invite again; anyone else gets 403 `not-a-project-member`. The one-time ' +
  'password in an invitation is stored only as a hash, works once and expires (the reference ' +
  'server: 15 minutes).';

const InvitationSchema = z
  .object({ expiresAt: z.string().describe('When the new one-time password stops working (UTC).') })
  .meta({ id: 'ExtranetInvitation', description: 'An invitation that was sent.' });
const security = SECURITY.user;
const ProjectParams = z.strictObject({ id: IdSchema });
const ShareParams = z.strictObject({ id: IdSchema, contactId: IdSchema });

export function extranetRoutes(app: ZodApp, ctx: CrmContext): void {
  const shares = ctx.extranet;
  const contacts = new ContactStore(ctx.db);
  /** 403 `not-a-project-member` unless the user owns or works on the project. */
  const mustShare = (projectId: string, userId: string) => {
    if (!shares.mayShare(projectId, userId)) {
      throw forbidden(
        'not-a-project-member',
        "Only the project's owners and members may share it externally.",
      );
    }
  };
  /** The contact person a share may name: the project's customer's, with a valid e-mail. */
  const shareable = (companyId: string, userId: string, customerId: string, contactId: string) => {
    const contact = contacts.get(companyId, userId, contactId);
    if (!contact || contact.archived) throw notFound('The contact');
    if (contact.customerId !== customerId) {
      throw unprocessable(
        'not-a-contact-of-the-customer',
        "The contact person is not one of the project's customer's.",
        [{ in: 'path', path: '/contactId', message: 'not a contact of the customer' }],
      );
    }
    const email = EmailSchema.safeParse(contact.email);
    if (!email.success) {
      throw unprocessable('no-valid-email', 'The contact person has no valid e-mail address.', [
        { in: 'path', path: '/contactId', message: 'no valid e-mail address' },
      ]);
    }
    return { id: contact.id, email: email.data };
  };
  const project = (companyId: string, id: string) => {
    const row = ctx.db
      .prepare('SELECT id, customer_id AS customerId FROM projects WHERE id = ? AND company_id = ?')
      .get(id, companyId) as { id: string; customerId: string } | undefined;
    if (!row) throw notFound('The project');
    return row;
  };

  app.get('/projects/:id/extranet-shares', {
    onRequest: ctx.auth.person,
    schema: {
      tags,
      security,
      operationId: 'listExtranetShares',
      summary: "List a project's extranet shares",
      description: 'The contact people the project is shared with, and what each may do and see.',
      params: ProjectParams,
      response: {
        200: json(z.object({ items: z.array(ExtranetShareSchema) }), 'The shares.'),
        ...errors(404),
      },
    },
    handler: async (request) => {
      const { companyId } = userOf(request);
      return { items: shares.list(companyId, project(companyId, request.params.id).id) };
    },
  });

  app.get('/projects/:id/extranet-shares/:contactId', {
    onRequest: ctx.auth.person,
    schema: {
      tags,
      security,
      operationId: 'getExtranetShare',
      summary: 'Read one extranet share',
      description: 'The project as shared with one contact person; 404 when it is not shared.',
      params: ShareParams,
      response: { 200: json(ExtranetShareSchema, 'The share.'), ...errors(404) },
    },
    handler: async (request) => {
      const { companyId } = userOf(request);
      const { id, contactId } = request.params;
      const share = shares.get(companyId, project(companyId, id).id, contactId);
      if (!share) throw notFound('The share');
      return share;
    },
  });

  app.put('/projects/:id/extranet-shares/:contactId', {
    onRequest: ctx.auth.person,
    schema: {
      tags,
      security,
      operationId: 'putExtranetShare',
      summary: 'Share a project, or change the sharing',
      description:
        'Sets the rights and visible sections; the change takes effect at once. The first share ' +
        'with a contact person sends them an invitation with a one-time password (201); a change ' +
        'sends nothing (200). The contact must be a contact person of the project’s customer ' +
        '(422 `not-a-contact-of-the-customer`) with a valid e-mail address (422 `no-valid-email`). ' +
        SHARING_RULE,
      params: ShareParams,
      body: ExtranetShareWriteSchema,
      response: {
        200: json(ExtranetShareSchema, 'Changed.'),
        201: json(ExtranetShareSchema, 'Shared; the invitation was sent.'),
        ...errors(404, 422, ...BODY_ERRORS),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const { id, contactId } = request.params;
      const target = project(companyId, id);
      mustShare(target.id, userId);
      const contact = shareable(companyId, userId, target.customerId, contactId);
      const { share, created } = shares.save(
        companyId,
        target.id,
        contact,
        request.body,
        ctx.clock.now(),
      );
      // The invitation itself (with its password) is in the outbox, never in this log line.
      request.log.info({ projectId: target.id, contactId: contact.id, created }, 'extranet share');
      return reply.code(created ? 201 : 200).send(share);
    },
  });

  app.delete('/projects/:id/extranet-shares/:contactId', {
    onRequest: ctx.auth.person,
    schema: {
      tags,
      security,
      operationId: 'deleteExtranetShare',
      summary: 'Stop sharing a project',
      description:
        'The contact person loses access to the project at once, and their unused one-time ' +
        'password stops working. 404 when it was not shared. ' +
        SHARING_RULE,
      params: ShareParams,
      response: { 204: NoContent('Stopped.'), ...errors(404) },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const { id, contactId } = request.params;
      const target = project(companyId, id);
      mustShare(target.id, userId);
      if (!shares.remove(companyId, target.id, contactId)) {
        throw notFound('The share');
      }
      return reply.code(204).send();
    },
  });

  app.post('/projects/:id/extranet-shares/:contactId/invitation', {
    onRequest: ctx.auth.person,
    schema: {
      tags,
      security,
      operationId: 'resendExtranetInvitation',
      summary: 'Send the invitation again, with a new one-time password',
      description:
        'For a contact person whose one-time password expired or was used: sends a new ' +
        'invitation; any earlier one-time password for the project stops working. 404 when the ' +
        'project is not shared with the contact. ' +
        SHARING_RULE,
      params: ShareParams,
      response: {
        202: json(InvitationSchema, 'Sent.'),
        ...errors(404, 422),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const { id, contactId } = request.params;
      const target = project(companyId, id);
      mustShare(target.id, userId);
      if (!shares.get(companyId, target.id, contactId)) throw notFound('The share');
      const contact = shareable(companyId, userId, target.customerId, contactId);
      const now = ctx.clock.now();
      const sent = ctx.db.transaction(() => shares.invite(companyId, target.id, contact, now))();
      request.log.info({ projectId: target.id, contactId: contact.id }, 'extranet invitation');
      return reply.code(202).send(sent);
    },
  });
}
