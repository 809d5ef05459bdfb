/** GET /me and /users: who is signed in, and the people an activity can include. */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { likePattern } from '../db/like';
import type { Db } from '../db/open';
import { SECURITY, userOf } from '../http/auth';
import { notFound } from '../http/problem';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { IdSchema, LanguageSchema, SearchQuery } from '../schemas/text';
import { CompanySchema, readCompany } from './company';

export const UserSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    email: z.string().describe('Primary e-mail address.'),
    aliases: z.array(z.string()).describe('Other addresses of the same person (SPEC C6).'),
    language: LanguageSchema,
    timeZone: z.string().describe('IANA time zone of the user.'),
  })
  .meta({ id: 'User', description: 'A CRM user.' });

type User = z.output<typeof UserSchema>;

interface UserRow {
  id: string;
  display_name: string;
  email: string;
  language: User['language'];
  time_zone: string;
}

export function toUser(db: Db, row: UserRow): User {
  const aliases = db
    .prepare('SELECT email FROM user_aliases WHERE user_id = ? ORDER BY email')
    .all(row.id) as Array<{ email: string }>;
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    aliases: aliases.map((a) => a.email),
    language: row.language,
    timeZone: row.time_zone,
  };
}

export function findUser(db: Db, companyId: string, id: string): User | undefined {
  const row = db
    .prepare('SELECT * FROM users WHERE id = ? AND company_id = ?')
    .get(id, companyId) as UserRow | undefined;
  return row && toUser(db, row);
}

const MeSchema = UserSchema.extend({ company: CompanySchema }).meta({
  id: 'Me',
  description: 'The signed-in user and their company.',
});

export function userRoutes(app: ZodApp, ctx: CrmContext): void {
  const common = { onRequest: ctx.auth.user } as const;
  app.get('/me', {
    ...common,
    schema: {
      tags: ['users'],
      operationId: 'getMe',
      summary: 'The signed-in user',
      description: 'The user, e-mail addresses and aliases, language (SPEC L2) and company.',
      security: SECURITY.user,
      response: { 200: json(MeSchema, 'The signed-in user.'), ...errors() },
    },
    handler: async (request) => {
      const { userId, companyId } = userOf(request);
      const user = findUser(ctx.db, companyId, userId) as User;
      return { ...user, company: readCompany(ctx, companyId) };
    },
  });

  app.get('/users', {
    ...common,
    schema: {
      tags: ['users'],
      operationId: 'listUsers',
      summary: 'Search users',
      description: 'Users of the company, optionally filtered by name or e-mail (`q`).',
      security: SECURITY.user,
      querystring: z.strictObject({ q: SearchQuery }),
      response: {
        200: json(z.object({ items: z.array(UserSchema) }), 'Matching users.'),
        ...errors(),
      },
    },
    handler: async (request) => {
      const like = likePattern(request.query.q);
      const rows = ctx.db
        .prepare(
          `SELECT * FROM users WHERE company_id = ? AND (display_name LIKE ? ESCAPE '\\'
           OR email LIKE ? ESCAPE '\\' OR id IN
           (SELECT user_id FROM user_aliases WHERE email LIKE ? ESCAPE '\\')) ORDER BY display_name`,
        )
        .all(userOf(request).companyId, like, like, like) as UserRow[];
      return { items: rows.map((r) => toUser(ctx.db, r)) };
    },
  });

  app.get('/users/:id', {
    ...common,
    schema: {
      tags: ['users'],
      operationId: 'getUser',
      summary: 'Read a user',
      description: 'One user of the company.',
      security: SECURITY.user,
      params: z.strictObject({ id: IdSchema }),
      response: { 200: json(UserSchema, 'The user.'), ...errors(404) },
    },
    handler: async (request) => {
      const user = findUser(ctx.db, userOf(request).companyId, request.params.id);
      if (!user) throw notFound('The user');
      return user;
    },
  });
}
