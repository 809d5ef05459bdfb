/**
 * Authentication hooks. Every API call carries `X-Api-Key`; the key names the company and has
 * a type (`outlook` for the sync endpoints, `admin` for company settings and the sandbox).
 * Most calls also carry `Authorization: Bearer <accessToken>` from a session.
 * The hooks run on `onRequest`, before body parsing and validation, so an unauthenticated
 * caller learns nothing about the shape of the API from validation errors.
 */
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Db } from '../db/open';
import { sha256 } from '../domain/secrets';
import type { Sessions } from '../domain/sessions';
import { problem } from './problem';

export type KeyType = 'outlook' | 'admin';

export interface AuthContext {
  companyId: string;
  keyType: KeyType;
  /** Set when the route needs a session. */
  userId: string | null;
}

const contexts = new WeakMap<FastifyRequest, AuthContext>();

export function authOf(request: FastifyRequest): AuthContext {
  const ctx = contexts.get(request);
  if (!ctx) throw new Error('authOf() on a route without an auth hook');
  return ctx;
}

/** The signed-in user of a route that requires a session. */
export function userOf(request: FastifyRequest): { userId: string; companyId: string } {
  const ctx = authOf(request);
  if (!ctx.userId) throw new Error('userOf() on a route without a session');
  return { userId: ctx.userId, companyId: ctx.companyId };
}

export interface AuthRequirement {
  /** Key types allowed; anything else gets 403 `wrong-api-key-type`. */
  keys: readonly KeyType[];
  session: boolean;
}

export function resolveApiKey(db: Db, header: unknown): { companyId: string; type: KeyType } {
  if (typeof header !== 'string' || header.length === 0) {
    throw problem(401, 'missing-api-key', 'Unauthorized', 'Send the API key in X-Api-Key.');
  }
  const row = db
    .prepare('SELECT company_id, type FROM api_keys WHERE key_hash = ?')
    .get(sha256(header)) as { company_id: string; type: KeyType } | undefined;
  if (!row) throw problem(401, 'invalid-api-key', 'Unauthorized', 'The API key is not valid.');
  return { companyId: row.company_id, type: row.type };
}

export function makeAuthHook(
  db: Db,
  sessions: Sessions,
  need: AuthRequirement,
): onRequestHookHandler {
  return async (request) => {
    const key = resolveApiKey(db, request.headers['x-api-key']);
    if (!need.keys.includes(key.type)) {
      throw problem(
        403,
        'wrong-api-key-type',
        'Forbidden',
        `This operation needs an API key of type ${need.keys.join(' or ')}; this key is ${key.type}.`,
      );
    }
    let userId: string | null = null;
    if (need.session) {
      const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(request.headers.authorization ?? '');
      if (!match?.[1]) {
        throw problem(401, 'unauthorized', 'Unauthorized', 'Send Authorization: Bearer <token>.');
      }
      userId = sessions.authenticate(key.companyId, match[1]);
    }
    contexts.set(request, { companyId: key.companyId, keyType: key.type, userId });
  };
}

export interface AuthHooks {
  /** Outlook key and a session: the sync endpoints. */
  user: onRequestHookHandler;
  /** Outlook key, no session: signing in. */
  outlookKey: onRequestHookHandler;
  /** Any key type, no session: reading company settings. */
  anyKey: onRequestHookHandler;
  /** Admin key: changing company settings, the sandbox controls. */
  admin: onRequestHookHandler;
}

export function authHooks(db: Db, sessions: Sessions): AuthHooks {
  return {
    user: makeAuthHook(db, sessions, { keys: ['outlook'], session: true }),
    outlookKey: makeAuthHook(db, sessions, { keys: ['outlook'], session: false }),
    anyKey: makeAuthHook(db, sessions, { keys: ['outlook', 'admin'], session: false }),
    admin: makeAuthHook(db, sessions, { keys: ['admin'], session: false }),
  };
}

/** OpenAPI security requirements matching the hooks above. */
export const SECURITY = {
  user: [{ ApiKey: [], BearerAuth: [] }],
  key: [{ ApiKey: [] }],
};
