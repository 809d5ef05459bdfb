/**
 * Customers, projects and sales cases: the relations an activity links to (SPEC F2, O1).
 * The three share one shape of operations, so one factory registers each.
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { likePattern } from '../db/like';
import { SECURITY, userOf } from '../http/auth';
import { notFound } from '../http/problem';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { IdSchema, SearchQuery } from '../schemas/text';

const CustomerSchema = z
  .object({ id: z.string(), name: z.string() })
  .meta({ id: 'Customer', description: 'A customer (account).' });
const ProjectSchema = z
  .object({ id: z.string(), name: z.string(), customerId: z.string() })
  .meta({ id: 'Project', description: 'A project of a customer.' });
const SalesCaseSchema = z
  .object({ id: z.string(), name: z.string(), customerId: z.string() })
  .meta({ id: 'SalesCase', description: 'A sales case (opportunity) of a customer.' });

interface Relation {
  path: string;
  table: string;
  noun: string;
  op: string;
  schema: z.ZodType;
  byCustomer: boolean;
}

const RELATIONS: Relation[] = [
  {
    path: '/customers',
    table: 'customers',
    noun: 'customer',
    op: 'Customer',
    schema: CustomerSchema,
    byCustomer: false,
  },
  {
    path: '/projects',
    table: 'projects',
    noun: 'project',
    op: 'Project',
    schema: ProjectSchema,
    byCustomer: true,
  },
  {
    path: '/sales-cases',
    table: 'sales_cases',
    noun: 'sales case',
    op: 'SalesCase',
    schema: SalesCaseSchema,
    byCustomer: true,
  },
];

function register(app: ZodApp, ctx: CrmContext, r: Relation): void {
  const columns = r.byCustomer ? 'id, name, customer_id AS customerId' : 'id, name';
  app.get(r.path, {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['relations'],
      operationId: `list${r.op === 'SalesCase' ? 'SalesCases' : `${r.op}s`}`,
      summary: `Search ${r.noun}s`,
      description:
        `${r.noun[0]?.toUpperCase()}${r.noun.slice(1)}s whose name contains \`q\`` +
        (r.byCustomer ? ', optionally of one customer (`customerId`).' : '.'),
      security: SECURITY.user,
      querystring: z.strictObject({
        q: SearchQuery,
        ...(r.byCustomer ? { customerId: IdSchema.optional() } : {}),
      }),
      response: { 200: json(z.object({ items: z.array(r.schema) }), 'Matches.'), ...errors() },
    },
    handler: async (request) => {
      const query = request.query as { q?: string; customerId?: string };
      const items = ctx.db
        .prepare(
          `SELECT ${columns} FROM ${r.table} WHERE company_id = ? AND name LIKE ? ESCAPE '\\'
           ${r.byCustomer && query.customerId ? 'AND customer_id = ?' : ''} ORDER BY name`,
        )
        .all(
          userOf(request).companyId,
          likePattern(query.q),
          ...(r.byCustomer && query.customerId ? [query.customerId] : []),
        );
      return { items };
    },
  });

  app.get(`${r.path}/:id`, {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['relations'],
      operationId: `get${r.op}`,
      summary: `Read a ${r.noun}`,
      description: `One ${r.noun}.`,
      security: SECURITY.user,
      params: z.strictObject({ id: IdSchema }),
      response: { 200: json(r.schema, `The ${r.noun}.`), ...errors(404) },
    },
    handler: async (request) => {
      const row: unknown = ctx.db
        .prepare(`SELECT ${columns} FROM ${r.table} WHERE id = ? AND company_id = ?`)
        .get(request.params.id, userOf(request).companyId);
      if (!row) throw notFound(`The ${r.noun}`);
      return row;
    },
  });
}

export function relationRoutes(app: ZodApp, ctx: CrmContext): void {
  for (const r of RELATIONS) register(app, ctx, r);
}
