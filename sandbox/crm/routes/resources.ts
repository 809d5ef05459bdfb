/** GET /resources: rooms and equipment that can take part in activities (SPEC F4). */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { likePattern } from '../db/like';
import { SECURITY, userOf } from '../http/auth';
import { notFound } from '../http/problem';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { IdSchema, SearchQuery } from '../schemas/text';

const ResourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['room', 'equipment', 'vehicle', 'other']),
    email: z
      .string()
      .nullable()
      .describe('The resource mailbox (rooms have one): matches Outlook room attendees.'),
    capacity: z.int().nullable(),
  })
  .meta({ id: 'Resource', description: 'A bookable resource.' });

export function resourceRoutes(app: ZodApp, ctx: CrmContext): void {
  app.get('/resources', {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['resources'],
      operationId: 'listResources',
      summary: 'Search resources',
      description: 'Resources of the company, optionally filtered by name or e-mail (`q`).',
      security: SECURITY.user,
      querystring: z.strictObject({ q: SearchQuery }),
      response: {
        200: json(z.object({ items: z.array(ResourceSchema) }), 'Matching resources.'),
        ...errors(),
      },
    },
    handler: async (request) => {
      const like = likePattern(request.query.q);
      const items = ctx.db
        .prepare(
          `SELECT id, name, kind, email, capacity FROM resources WHERE company_id = ?
           AND (name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\') ORDER BY name`,
        )
        .all(userOf(request).companyId, like, like) as Array<z.output<typeof ResourceSchema>>;
      return { items };
    },
  });

  app.get('/resources/:id', {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['resources'],
      operationId: 'getResource',
      summary: 'Read a resource',
      description: 'One resource.',
      security: SECURITY.user,
      params: z.strictObject({ id: IdSchema }),
      response: { 200: json(ResourceSchema, 'The resource.'), ...errors(404) },
    },
    handler: async (request) => {
      const row = ctx.db
        .prepare(
          'SELECT id, name, kind, email, capacity FROM resources WHERE id = ? AND company_id = ?',
        )
        .get(request.params.id, userOf(request).companyId) as
        z.output<typeof ResourceSchema> | undefined;
      if (!row) throw notFound('The resource');
      return row;
    },
  });
}
