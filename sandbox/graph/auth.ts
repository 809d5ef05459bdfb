import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GraphError } from './errors';

/**
 * Bearer tokens. Delegated (one person's mailbox): `sbx.<base64url payload>.<base64url HMAC>`
 * from POST /sandbox/token. Application (client credentials, issued by the emulated Entra token
 * endpoint, entra.ts): a JWT (HS256) whose claims follow Entra's app-only access tokens — `roles`
 * (the application permissions granted), `appid`, `tid`, `idtyp: "app"`, no `scp`
 * (learn.microsoft.com/entra/identity-platform/access-token-claims-reference). The secret lives in
 * the snapshot, so tokens survive a restart. Real Graph takes Entra ID tokens signed with RS256.
 */
export const TOKEN_LIFETIME_S = 3600;

interface Payload {
  mbx: string;
  exp: number;
}

/** The claims of an app-only token the emulator issues. */
export interface AppClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  roles: string[];
  idtyp: 'app';
  /** A unique token id (Entra's `uti`). */
  uti: string;
  iat: number;
  nbf: number;
  exp: number;
}

/** Who a /v1.0 request is from. */
export type Principal =
  | { kind: 'user'; mailbox: string }
  | { kind: 'app'; appId: string; tenantId: string; roles: readonly string[] };

const sign = (secret: string, data: string) =>
  createHmac('sha256', secret).update(data).digest('base64url');

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function issueToken(secret: string, mailbox: string, nowMs: number): string {
  const payload: Payload = { mbx: mailbox, exp: Math.floor(nowMs / 1000) + TOKEN_LIFETIME_S };
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `sbx.${data}.${sign(secret, data)}`;
}

export function issueAppToken(secret: string, claims: AppClaims): string {
  const data = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64(claims)}`;
  return `${data}.${sign(secret, data)}`;
}

const unauthorized = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message);

function verified(secret: string, data: string, mac: string): void {
  const expected = Buffer.from(sign(secret, data));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw unauthorized('Access token validation failure. Invalid audience.');
  }
}

function decode<T>(part: string): T {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as T;
  } catch {
    throw unauthorized('IDX14100: JWT is not well formed.');
  }
}

/**
 * Returns who a request's bearer token is for, or throws Graph's 401.
 * @param knownApp whether an app id is (still) registered — a deleted app's tokens stop working.
 */
export function authenticate(
  req: FastifyRequest,
  secret: string,
  nowMs: number,
  known: (m: string) => boolean,
  knownApp: (appId: string) => boolean = () => false,
  /**
   * App tokens live on the wall clock, like MSAL's token cache that decides when to ask again:
   * a test that moves the emulator's clock (for subscriptions) does not expire them.
   */
  wallNowMs: number = Date.now(),
): Principal {
  const header = req.headers.authorization;
  if (!header) throw unauthorized('Access token is empty.');
  const sbx = /^Bearer\s+sbx\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(header);
  if (sbx) {
    const [, data = '', mac = ''] = sbx;
    verified(secret, data, mac);
    const payload = decode<Payload>(data);
    if (payload.exp * 1000 <= nowMs)
      throw unauthorized('Lifetime validation failed, the token is expired.');
    if (!known(payload.mbx)) throw unauthorized('The token is for an unknown mailbox.');
    return { kind: 'user', mailbox: payload.mbx };
  }
  const jwt = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(header);
  if (!jwt) throw unauthorized('IDX14100: JWT is not well formed.');
  const [, head = '', body = '', mac = ''] = jwt;
  verified(secret, `${head}.${body}`, mac);
  const claims = decode<AppClaims>(body);
  if (claims.exp * 1000 <= wallNowMs)
    throw unauthorized('Lifetime validation failed, the token is expired.');
  if (claims.idtyp !== 'app' || !knownApp(claims.appid))
    throw unauthorized('Access token validation failure. Invalid audience.');
  return { kind: 'app', appId: claims.appid, tenantId: claims.tid, roles: claims.roles };
}

/** The principal and target mailbox of an authenticated /v1.0 request (set by the auth hook). */
const principals = new WeakMap<FastifyRequest, Principal>();
const mailboxes = new WeakMap<FastifyRequest, string>();
export const setRequestPrincipal = (req: FastifyRequest, p: Principal): void =>
  void principals.set(req, p);
export const setRequestMailbox = (req: FastifyRequest, mbx: string): void =>
  void mailboxes.set(req, mbx);
export function requestPrincipal(req: FastifyRequest): Principal {
  const p = principals.get(req);
  if (!p) throw unauthorized('Access token is empty.');
  return p;
}
export function requestMailbox(req: FastifyRequest): string {
  const mbx = mailboxes.get(req);
  if (!mbx) throw unauthorized('Access token is empty.');
  return mbx;
}
