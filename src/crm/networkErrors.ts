/**
 * Network failures of fetch → SyncError (SPEC C2: "address unreachable" and "TLS failure" get
 * their own messages). Node's fetch (undici) throws `TypeError('fetch failed')` whose `cause`
 * (sometimes an AggregateError) carries the system or OpenSSL code; browsers give no cause.
 */
import { SyncError } from '../sync/core/errors';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

function codesOf(err: unknown, depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 5) return [];
  const codes: string[] = [];
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string') codes.push(own);
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner)) for (const e of inner) codes.push(...codesOf(e, depth + 1));
  codes.push(...codesOf((err as { cause?: unknown }).cause, depth + 1));
  return codes;
}

export type NetworkFailure = 'tls' | 'unreachable' | 'dropped';

export function classifyNetworkError(err: unknown): NetworkFailure {
  const codes = codesOf(err);
  const isTls = (c: string) =>
    TLS_CODES.has(c) ||
    c.startsWith('CERT_') ||
    c.startsWith('ERR_TLS_') ||
    c.startsWith('ERR_SSL_');
  if (codes.some(isTls)) return 'tls';
  if (codes.some((c) => UNREACHABLE_CODES.has(c))) return 'unreachable';
  // A reset or closed socket mid-request (ECONNRESET, UND_ERR_SOCKET): worth a retry.
  if (codes.length > 0) return 'dropped';
  // Browsers hide the reason; "unreachable" is the useful message on the sign-in form.
  return 'unreachable';
}

export function networkError(kind: NetworkFailure, cause: unknown): SyncError {
  if (kind === 'tls')
    return new SyncError('tlsFailure', 'TLS handshake with the CRM failed', { cause });
  if (kind === 'unreachable')
    return new SyncError('crmUnreachable', 'The CRM is unreachable', { cause });
  return new SyncError('offline', 'The connection to the CRM was lost', { cause });
}
