/**
 * Extranet sharing (SPEC O3): a project shared with one of its customer's contact people, with
 * extra rights and the sections they may see. PUT creates or changes a share and takes effect at
 * once; the first PUT sends the invitation with a one-time password; DELETE stops the sharing.
 * Only a contact person of the project's customer with a valid e-mail address can be chosen.
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { ContactStore } from '../domain/contactStore';
import { ExtranetShares } from '../domain/extranetShares';
import { SECURITY, userOf } from '../http/auth';
import { notFound, unprocessable } from '../http/problem';
import { BODY_ERRORS, errors, json, NoContent } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ExtranetShareSchema, ExtranetShareWriteSchema } from '../schemas/extranet';
import { EmailSchema, IdSchema } from '../schemas/text';

const tags = ['extranet'];
const security = SECURITY.user;
const ProjectParams = z.strictObject({ id: IdSchema });
const ShareParams = z.strictObject({ id: IdSchema, contactId: IdSchema });

export function extranetRoutes(app: ZodApp, ctx: CrmContext): void {
  const shares = new ExtranetShares(ctx.db);
  const contacts = new ContactStore(ctx.db);
  const project = (companyId: string, id: string) => {
    const row = ctx.db
      .prepare('SELECT id, customer_id AS customerId FROM projects WHERE id = ? AND company_id = ?')
      .get(id, companyId) as { id: string; customerId: string } | undefined;
    if (!row) throw notFound('The project');
    return row;
  };

  app.get('/projects/:id/extranet-shares', {
    onRequest: ctx.auth.user,
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
    onRequest: ctx.auth.user,
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
    onRequest: ctx.auth.user,
    schema: {
      tags,
      security,
      operationId: 'putExtranetShare',
      summary: 'Share a project, or change the sharing',
      description:
        'Sets the rights and visible sections; the change takes effect at once. The first share ' +
        'with a contact person sends them an invitation with a one-time password (201); a change ' +
        'sends nothing (200). The contact must be a contact person of the project’s customer ' +
        '(422 `not-a-contact-of-the-customer`) with a valid e-mail address (422 `no-valid-email`).',
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
      const contact = contacts.get(companyId, userId, contactId);
      if (!contact || contact.archived) throw notFound('The contact');
      if (contact.customerId !== target.customerId) {
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
      const { share, created } = shares.save(
        companyId,
        target.id,
        { id: contact.id, email: email.data },
        request.body,
        ctx.clock.now(),
      );
      // The invitation itself (with its password) is in the outbox, never in this log line.
      request.log.info({ projectId: target.id, contactId: contact.id, created }, 'extranet share');
      return reply.code(created ? 201 : 200).send(share);
    },
  });

  app.delete('/projects/:id/extranet-shares/:contactId', {
    onRequest: ctx.auth.user,
    schema: {
      tags,
      security,
      operationId: 'deleteExtranetShare',
      summary: 'Stop sharing a project',
      description:
        'The contact person loses access to the project at once. 404 when it was not shared.',
      params: ShareParams,
      response: { 204: NoContent('Stopped.'), ...errors(404) },
    },
    handler: async (request, reply) => {
      const { companyId } = userOf(request);
      const { id, contactId } = request.params;
      if (!shares.remove(companyId, project(companyId, id).id, contactId)) {
        throw notFound('The share');
      }
      return reply.code(204).send();
    },
  });
}
