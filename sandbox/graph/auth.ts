import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GraphError } from './errors';

/**
 * Sandbox bearer tokens: `sbx.<base64url payload>.<base64url HMAC-SHA256>`. The secret lives in
 * the snapshot, so tokens survive a restart. Real Graph takes Entra ID tokens instead.
 */
export const TOKEN_LIFETIME_S = 3600;

interface Payload {
  mbx: string;
  exp: number;
}

const sign = (secret: string, data: string) =>
  createHmac('sha256', secret).update(data).digest('base64url');

export function issueToken(secret: string, mailbox: string, nowMs: number): string {
  const payload: Payload = { mbx: mailbox, exp: Math.floor(nowMs / 1000) + TOKEN_LIFETIME_S };
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `sbx.${data}.${sign(secret, data)}`;
}

const unauthorized = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message);

/** Returns the mailbox a request's bearer token is for, or throws Graph's 401. */
export function authenticate(
  req: FastifyRequest,
  secret: string,
  nowMs: number,
  known: (m: string) => boolean,
): string {
  const header = req.headers.authorization;
  if (!header) throw unauthorized('Access token is empty.');
  const m = /^Bearer\s+sbx\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(header);
  if (!m) throw unauthorized('IDX14100: JWT is not well formed.');
  const [, data = '', mac = ''] = m;
  const expected = Buffer.from(sign(secret, data));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw unauthorized('Access token validation failure. Invalid audience.');
  }
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as Payload;
  } catch {
    throw unauthorized('IDX14100: JWT is not well formed.');
  }
  if (payload.exp * 1000 <= nowMs)
    throw unauthorized('Lifetime validation failed, the token is expired.');
  if (!known(payload.mbx)) throw unauthorized('The token is for an unknown mailbox.');
  return payload.mbx;
}

/** The mailbox of an authenticated /v1.0 request (set by the auth hook). */
const mailboxes = new WeakMap<FastifyRequest, string>();
export const setRequestMailbox = (req: FastifyRequest, mbx: string): void =>
  void mailboxes.set(req, mbx);
export function requestMailbox(req: FastifyRequest): string {
  const mbx = mailboxes.get(req);
  if (!mbx) throw unauthorized('Access token is empty.');
  return mbx;
}
