import * as z from 'zod';
import { boundedRetryAfter, ConflictError, SyncError, type ErrorCode } from '../sync/core/errors';

/** Graph's error body (https://learn.microsoft.com/graph/errors). */
const graphErrorBody = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});

export function graphErrorCode(body: unknown): string {
  const parsed = graphErrorBody.safeParse(body);
  return parsed.success ? (parsed.data.error?.code ?? '') : '';
}

export interface ErrorContext {
  /** What a 404 means for this request: the event or the calendar is gone. */
  readonly notFound: 'itemNotFound' | 'calendarNotFound';
  readonly retryAfterMs?: number | undefined;
}

/**
 * Maps a final (non-retried) Graph failure to the one SyncError classification. Only Graph's
 * error code goes into the detail, never the request or response content.
 */
export function toSyncError(status: number, body: unknown, ctx: ErrorContext): SyncError {
  const code = graphErrorCode(body);
  const detail = `Graph answered ${status}${code ? ` ${code}` : ''}`;
  const opts = ctx.retryAfterMs === undefined ? {} : { retryAfterMs: ctx.retryAfterMs };
  // Graph: an expired delta token is 410 Gone, or syncStateNotFound on some paths.
  if (status === 410 || /syncStateNotFound|resyncRequired/i.test(code)) {
    return new SyncError('cursorExpired', detail);
  }
  if (status === 412) return new ConflictError(detail, null);
  // event-update.md: "an occurrence cannot be moved to or before the day of the previous
  // occurrence, and cannot be moved to or after the day of the following occurrence".
  if (/ErrorOccurrenceCrossingBoundary/i.test(code)) {
    return new SyncError('occurrenceCrossesNeighbour', detail);
  }
  const mapped: ErrorCode =
    status === 401
      ? 'graphSignInFailed'
      : status === 403
        ? // Missing delegated scopes show as Authorization_RequestDenied / "insufficient
          // privileges"; ErrorAccessDenied on a folder is a missing mailbox right.
          /Authorization_RequestDenied|InsufficientPrivileges|consent/i.test(code)
          ? 'graphConsentRequired'
          : 'roleMissing'
        : status === 404
          ? /MailboxNotEnabled|MailboxNotFound|UserNotFound/i.test(code)
            ? 'mailboxNotFound'
            : ctx.notFound
          : status === 429
            ? 'throttled'
            : status >= 500
              ? 'serverError'
              : 'invalidRequest';
  return new SyncError(mapped, detail, opts);
}

/** A network failure, a dropped connection or a timeout, after the retries. */
export function offlineError(cause: unknown): SyncError {
  return new SyncError('offline', 'Microsoft Graph could not be reached', { cause });
}

export function invalidResponse(detail: string): SyncError {
  return new SyncError('invalidResponse', `Graph sent an unexpected response: ${detail}`);
}

/**
 * `Retry-After` in seconds (Graph sends seconds on 429/503); null when absent or unreadable.
 * Capped at one hour (MAX_RETRY_AFTER_MS): more would overflow setTimeout and fire at once.
 */
export function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\d+(\.\d+)?$/.test(header.trim())) return null;
  return boundedRetryAfter(Number(header) * 1000) ?? null;
}

/** The claims challenge of a 401 (`WWW-Authenticate: Bearer …, claims="<base64>"`), decoded. */
export function claimsChallenge(header: string | null): string | null {
  const m = header ? /claims="([^"]+)"/i.exec(header) : null;
  if (!m?.[1]) return null;
  try {
    return atob(m[1]);
  } catch {
    return null;
  }
}
