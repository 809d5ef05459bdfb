/**
 * The one door to the CRM Sync API (docs/crm-sync-api.yaml): `${address}/api/v1`, `X-Api-Key` on
 * every call, the session's bearer token, bounded retries, problem → SyncError, zod on every
 * body. It never logs: keys, tokens and appointment content must not reach a log (STYLE).
 */
import type * as z from 'zod';
import { boundedRetryAfter, SyncError } from '../sync/core/errors';
import { isRedirect, MAX_PAGES, NO_REDIRECT } from '../transport/bounds';
import { classifyNetworkError, networkError } from './networkErrors';
import { problemCode, problemToError } from './problems';

/** Supplies bearer tokens; CrmSession implements it. */
export interface CrmAuth {
  accessToken(): Promise<string>;
  /** Called after a `token-expired` 401 with the token that failed: refresh (single-flight). */
  refreshAfterExpiry(stale: string): Promise<string>;
}

export interface CrmHttpOptions {
  readonly address: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Attempts per call, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** A Retry-After longer than this is not waited for: the error carries it instead. */
  readonly maxRetryAfterMs?: number;
  readonly baseBackoffMs?: number;
  /**
   * How long one attempt may take, answer body included, before it is given up and treated as a
   * dropped connection (retried where that is safe). Default 30 s.
   */
  readonly timeoutMs?: number;
  /** Pages one feed listing may take before it is stopped (issue 14). Default MAX_PAGES. */
  readonly maxPages?: number;
}

export interface CrmRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The 2xx body's schema; null when none is read (204). */
  readonly schema: z.ZodType<T> | null;
  /** null: a call without a bearer token (sign-in, refresh). */
  readonly auth: CrmAuth | null;
  /** Statuses the caller handles itself: returned, not thrown. */
  readonly expect?: readonly number[];
  /** Retry after a dropped connection. Off where a repeat is harmful (refresh-token rotation). */
  readonly retryOnDrop?: boolean;
}

export type CrmResult<T> =
  | { readonly ok: true; readonly status: number; readonly body: T }
  | { readonly ok: false; readonly status: number; readonly body: unknown };

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) in ms, capped at one hour
 * (MAX_RETRY_AFTER_MS): a larger value would overflow setTimeout and fire at once.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return boundedRetryAfter(Number(header.trim()) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : boundedRetryAfter(at - nowMs);
}

export class CrmHttp {
  readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  private readonly baseBackoffMs: number;
  readonly maxPages: number;

  constructor(private readonly opts: CrmHttpOptions) {
    this.base = `${opts.address}/api/v1`;
    this.fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 30_000;
    this.baseBackoffMs = opts.baseBackoffMs ?? 250;
    this.maxPages = opts.maxPages ?? MAX_PAGES;
  }

  /** Exponential backoff with full jitter in its upper half: 0.5–1 × base × 2^(n-1). */
  private backoff(attempt: number): number {
    const ceiling = Math.min(8_000, this.baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }

  private url(req: CrmRequest<unknown>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    return `${this.base}${req.path}${qs === '' ? '' : `?${qs}`}`;
  }

  /** The 2xx body; every other answer throws. */
  async call<T>(req: Omit<CrmRequest<T>, 'expect'>): Promise<T> {
    const res = await this.send(req);
    if (!res.ok) throw new SyncError('invalidResponse', `Unexpected ${res.status}`);
    return res.body;
  }

  async send<T>(req: CrmRequest<T>): Promise<CrmResult<T>> {
    let token = req.auth ? await req.auth.accessToken() : null;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.maxAttempts;
      const headers: Record<string, string> = { 'X-Api-Key': this.opts.apiKey, ...req.headers };
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';
      let res: Response;
      let text: string;
      try {
        res = await this.fetchFn(this.url(req), {
          // Issue 14: every call carries the API key, and sign-in and refresh a password or a
          // refresh token in the body (which 307/308 would send on): no redirect is followed.
          ...NO_REDIRECT,
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
        });
        if (isRedirect(res)) {
          throw new SyncError(
            'crmRedirected',
            `The CRM answered ${res.status} (a redirect); not followed with the credentials`,
          );
        }
        text = await res.text();
      } catch (cause) {
        if (cause instanceof SyncError) throw cause;
        // A request that took too long is a dropped connection: the answer never came.
        const timedOut =
          typeof cause === 'object' &&
          cause !== null &&
          'name' in cause &&
          cause.name === 'TimeoutError';
        const kind = timedOut ? 'dropped' : classifyNetworkError(cause);
        if (kind === 'dropped' && req.retryOnDrop !== false && !last) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw networkError(kind, cause);
      }
      const body = parseJson(text);
      if (res.ok) return { ok: true, status: res.status, body: this.validate(req, body) };
      if (req.expect?.includes(res.status)) return { ok: false, status: res.status, body };
      if (res.status === 401 && req.auth && token !== null && !refreshed) {
        if (problemCode(body) === 'token-expired') {
          // Refresh once, then repeat the call with the new token.
          refreshed = true;
          token = await req.auth.refreshAfterExpiry(token);
          continue;
        }
      }
      const wait = retryAfterMs(res.headers.get('Retry-After'), Date.now());
      if ((res.status === 429 || res.status === 503) && !last) {
        if (wait === undefined || wait <= this.maxRetryAfterMs) {
          await this.sleep(wait ?? this.backoff(attempt));
          continue;
        }
      } else if (res.status >= 500 && !last) {
        await this.sleep(this.backoff(attempt));
        continue;
      }
      throw problemToError(res.status, body, wait);
    }
  }

  private validate<T>(req: CrmRequest<T>, body: unknown): T {
    if (req.schema === null) return undefined as T;
    const parsed = req.schema.safeParse(body);
    if (parsed.success) return parsed.data;
    // Paths only, never values: values are appointment content.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new SyncError(
      'invalidResponse',
      `${req.method} ${req.path}: unexpected body at ${where}`,
    );
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // a schema then refuses it: invalidResponse
  }
}
