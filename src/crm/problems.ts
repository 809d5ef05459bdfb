/**
 * RFC 9457 problems from the CRM → SyncError (issue 3; SPEC C2, C5–C7, E3). The problem `code`
 * decides when the contract names one; otherwise the HTTP status does. Problem `detail` is the
 * server's prose and may quote input, so it never becomes the message: only codes and statuses.
 */
import * as z from 'zod';
import { ConflictError, type ErrorCode, SyncError } from '../sync/core/errors';
import {
  type ApiActivity,
  ActivityConflictProblemSchema,
  MailboxMismatchProblemSchema,
  ProblemSchema,
} from './schemas';

const BY_CODE: Readonly<Record<string, ErrorCode>> = {
  'missing-api-key': 'wrongApiKey',
  'invalid-api-key': 'wrongApiKey',
  'wrong-api-key-type': 'wrongApiKeyType',
  'invalid-credentials': 'wrongCredentials',
  // Codes a CRM may add for SPEC E3 ("password expired, role missing").
  'password-expired': 'passwordExpired',
  'role-missing': 'roleMissing',
  unauthorized: 'sessionExpired',
  'invalid-token': 'sessionExpired',
  'token-expired': 'sessionExpired',
  'session-expired': 'sessionExpired',
  'refresh-token-reused': 'sessionExpired',
  'sync-disabled': 'syncDisabledForCompany', // SPEC C7
  'mailbox-paired-elsewhere': 'mailboxPairedElsewhere', // SPEC C5
  'user-already-paired': 'mailboxPairedElsewhere', // SPEC C5: unpair the old mailbox first
  // The contract has no "not the owner" code of our own; both are a missing right (F3, D1).
  'not-owner': 'roleMissing',
  'owner-cannot-leave': 'roleMissing',
  'cursor-expired': 'cursorExpired',
  'invalid-cursor': 'cursorExpired',
  'not-found': 'itemNotFound',
  'route-not-found': 'serviceNotFound', // SPEC E3: the address is not a CRM Sync API
  'rate-limited': 'throttled',
  'service-unavailable': 'serverError',
};

function byStatus(status: number): ErrorCode {
  if (status === 401) return 'sessionExpired';
  if (status === 403) return 'roleMissing';
  if (status === 404) return 'itemNotFound';
  if (status === 410) return 'cursorExpired';
  if (status === 412) return 'editConflict';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'serverError';
  return 'invalidRequest'; // 400, 409, 413, 415, 422, 428: this request was wrong
}

/** The problem's `code`, or null when the body is not a problem. */
export function problemCode(body: unknown): string | null {
  const parsed = ProblemSchema.safeParse(body);
  return parsed.success ? parsed.data.code : null;
}

const CurrentOnlySchema = z.looseObject({ current: z.unknown() });

export function problemToError(
  status: number,
  body: unknown,
  retryAfterMs: number | undefined,
): SyncError {
  const parsed = ProblemSchema.safeParse(body);
  const code = parsed.success ? parsed.data.code : null;
  // JSON pointers of invalid fields help a developer; they hold no values.
  const where = parsed.success && parsed.data.errors ? parsed.data.errors.map((e) => e.path) : [];
  const detail =
    `CRM answered ${status}${code === null ? '' : ` ${code}`}` +
    (where.length > 0 ? ` at ${where.join(', ')}` : '');
  if (status === 412) {
    // The contract puts the activity as it is now in `current` (RxDB-style "real state").
    // An activity is checked here; another kind's record (a contact) is kept as it came, and
    // its adapter checks it against its own schema (crmContacts.ts).
    const conflict = ActivityConflictProblemSchema.safeParse(body);
    if (conflict.success) return new ConflictError<ApiActivity>(detail, conflict.data.current);
    const other = CurrentOnlySchema.safeParse(body);
    return new ConflictError<unknown>(detail, other.success ? other.data.current : null);
  }
  if (code === 'mailbox-mismatch') {
    // SPEC C6: the error names both addresses.
    const mm = MailboxMismatchProblemSchema.safeParse(body);
    const params: Record<string, string> = mm.success
      ? {
          mailbox: mm.data.mailbox,
          crmEmail: mm.data.userEmails[0] ?? '',
          crmEmails: mm.data.userEmails.join(', '),
        }
      : {};
    return new SyncError('mailboxMismatch', detail, { params });
  }
  const mapped = (code !== null ? BY_CODE[code] : undefined) ?? byStatus(status);
  return new SyncError(mapped, detail, { retryAfterMs });
}
