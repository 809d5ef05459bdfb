/**
 * GET/PATCH /company: the company-level switch for calendar sync (SPEC C7) and, issue 17, the
 * address of the company's always-on sync service (null: the add-in syncs in the pane).
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { authOf, SECURITY } from '../http/auth';
import { BODY_ERRORS, errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on loopback only (a sandbox): the pane sends its session to this address. */
const ServiceUrlSchema = z
  .url()
  .max(2000)
  .refine(
    (value) => {
      const url = new URL(value);
      return (
        url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
      );
    },
    { message: 'must be an https URL (http only on loopback)' },
  )
  .refine((value) => !new URL(value).username && !new URL(value).password, {
    message: 'must not carry credentials',
  })
  .describe('An https URL (http only on loopback), without credentials. At most 2000 characters.');

const SyncServiceSchema = z
  .object({ url: ServiceUrlSchema.describe('Where the add-in reaches the service’s API.') })
  .meta({ id: 'SyncService', description: 'The company’s always-on sync service (issue 17).' });

export const CompanySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    syncEnabled: z
      .boolean()
      .describe('Calendar sync is switched on for the company; users can pair only then.'),
    syncService: SyncServiceSchema.nullable().describe(
      'Issue 17: the company runs the always-on sync service at this address, and the add-in ' +
        'shows its state instead of running sync in the pane. null: sync runs in the pane ' +
        '(the default; no server needed).',
    ),
  })
  .meta({ id: 'Company', description: 'The company the API key belongs to.' });

interface CompanyRow {
  id: string;
  name: string;
  sync_enabled: number;
  sync_service_url: string | null;
}

export function readCompany(ctx: CrmContext, companyId: string): z.output<typeof CompanySchema> {
  const row = ctx.db.prepare('SELECT * FROM companies WHERE id = ?').get(companyId) as CompanyRow;
  return {
    id: row.id,
    name: row.name,
    syncEnabled: row.sync_enabled === 1,
    syncService: row.sync_service_url === null ? null : { url: row.sync_service_url },
  };
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
        'Switches calendar sync on or off for the company, and sets or clears the address of ' +
        'its always-on sync service (`syncService`, issue 17). Fields left out keep their ' +
        'value. Needs an API key of type `admin`; any other key gets 403 `wrong-api-key-type`.',
      security: SECURITY.key,
      body: z
        .strictObject({
          syncEnabled: z.boolean().optional(),
          syncService: SyncServiceSchema.nullable().optional(),
        })
        .refine((body) => body.syncEnabled !== undefined || body.syncService !== undefined, {
          message: 'name at least one of syncEnabled and syncService',
        }),
      response: { 200: json(CompanySchema, 'The updated settings.'), ...errors(...BODY_ERRORS) },
    },
    handler: async (request) => {
      const { companyId } = authOf(request);
      const { syncEnabled, syncService } = request.body;
      ctx.db.transaction(() => {
        if (syncEnabled !== undefined) {
          ctx.db
            .prepare('UPDATE companies SET sync_enabled = ? WHERE id = ?')
            .run(syncEnabled ? 1 : 0, companyId);
        }
        if (syncService !== undefined) {
          ctx.db
            .prepare('UPDATE companies SET sync_service_url = ? WHERE id = ?')
            .run(syncService?.url ?? null, companyId);
        }
      })();
      return readCompany(ctx, companyId);
    },
  });
}
