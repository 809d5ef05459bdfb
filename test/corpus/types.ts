/**
 * The bad-input corpus (issue 14, "Done when"): what real mailboxes, CRMs and people type hold,
 * as data. One runner (corpus.test.ts) loads every `*.cases.ts` file of this folder — each exports
 * `cases: readonly CorpusCase[]` — and plays them over the real sandbox servers on loopback HTTP:
 * every case is either synced or set aside with a reason, none ends a run, and the other items of
 * the run converge.
 *
 * Four areas:
 * - `graph`: an Outlook event as Microsoft Graph holds it. `event` is POSTed to the emulator as is;
 *   `tamper` (optional) rewrites the event's JSON in every answer Graph gives the client about it
 *   (a hostile-proxy in front of the emulator), for shapes the emulator itself would refuse to
 *   store (a malformed date, an unknown enum value).
 * - `crmFeed`: a CRM activity the change feed delivers. `activity` is an `ActivityCreate` body the
 *   reference server accepts (the runner adds `typeId` when it is absent); `tamper` rewrites the
 *   activity's JSON in every answer of the CRM (feed pages, lists, reads) for what the server
 *   would refuse to store (`showAs: "unknown"`, an unknown zone).
 * - `crmApi`: a request the reference server must refuse with `application/problem+json` and a
 *   4xx status, never a 500 and never a crash.
 * - `pane`: an input to the connection form or the preferences that must be rejected with a clear
 *   message (never a crash), or accepted.
 *
 * A case that cannot pass before another engineer's work lands carries `pendingOn` (that
 * engineer's name, e.g. 'i14iso'): the runner runs it, reports whether it passes yet, and does
 * not fail on it.
 */

/** Jest-style checks; a check throws when it does not hold. */
export type Check<T> = (value: T) => void;

/** JSON as it travels. */
export type Json =
  null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
export type JsonObject = { readonly [k: string]: Json };

/** What became of an item of the sync areas. */
export type SyncExpectation =
  /**
   * Copied to the other side; `check` sees both sides' JSON as their servers answer after the
   * runs (Graph event, CRM activity). The Outlook event is never rewritten by the echo of a
   * cleaned value: the runner checks that a second run writes nothing to Graph and mails nobody.
   */
  | {
      readonly kind: 'synced';
      readonly check?: Check<{ readonly outlook: JsonObject; readonly crm: JsonObject }>;
      /** A note recorded on the item (its history) although it synced, e.g. attendees cut off. */
      readonly note?: string;
    }
  /**
   * Set aside: not copied, the item's history holds a record with this code (a skip reason of
   * the plan, or the code of a failure that quarantined it). The run itself completes.
   */
  | { readonly kind: 'setAside'; readonly reason: string | RegExp }
  /** Nothing to copy and nothing to record (e.g. a cancelled occurrence or a free item filtered). */
  | { readonly kind: 'ignored' };

interface CaseBase {
  /** Unique across the corpus, kebab-case; also the item's marker in test output. */
  readonly id: string;
  /** One line: what is hostile about it. */
  readonly title: string;
  /** Whose work this case waits for; reported, not failed. */
  readonly pendingOn?: string;
}

export interface GraphCase extends CaseBase {
  readonly area: 'graph';
  /** A Graph `event` resource body for POST /me/events (subject, start, end, attendees …). */
  readonly event: JsonObject;
  /** Rewrites the event as Graph's answers show it to the client (list, delta, get). */
  readonly tamper?: (event: JsonObject) => JsonObject;
  readonly expect: SyncExpectation;
}

export interface CrmFeedCase extends CaseBase {
  readonly area: 'crmFeed';
  /** An `ActivityCreate` body (docs/crm-sync-api.yaml); `typeId` defaults to the meeting type. */
  readonly activity: JsonObject;
  /** Rewrites the activity as the CRM's answers show it to the client (feed, list, get). */
  readonly tamper?: (activity: JsonObject) => JsonObject;
  readonly expect: SyncExpectation;
}

export interface CrmApiCase extends CaseBase {
  readonly area: 'crmApi';
  readonly request: {
    readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    /** Under /api/v1, e.g. `/activities`; `{activityId}` is replaced by a real activity's id. */
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    /** JSON body; `rawBody` wins when both are given (bytes that are not JSON). */
    readonly body?: Json;
    readonly rawBody?: string;
    /** Send the signed-in user's bearer token and API key (default true). */
    readonly auth?: boolean;
  };
  /** The refusal: a 4xx status (one of these), as problem+json. */
  readonly expect: { readonly kind: 'refused'; readonly status: number | readonly number[] };
}

export interface PaneCase extends CaseBase {
  readonly area: 'pane';
  /**
   * Which input: the connection form (`apiKey`, `address`, `username`, `password` as typed), the
   * Preferences form (`outlookToCrm.daysBack` … as typed), or the preferences as roaming
   * settings hand them back (`input.stored`: any JSON, hand-edited or from another version).
   */
  readonly form: 'connection' | 'preferences' | 'storedPreferences';
  /** The fields as typed; absent fields take a valid default. */
  readonly input: Readonly<Record<string, Json>>;
  readonly expect:
    | { readonly kind: 'accepted' }
    /** Rejected with a message for this field (a message key or a pattern of the text). */
    | { readonly kind: 'rejected'; readonly field: string; readonly message?: RegExp };
}

export type CorpusCase = GraphCase | CrmFeedCase | CrmApiCase | PaneCase;
