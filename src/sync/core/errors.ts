/**
 * One classification of everything that can go wrong talking to Outlook or the CRM (issue 3,
 * SPEC C2, C6, C7, E3). Each error carries a kind the engine acts on (retry, stop, resync, set
 * aside) and a code the pane turns into words: i18n keys `errors.<code>.message` and
 * `errors.<code>.remedy`, in every language.
 */

/** What the engine does with it. */
export type ErrorKind =
  | 'auth' // sign in again
  | 'forbidden' // the right is missing; retrying will not help
  | 'notFound'
  | 'conflict' // someone else changed it first: merge and retry
  | 'throttled' // wait (retryAfterMs) and retry
  | 'offline' // the network or the service is unreachable: retry later
  | 'invalidData' // this request or response is wrong: set the item aside
  | 'resyncRequired' // a cursor or delta link expired: drop it and read everything again
  | 'server'; // the service failed: retry later with backoff

/** What happened, precisely enough to tell the person what to do. */
export type ErrorCode =
  // SPEC C2: every field of the connection form gets its own message.
  | 'wrongApiKey'
  | 'wrongApiKeyType'
  | 'wrongCredentials'
  | 'passwordExpired'
  | 'roleMissing'
  | 'crmUnreachable'
  /** Issue 14: the CRM address answers with a redirect, never followed with credentials. */
  | 'crmRedirected'
  | 'tlsFailure'
  | 'insecureAddress'
  | 'invalidAddress'
  | 'mailboxMismatch' // SPEC C6: names both addresses
  | 'mailboxPairedElsewhere' // SPEC C5
  | 'syncDisabledForCompany' // SPEC C7
  | 'sessionExpired'
  | 'graphSignInFailed'
  | 'graphConsentRequired'
  /** Issue 11 item 6: a background run needs a Microsoft 365 sign-in and opens no window. */
  | 'graphSignInNeeded'
  | 'mailboxNotFound' // SPEC E3
  | 'serviceNotFound' // SPEC E3
  | 'calendarNotFound'
  | 'itemNotFound'
  | 'editConflict'
  | 'throttled'
  | 'offline'
  | 'invalidResponse'
  | 'invalidRequest'
  /** Graph ErrorOccurrenceCrossingBoundary (event-update.md): an occurrence moved past its neighbour. */
  | 'occurrenceCrossesNeighbour'
  | 'cursorExpired'
  /** Issue 14, item 5: the local store broke (quota, corruption, version) and was rebuilt. */
  | 'storeRebuilt'
  /** Issue 14: a run past its deadline ends; the next one goes on from the same cursor. */
  | 'runTimedOut'
  /**
   * Issue 14: something about this one item made the engine fail (a date, zone, repeat rule or
   * body it cannot handle); never sent by a service — the engine records it and sets the item aside.
   */
  | 'itemUnprocessable'
  /**
   * Issue 15, item 2: never thrown — the record of an item the brake held back until the person
   * answers its question (SPEC D3); the item waits in a pending row, its failures uncounted.
   */
  | 'heldByBrake'
  | 'serverError';

export const errorKindOf: Readonly<Record<ErrorCode, ErrorKind>> = {
  wrongApiKey: 'auth',
  wrongApiKeyType: 'forbidden',
  wrongCredentials: 'auth',
  passwordExpired: 'auth',
  roleMissing: 'forbidden',
  crmUnreachable: 'offline',
  crmRedirected: 'offline',
  tlsFailure: 'offline',
  insecureAddress: 'invalidData',
  invalidAddress: 'invalidData',
  mailboxMismatch: 'forbidden',
  mailboxPairedElsewhere: 'conflict',
  syncDisabledForCompany: 'forbidden',
  sessionExpired: 'auth',
  graphSignInFailed: 'auth',
  graphConsentRequired: 'auth',
  graphSignInNeeded: 'auth',
  mailboxNotFound: 'notFound',
  serviceNotFound: 'notFound',
  calendarNotFound: 'notFound',
  itemNotFound: 'notFound',
  editConflict: 'conflict',
  throttled: 'throttled',
  offline: 'offline',
  invalidResponse: 'invalidData',
  invalidRequest: 'invalidData',
  occurrenceCrossesNeighbour: 'invalidData',
  itemUnprocessable: 'invalidData',
  heldByBrake: 'forbidden',
  cursorExpired: 'resyncRequired',
  storeRebuilt: 'server',
  runTimedOut: 'server',
  serverError: 'server',
};

/**
 * Issue 14: the longest wait a service's Retry-After can impose. A larger value (or one past
 * setTimeout's 2^31−1 ms, which would fire at once and spin against a throttling service) is
 * read as this; a negative or unreadable one as none.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** A Retry-After in ms, bounded to [0, MAX_RETRY_AFTER_MS]; undefined when not a number. */
export function boundedRetryAfter(ms: number | undefined | null): number | undefined {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

export interface SyncErrorOptions {
  /** Values for the message, e.g. `{ mailbox, crmEmail }` for mailboxMismatch. Never secrets. */
  readonly params?: Readonly<Record<string, string>>;
  /** For throttled/offline/server: how long the service asked us to wait. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

export class SyncError extends Error {
  override readonly name: string = 'SyncError';
  readonly kind: ErrorKind;
  readonly params: Readonly<Record<string, string>>;
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: ErrorCode,
    detail: string,
    options: SyncErrorOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.kind = errorKindOf[code];
    this.params = options.params ?? {};
    this.retryAfterMs = boundedRetryAfter(options.retryAfterMs);
  }

  /** i18n key of the message a person reads. */
  get messageKey(): string {
    return `errors.${this.code}.message`;
  }

  /** i18n key of what the person can do about it. */
  get remedyKey(): string {
    return `errors.${this.code}.remedy`;
  }
}

/** A write lost a race (Graph 412, CRM 412): carries the record as the other side has it now. */
export class ConflictError<T> extends SyncError {
  override readonly name = 'ConflictError';
  constructor(
    detail: string,
    readonly current: T | null,
    options: SyncErrorOptions = {},
  ) {
    super('editConflict', detail, options);
  }
}
