/** GET /activity-types: the activity type picklist in the requested language (SPEC L2). */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { SECURITY, userOf } from '../http/auth';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { LanguageSchema } from '../schemas/text';

const NamesSchema = z
  .object({ en: z.string(), fi: z.string(), sv: z.string(), it: z.string(), de: z.string() })
  .meta({ id: 'TranslatedNames', description: 'A name in each supported language.' });

const ActivityTypeSchema = z
  .object({
    id: z.string(),
    name: z.string().describe('The name in the picklist language.'),
    names: NamesSchema,
    personal: z
      .boolean()
      .describe('The personal type: Outlook "private" items map to it (SPEC P1).'),
  })
  .meta({ id: 'ActivityType', description: 'An activity type (meeting, phone call, …).' });

interface TypeRow {
  id: string;
  names: string;
  personal: number;
}

export function activityTypeRoutes(app: ZodApp, ctx: CrmContext): void {
  app.get('/activity-types', {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['activity-types'],
      operationId: 'listActivityTypes',
      summary: 'List activity types',
      description:
        'All activity types, with `name` in the picklist language: `lang` if given, else the ' +
        "user's language. At most one type is personal.",
      security: SECURITY.user,
      querystring: z.strictObject({
        lang: LanguageSchema.optional().describe("Picklist language; default the user's."),
      }),
      response: {
        200: json(z.object({ items: z.array(ActivityTypeSchema) }), 'The types, in order.'),
        ...errors(),
      },
    },
    handler: async (request) => {
      const { userId, companyId } = userOf(request);
      const user = ctx.db.prepare('SELECT language FROM users WHERE id = ?').get(userId) as {
        language: z.output<typeof LanguageSchema>;
      };
      const lang = request.query.lang ?? user.language;
      const rows = ctx.db
        .prepare('SELECT * FROM activity_types WHERE company_id = ? ORDER BY sort')
        .all(companyId) as TypeRow[];
      return {
        items: rows.map((r) => {
          const names = NamesSchema.parse(JSON.parse(r.names));
          return { id: r.id, name: names[lang], names, personal: r.personal === 1 };
        }),
      };
    },
  });
}
