/**
 * Authentication hooks. Every API call carries `X-Api-Key`; the key names the company and has
 * a type (`outlook` for the sync endpoints, `admin` for company settings and the sandbox,
 * `service` for the company's always-on sync service — issue 17).
 * Most calls also carry `Authorization: Bearer <accessToken>` from a session. A person's session
 * comes from their password (POST /sessions, `outlook` key); a service session from the `service`
 * key for one paired mailbox (POST /sessions/service) — each works only with its own key type, and
 * a service session only while the mailbox is paired and the company runs its sync service.
 * The hooks run on `onRequest`, before body parsing and validation, so an unauthenticated
 * caller learns nothing about the shape of the API from validation errors.
 */
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Db } from '../db/open';
import { sha256 } from '../domain/secrets';
import type { Sessions } from '../domain/sessions';
import { problem } from './problem';

export type KeyType = 'outlook' | 'admin' | 'service';

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
      const session = sessions.authenticate(key.companyId, match[1]);
      // A token is used with the kind of key it was issued under: a person's session never
      // with the service key, a service session never with the add-in's.
      if ((session.serviceMailbox !== null) !== (key.type === 'service')) {
        throw problem(
          401,
          'invalid-token',
          'Unauthorized',
          'The access token was not issued for this kind of API key.',
        );
      }
      if (session.serviceMailbox !== null) {
        assertServiceMayAct(db, key.companyId, session.serviceMailbox, session.userId);
      }
      userId = session.userId;
    }
    contexts.set(request, { companyId: key.companyId, keyType: key.type, userId });
  };
}

/**
 * Issue 17: a service session acts for its mailbox's user only while the mailbox is paired with
 * that user, the company has sync on (SPEC C7) and runs a sync service (Company.syncService).
 * Checked on every call, so unpairing or switching the service off ends its access at once.
 */
export function assertServiceMayAct(
  db: Db,
  companyId: string,
  mailbox: string,
  userId: string,
): void {
  const row = db
    .prepare(
      `SELECT c.sync_enabled, c.sync_service_url, p.user_id FROM companies c
       LEFT JOIN pairings p ON p.mailbox = ? AND p.user_id = ?
       WHERE c.id = ?`,
    )
    .get(mailbox, userId, companyId) as
    { sync_enabled: number; sync_service_url: string | null; user_id: string | null } | undefined;
  if (!row || row.sync_enabled !== 1) {
    throw problem(
      403,
      'sync-disabled',
      'Forbidden',
      'Calendar sync is not enabled for the company.',
    );
  }
  if (row.sync_service_url === null) {
    throw problem(
      403,
      'sync-service-off',
      'Forbidden',
      'The company does not run a sync service (Company.syncService is null).',
    );
  }
  if (row.user_id === null) {
    throw problem(
      403,
      'mailbox-not-paired',
      'Forbidden',
      'The mailbox is not paired with a CRM user of the company.',
    );
  }
}

export interface AuthHooks {
  /**
   * A session: a person's (outlook key) or the sync service's for a paired mailbox (service
   * key). The sync endpoints.
   */
  user: onRequestHookHandler;
  /** A person's own session (outlook key): pairing, extranet sharing, error reports. */
  person: onRequestHookHandler;
  /** Outlook key, no session: signing in. */
  outlookKey: onRequestHookHandler;
  /** Outlook or service key, no session: refreshing and revoking a session. */
  sessionKey: onRequestHookHandler;
  /** Service key, no session: opening a service session, the paired mailboxes, the signal. */
  service: onRequestHookHandler;
  /** Any key type, no session: reading company settings. */
  anyKey: onRequestHookHandler;
  /** Admin key: changing company settings, the sandbox controls. */
  admin: onRequestHookHandler;
}

export function authHooks(db: Db, sessions: Sessions): AuthHooks {
  return {
    user: makeAuthHook(db, sessions, { keys: ['outlook', 'service'], session: true }),
    person: makeAuthHook(db, sessions, { keys: ['outlook'], session: true }),
    outlookKey: makeAuthHook(db, sessions, { keys: ['outlook'], session: false }),
    sessionKey: makeAuthHook(db, sessions, { keys: ['outlook', 'service'], session: false }),
    service: makeAuthHook(db, sessions, { keys: ['service'], session: false }),
    anyKey: makeAuthHook(db, sessions, { keys: ['outlook', 'admin', 'service'], session: false }),
    admin: makeAuthHook(db, sessions, { keys: ['admin'], session: false }),
  };
}

/** OpenAPI security requirements matching the hooks above. */
export const SECURITY = {
  user: [{ ApiKey: [], BearerAuth: [] }],
  key: [{ ApiKey: [] }],
};
