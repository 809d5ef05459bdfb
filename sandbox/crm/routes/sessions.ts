/** POST /sessions, /sessions/refresh, /sessions/revoke: sign-in and the token lifecycle. */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { assertServiceMayAct, authOf, SECURITY } from '../http/auth';
import { problem } from '../http/problem';
import { EmailSchema } from '../schemas/text';
import { BODY_ERRORS, errors, json, NoContent } from '../http/responses';
import type { ZodApp } from '../http/zodApp';

const TokensSchema = z
  .object({
    accessToken: z.string().describe('Send as `Authorization: Bearer <accessToken>`.'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int().describe('Seconds until the access token expires.'),
    refreshToken: z.string().describe('Single use: each refresh returns a new one.'),
    refreshExpiresIn: z.int().describe('Seconds until the refresh token expires.'),
    userId: z.string().describe('The signed-in CRM user.'),
  })
  .meta({ id: 'SessionTokens', description: 'A short-lived access token and a refresh token.' });

const RefreshSchema = z.strictObject({
  refreshToken: z.string().min(1).max(200),
});

export function sessionRoutes(app: ZodApp, ctx: CrmContext): void {
  app.post('/sessions', {
    onRequest: ctx.auth.outlookKey,
    schema: {
      tags: ['sessions'],
      operationId: 'createSession',
      summary: 'Sign in',
      description:
        'Signs a CRM user in with username (the e-mail address or an alias) and password and ' +
        'returns an access token and a refresh token. The password is never stored by the ' +
        'add-in; the server stores only scrypt hashes of passwords and SHA-256 hashes of tokens. ' +
        '**Rate limit a vendor must keep:** failed sign-ins are counted per user name and per ' +
        'client address (the reference server: 5 per user name and 20 per address in 15 ' +
        'minutes); past the limit every attempt, right or wrong, is refused with 429 ' +
        '`too-many-sign-in-attempts` and `Retry-After` (seconds until the window ends), before ' +
        'the password is checked. A successful sign-in clears its user name’s count. Hash ' +
        'passwords off the request thread, at a current work factor (OWASP: scrypt N=2^17, r=8, ' +
        'p=1, or Argon2id).',
      security: SECURITY.key,
      body: z.strictObject({
        username: z.string().min(1).max(254).describe('E-mail address or alias of the user.'),
        password: z.string().min(1).max(200),
      }),
      response: {
        201: json(TokensSchema, 'Signed in.'),
        ...errors(
          [401, 'Wrong API key or `invalid-credentials`.'],
          [
            429,
            '`too-many-sign-in-attempts`: too many failed sign-ins for this user name or from ' +
              'this address. Wait `Retry-After` seconds.',
          ],
          ...BODY_ERRORS,
        ),
      },
    },
    handler: async (request, reply) => {
      const { companyId } = authOf(request);
      const { username, password } = request.body;
      const tokens = await ctx.sessions.signIn(companyId, username, password, request.ip);
      return reply.code(201).send(tokens);
    },
  });

  app.post('/sessions/service', {
    onRequest: ctx.auth.service,
    schema: {
      tags: ['sessions'],
      operationId: 'createServiceSession',
      summary: 'Open a session for a paired mailbox (service key)',
      description:
        'Issue 17: the company’s always-on sync service acts for its paired users with a key ' +
        'of type `service` — server to server, never a person’s password. It names the user by ' +
        'the mailbox paired with them (PUT /pairing) and gets a session for that user, used as ' +
        'any other (`Authorization: Bearer`, refresh, revoke) but only together with the ' +
        'service key, and only while the mailbox stays paired, the company has sync on and ' +
        '`Company.syncService` is set: every call checks it again (403 `mailbox-not-paired`, ' +
        '`sync-disabled`, `sync-service-off`). A person’s session does not work with the ' +
        'service key, nor a service session with the `outlook` key (401 `invalid-token`). ' +
        'Pairing and unpairing, and extranet sharing, stay the person’s own.',
      security: SECURITY.key,
      body: z.strictObject({
        mailbox: EmailSchema.describe('The paired mailbox whose user the service acts for.'),
      }),
      response: {
        201: json(TokensSchema, 'A session for the user the mailbox is paired with.'),
        ...errors(
          [
            403,
            '`wrong-api-key-type`, `sync-disabled`, `sync-service-off` or `mailbox-not-paired`.',
          ],
          ...BODY_ERRORS,
        ),
      },
    },
    handler: async (request, reply) => {
      const { companyId } = authOf(request);
      const mailbox = request.body.mailbox.toLowerCase();
      const pair = ctx.db
        .prepare(
          `SELECT p.user_id FROM pairings p JOIN users u ON u.id = p.user_id
           WHERE p.mailbox = ? AND u.company_id = ?`,
        )
        .get(mailbox, companyId) as { user_id: string } | undefined;
      if (!pair) {
        throw problem(
          403,
          'mailbox-not-paired',
          'Forbidden',
          'The mailbox is not paired with a CRM user of the company.',
        );
      }
      assertServiceMayAct(ctx.db, companyId, mailbox, pair.user_id);
      return reply.code(201).send(ctx.sessions.openServiceSession(mailbox, pair.user_id));
    },
  });

  app.post('/sessions/refresh', {
    onRequest: ctx.auth.sessionKey,
    schema: {
      tags: ['sessions'],
      operationId: 'refreshSession',
      summary: 'Refresh a session (rotates the refresh token)',
      description:
        'Exchanges a refresh token for a new access token and a new refresh token. Each ' +
        'refresh token works once: presenting a rotated one revokes the whole session (401 ' +
        '`refresh-token-reused`), since it means the token leaked or two clients raced. ' +
        '**Retry grace a vendor must keep:** the same refresh token presented again within 60 ' +
        'seconds of its rotation, while the pair that rotation issued is still unused, is a ' +
        'client whose answer was lost (a 5xx from a gateway, a dropped connection): it gets a ' +
        'new pair, the unused pair stops working, and the session lives on. A service ' +
        'session (POST /sessions/service) is refreshed with the `service` key, a person’s ' +
        'with the `outlook` key; the other gives 401 `invalid-token`.',
      security: SECURITY.key,
      body: RefreshSchema,
      response: {
        200: json(TokensSchema, 'A new token pair.'),
        ...errors(
          [401, '`invalid-token`, `refresh-token-reused` or `session-expired`: sign in again.'],
          ...BODY_ERRORS,
        ),
      },
    },
    handler: async (request) => {
      const { companyId, keyType } = authOf(request);
      return ctx.sessions.refresh(companyId, request.body.refreshToken, keyType === 'service');
    },
  });

  app.post('/sessions/revoke', {
    onRequest: ctx.auth.sessionKey,
    schema: {
      tags: ['sessions'],
      operationId: 'revokeSession',
      summary: 'Sign out (revoke a session)',
      description:
        'Revokes the session the refresh token belongs to: its access and refresh tokens stop ' +
        'working at once. Unknown tokens are accepted silently (RFC 7009 §2.2).',
      security: SECURITY.key,
      body: RefreshSchema,
      response: { 204: NoContent('Revoked.'), ...errors(...BODY_ERRORS) },
    },
    handler: async (request, reply) => {
      ctx.sessions.revoke(authOf(request).companyId, request.body.refreshToken);
      return reply.code(204).send();
    },
  });
}
