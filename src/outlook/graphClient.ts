import type * as z from 'zod';
import { SyncError } from '../sync/core/errors';
import { isRedirect, MAX_PAGES, NO_REDIRECT, originOf } from '../transport/bounds';
import type { GraphTokenProvider } from './auth/tokenProvider';
import { parseBody, safeJson } from './graphBody';
import {
  claimsChallenge,
  offlineError,
  retryAfterMs,
  toSyncError,
  type ErrorContext,
} from './graphErrors';
import { Pacer, type GraphBudget, type PacerState, type SharedBudgetCounts } from './pacer';
import { Semaphore } from './semaphore';

export interface GraphClientOptions {
  /** `graphBaseUrl` from the add-in configuration, e.g. https://graph.microsoft.com/v1.0. */
  readonly baseUrl: string;
  readonly tokens: GraphTokenProvider;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter of the backoff. */
  readonly random?: () => number;
  /** Graph's Outlook limit is 4 concurrent requests per app and mailbox. */
  readonly maxConcurrent?: number;
  /** Attempts per request, the first included, for 429/503 and transient failures. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * The longest Retry-After waited for inside a request (default 60 s). A longer one ends the
   * request as `throttled` carrying the wait (at most an hour) for the scheduler, so a run never
   * sits on its lock for an hour.
   */
  readonly maxRetryAfterMs?: number;
  /** Pages one listing may take before it is stopped (issue 14). Default MAX_PAGES. */
  readonly maxPages?: number;
  /**
   * How long one attempt may take, answer body included, before it is given up and retried like
   * a dropped connection. Default 30 s: a hung request must not hold the run (and its lock).
   */
  readonly timeoutMs?: number;
  /**
   * Issue 17: the sync service's client acts with an app-only token, which Graph refuses on
   * `/me`; with a mailbox (id or userPrincipalName) every relative `/me…` path is sent as
   * `/users/{mailbox}…` instead (concepts/auth-v2-service.md). The pane leaves it unset.
   */
  readonly mailbox?: string;
  /**
   * Issue 16 item 4: the mailbox's request budget the pacer keeps below (default Graph's 10,000
   * per 10 minutes, concepts/throttling-limits.md). Every sub-request of a $batch counts.
   */
  readonly budget?: GraphBudget;
  /**
   * Issue 18: the budget's counts shared with other processes (the scale-out workers keep them
   * in PostgreSQL); in memory when unset.
   */
  readonly sharedBudget?: SharedBudgetCounts;
  /** The pacer's clock (ms since the epoch). */
  readonly now?: () => number;
}

/** What every view of one mailbox's client shares: the gate of 4 and the budget's pacer. */
export interface Shared {
  readonly gate: Semaphore;
  readonly pacer: Pacer;
}

export interface GraphRequest<T> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the base URL (`/me/events`), or an absolute nextLink/deltaLink. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Validates the response body; null for bodiless answers (204). */
  readonly schema: z.ZodType<T> | null;
  readonly notFound?: ErrorContext['notFound'];
  /**
   * The requests Graph counts for this one (issue 16): a $batch's sub-requests. Default 1. It
   * is what the pacer spends and how many of the 4 concurrent slots the request takes.
   */
  readonly cost?: number;
}

export interface GraphResponse<T> {
  readonly status: number;
  readonly data: T;
}

/**
 * Graph asks for both on every call: immutable ids survive moves between folders (SPEC M2), and
 * UTC times make every instant comparable without zone tables.
 */
export const PREFER = 'IdType="ImmutableId", outlook.timezone="UTC"';
const TRANSIENT = new Set([500, 502, 504]);
const DEFAULT_TIMEOUT_MS = 30_000;
const RETRY_AFTER = new Set([429, 503]);

/** A small typed fetch wrapper for Graph (REQUIREMENTS.md: no Graph SDK). */
export class GraphClient {
  private readonly gate: Semaphore;
  private readonly pacer: Pacer;
  private readonly fetchFn: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  readonly maxPages: number;

  constructor(
    private readonly opts: GraphClientOptions,
    /** The gate and pacer shared with another view of the same client (withTokens); own by default. */
    shared?: Shared,
  ) {
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.gate = shared?.gate ?? new Semaphore(opts.maxConcurrent ?? 4);
    this.pacer =
      shared?.pacer ??
      new Pacer({
        ...(opts.budget ? { budget: opts.budget } : {}),
        ...(opts.sharedBudget ? { shared: opts.sharedBudget } : {}),
        ...(opts.now ? { now: opts.now } : {}),
        sleep: this.sleep,
      });
    this.random = opts.random ?? Math.random;
    this.maxPages = opts.maxPages ?? MAX_PAGES;
  }

  /**
   * The same client asking another token source — the silent one for the sync loop, the
   * interactive one for a step the person asked for — through the same gate: Graph counts the 4
   * concurrent requests per app and mailbox (concepts/throttling-limits.md, Outlook service
   * limits), so every service of one mailbox shares one gate (issue 13 item 4).
   */
  withTokens(tokens: GraphTokenProvider): GraphClient {
    return new GraphClient({ ...this.opts, tokens }, this.sharedState());
  }

  /** The options and the gate and pacer, for another view of this client (./graphGroup.ts). */
  get options(): GraphClientOptions {
    return this.opts;
  }

  sharedState(): Shared {
    return { gate: this.gate, pacer: this.pacer };
  }

  /** Issue 16 item 4: what the mailbox spent of its budget, for the progress estimate. */
  budgetState(): PacerState {
    return this.pacer.state();
  }

  /**
   * A relative path as this client sends it: `/me…` as `/users/{mailbox}…` for the service's
   * client (issue 17) — a $batch sub-request's url too (graphBatch.ts), which `url` never sees.
   */
  rooted(path: string): string {
    return this.opts.mailbox === undefined
      ? path
      : path.replace(/^\/me(?=[/?]|$)/, `/users/${encodeURIComponent(this.opts.mailbox)}`);
  }

  /**
   * Issue 14: an absolute link (nextLink, deltaLink) is followed only on Graph's own origin (the
   * configured base URL's): a link elsewhere never gets the bearer token.
   */
  url(path: string): string {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      return `${this.opts.baseUrl.replace(/\/$/, '')}${this.rooted(path)}`;
    }
    if (originOf(path) !== originOf(this.opts.baseUrl)) {
      throw new SyncError(
        'invalidResponse',
        'Graph sent a link to another origin; it was not followed (the token stays with Graph)',
      );
    }
    return path;
  }

  async request<T>(req: GraphRequest<T>): Promise<GraphResponse<T>> {
    const maxAttempts = this.opts.maxAttempts ?? 5;
    const ctx = { notFound: req.notFound ?? 'itemNotFound' } as const;
    let claims: string | undefined;
    let claimsUsed = false;
    const url = this.url(req.path);
    for (let attempt = 1; ; attempt++) {
      let res: { status: number; headers: Headers; text: string };
      try {
        const token = await this.opts.tokens.getToken(claims === undefined ? {} : { claims });
        // Every attempt counts against the budget (Graph logs a throttled retry too); it is
        // spent inside the gate, just before it is sent, so our window matches Graph's.
        const cost = req.cost ?? 1;
        res = await this.gate.run(async () => {
          await this.pacer.take(cost);
          return this.send(req, url, token);
        }, cost);
      } catch (err) {
        if (err instanceof SyncError) throw err;
        // fetch rejects on a refused, reset or dropped connection: transient.
        if (attempt >= maxAttempts) throw offlineError(err);
        await this.sleep(this.backoff(attempt));
        continue;
      }
      const { status, headers, text } = res;
      if (status < 300) return { status, data: parseBody(req.schema, text) };
      const body = safeJson(text);
      const wait = retryAfterMs(headers.get('retry-after'));
      if (status === 401 && !claimsUsed) {
        // Graph: a 401 with a claims challenge (CAE, MFA step-up) is answered by one new token
        // request carrying the claims; then the call is repeated once.
        const challenge = claimsChallenge(headers.get('www-authenticate'));
        if (challenge !== null) {
          claims = challenge;
          claimsUsed = true;
          continue;
        }
      }
      claims = undefined;
      const retriable = RETRY_AFTER.has(status) || TRANSIENT.has(status);
      const tooLong = wait !== null && wait > (this.opts.maxRetryAfterMs ?? 60_000);
      if (!retriable || attempt >= maxAttempts || (RETRY_AFTER.has(status) && tooLong)) {
        throw toSyncError(status, body, { ...ctx, retryAfterMs: wait ?? undefined });
      }
      // Graph throttling: "wait the number of seconds specified in the Retry-After header".
      await this.sleep(RETRY_AFTER.has(status) && wait !== null ? wait : this.backoff(attempt));
    }
  }

  /** Exponential backoff with jitter in [d/2, d), d = base · 2^(attempt-1), capped. */
  private backoff(attempt: number): number {
    const base = this.opts.baseDelayMs ?? 500;
    const d = Math.min(this.opts.maxDelayMs ?? 30_000, base * 2 ** (attempt - 1));
    return Math.round(d / 2 + (this.random() * d) / 2);
  }

  private async send(
    req: GraphRequest<unknown>,
    url: string,
    token: string,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Prefer: PREFER,
      Accept: 'application/json',
      ...req.headers,
    };
    const init: RequestInit = {
      ...NO_REDIRECT,
      method: req.method,
      headers,
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(req.body);
    }
    const res = await this.fetchFn(url, init);
    if (isRedirect(res)) {
      // Issue 14: a redirect is not followed with the bearer token (NO_REDIRECT).
      throw new SyncError('serverError', `Graph answered ${res.status} (a redirect); not followed`);
    }
    // Reading the body inside the gate: a connection dropped mid-body is a transient failure too.
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
}
