/** Contacts: list/get/create/update/archive, with ETags and a per-user Outlook mark. */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { ContactStore } from '../domain/contactStore';
import { requestHash } from '../domain/idempotency';
import { SECURITY, userOf } from '../http/auth';
import { checkIfMatch, IfMatchHeaders, IfMatchRequired } from '../http/preconditions';
import { notFound, unprocessable } from '../http/problem';
import { BODY_ERRORS, errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ContactCreateSchema, ContactPatchSchema, ContactSchema } from '../schemas/contact';
import { problemWithCurrent } from '../schemas/problem';
import { IdSchema, SearchQuery } from '../schemas/text';
import { IdempotencyKey, KEY_DESCRIPTION, idempotentCreate } from './idempotentCreate';

const Params = z.strictObject({ id: IdSchema });
const Flag = z.enum(['true', 'false']);
const ContactConflict = problemWithCurrent(
  ContactSchema,
  'ContactConflictProblem',
  'the current contact',
);
const tags = ['contacts'];
const security = SECURITY.user;

export function contactRoutes(app: ZodApp, ctx: CrmContext): void {
  const store = new ContactStore(ctx.db);
  const load = (companyId: string, userId: string, id: string) => {
    const contact = store.get(companyId, userId, id);
    if (!contact) throw notFound('The contact');
    return contact;
  };
  const customerMustExist = (companyId: string, customerId: string | null | undefined) => {
    if (!customerId) return;
    const row = ctx.db
      .prepare('SELECT 1 FROM customers WHERE id = ? AND company_id = ?')
      .get(customerId, companyId);
    if (!row)
      throw unprocessable('invalid-reference', 'The customer does not exist.', [
        { in: 'body', path: '/customerId', message: 'unknown customer' },
      ]);
  };

  app.get('/contacts', {
    onRequest: ctx.auth.user,
    schema: {
      tags,
      security,
      operationId: 'listContacts',
      summary: 'Search contacts',
      description:
        "Contact people by name or e-mail (`q`), customer, and the signed-in user's Outlook " +
        'mark (`syncToOutlook=true` gives what to sync to Outlook, SPEC K2). Archived ' +
        'contacts only with `includeArchived=true`. Paged with `limit`/`offset`.',
      querystring: z.strictObject({
        q: SearchQuery,
        customerId: IdSchema.optional(),
        syncToOutlook: Flag.optional(),
        includeArchived: Flag.default('false'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      response: {
        200: json(
          z.object({ items: z.array(ContactSchema), hasMore: z.boolean() }),
          'One page of contacts.',
        ),
        ...errors(),
      },
    },
    handler: async (request) => {
      const { companyId, userId } = userOf(request);
      const q = request.query;
      const items = store.list(companyId, userId, {
        q: q.q,
        customerId: q.customerId,
        syncToOutlook: q.syncToOutlook === undefined ? undefined : q.syncToOutlook === 'true',
        includeArchived: q.includeArchived === 'true',
        limit: q.limit + 1,
        offset: q.offset,
      });
      return { items: items.slice(0, q.limit), hasMore: items.length > q.limit };
    },
  });

  app.get('/contacts/:id', {
    onRequest: ctx.auth.user,
    schema: {
      tags,
      security,
      operationId: 'getContact',
      summary: 'Read a contact',
      description: 'One contact person (archived ones too), with its ETag.',
      params: Params,
      response: { 200: json(ContactSchema, 'The contact.'), ...errors(404) },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const contact = load(companyId, userId, request.params.id);
      return reply.header('ETag', contact.etag).send(contact);
    },
  });

  app.post('/contacts', {
    onRequest: ctx.auth.user,
    schema: {
      tags,
      security,
      operationId: 'createContact',
      summary: 'Create a contact (idempotent with a key)',
      description:
        'Creates a contact person (e.g. from an Outlook contact, SPEC K2). With ' +
        '`Idempotency-Key` a retry with the same key and body replays the original 201 ' +
        'response; the same key with another body is 422 `idempotency-key-reused`. Keys are ' +
        'scoped per user and kept for 24 hours.',
      headers: z.looseObject({
        'idempotency-key': IdempotencyKey.optional().describe(KEY_DESCRIPTION),
      }),
      body: ContactCreateSchema,
      response: {
        201: json(ContactSchema, 'Created (or replayed).'),
        ...errors(422, ...BODY_ERRORS),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const { body } = request;
      return idempotentCreate(ctx, reply, {
        userId,
        key: request.headers['idempotency-key'],
        hash: requestHash({ contact: body }),
        schema: ContactSchema,
        create: () => {
          customerMustExist(companyId, body.customerId);
          const saved = store.save(companyId, userId, null, body, ctx.clock.now());
          return { body: saved, etag: saved.etag, location: `/api/v1/contacts/${saved.id}` };
        },
      });
    },
  });

  app.patch('/contacts/:id', {
    onRequest: ctx.auth.user,
    schema: {
      tags,
      security,
      operationId: 'updateContact',
      summary: 'Update a contact',
      description: 'Changes the fields given. Requires If-Match (428 without, 412 if stale).',
      params: Params,
      headers: IfMatchRequired,
      body: ContactPatchSchema,
      response: {
        200: json(ContactSchema, 'The updated contact.'),
        ...errors(
          404,
          422,
          428,
          [412, 'Stale If-Match; `current` is the contact.', ContactConflict],
          ...BODY_ERRORS,
        ),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const contact = load(companyId, userId, request.params.id);
      checkIfMatch(request.headers['if-match'], contact.etag, true, () => contact);
      customerMustExist(companyId, request.body.customerId);
      const saved = store.save(companyId, userId, contact.id, request.body, ctx.clock.now());
      return reply.header('ETag', saved.etag).send(saved);
    },
  });

  app.post('/contacts/:id/archive', {
    onRequest: ctx.auth.user,
    schema: {
      tags,
      security,
      operationId: 'archiveContact',
      summary: 'Archive a contact',
      description:
        'Archives the contact (what deleting it in Outlook does, SPEC K2). If-Match optional.',
      params: Params,
      headers: IfMatchHeaders,
      response: {
        200: json(ContactSchema, 'The archived contact.'),
        ...errors(404, [412, 'Stale If-Match; `current` is the contact.', ContactConflict]),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const contact = load(companyId, userId, request.params.id);
      checkIfMatch(request.headers['if-match'], contact.etag, false, () => contact);
      const saved = store.archive(companyId, userId, contact.id, ctx.clock.now());
      return reply.header('ETag', saved.etag).send(saved);
    },
  });
}
