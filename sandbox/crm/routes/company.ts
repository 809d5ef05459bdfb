/** GET/PATCH /company: the company-level switch for calendar sync (SPEC C7). */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { authOf, SECURITY } from '../http/auth';
import { BODY_ERRORS, errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';

export const CompanySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    syncEnabled: z
      .boolean()
      .describe('Calendar sync is switched on for the company; users can pair only then.'),
  })
  .meta({ id: 'Company', description: 'The company the API key belongs to.' });

interface CompanyRow {
  id: string;
  name: string;
  sync_enabled: number;
}

export function readCompany(ctx: CrmContext, companyId: string): z.output<typeof CompanySchema> {
  const row = ctx.db.prepare('SELECT * FROM companies WHERE id = ?').get(companyId) as CompanyRow;
  return { id: row.id, name: row.name, syncEnabled: row.sync_enabled === 1 };
}

export function companyRoutes(app: ZodApp, ctx: CrmContext): void {
  app.get('/company', {
    onRequest: ctx.auth.anyKey,
    schema: {
      tags: ['company'],
      operationId: 'getCompany',
      summary: 'Read company settings',
      description: 'Any API key may read the settings, e.g. to tell a user sync is not enabled.',
      security: SECURITY.key,
      response: { 200: json(CompanySchema, 'The company settings.'), ...errors() },
    },
    handler: async (request) => readCompany(ctx, authOf(request).companyId),
  });

  app.patch('/company', {
    onRequest: ctx.auth.admin,
    schema: {
      tags: ['company'],
      operationId: 'updateCompany',
      summary: 'Change company settings (admin key)',
      description:
        'Switches calendar sync on or off for the company. Needs an API key of type `admin`; ' +
        'an `outlook` key gets 403 `wrong-api-key-type`.',
      security: SECURITY.key,
      body: z.strictObject({ syncEnabled: z.boolean() }),
      response: { 200: json(CompanySchema, 'The updated settings.'), ...errors(...BODY_ERRORS) },
    },
    handler: async (request) => {
      const { companyId } = authOf(request);
      ctx.db
        .prepare('UPDATE companies SET sync_enabled = ? WHERE id = ?')
        .run(request.body.syncEnabled ? 1 : 0, companyId);
      return readCompany(ctx, companyId);
    },
  });
}
