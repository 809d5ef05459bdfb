/**
 * Issue 14, item 2 — the bounds every HTTP conversation of the add-in keeps, for the CRM and for
 * Graph alike: no redirect is followed with credentials, a link a service sends is used only on
 * the origin it belongs to, and no pagination loop runs for ever.
 */
import { SyncError } from '../sync/core/errors';

/**
 * Every fetch of the add-in carries credentials (the CRM's API key and bearer token, Graph's
 * bearer token, a password or refresh token in a sign-in body), so none follows a redirect:
 * `redirect: 'manual'` hands the 3xx back instead. Browsers answer with an opaque-redirect
 * filtered response (type "opaqueredirect", status 0; Fetch standard, "HTTP-redirect fetch");
 * Node's fetch (undici) with the 3xx itself. Both are a redirect here.
 */
export const NO_REDIRECT = { redirect: 'manual' } as const satisfies RequestInit;

export function isRedirect(res: Pick<Response, 'status' | 'type'>): boolean {
  return res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400);
}

/** The origin (scheme, host, port) of an absolute URL; null when it is none. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Pages one listing may take (at 100–200 items a page: far beyond any calendar or feed). */
export const MAX_PAGES = 1_000;

/**
 * Guards a pagination loop: a link or cursor seen before (a cycle) or more than `maxPages` pages
 * (an endless "there is more") ends it with a run error — the run ends, its lock is released and
 * its cursor is kept, so the next run starts again from the same place.
 */
export class PageGuard {
  private readonly seen = new Set<string>();
  private pages = 0;

  constructor(
    /** Who sends the pages, for the message: "Graph", "the CRM". */
    private readonly service: string,
    private readonly maxPages: number = MAX_PAGES,
  ) {}

  /** Call before reading each page; `token` is its link or cursor. */
  next(token: string): void {
    this.pages += 1;
    if (this.seen.has(token)) {
      throw new SyncError(
        'invalidResponse',
        `${this.service} sent a page link it had sent before (a cycle); the listing was stopped`,
      );
    }
    if (this.pages > this.maxPages) {
      throw new SyncError(
        'invalidResponse',
        `${this.service} kept sending more pages (over ${this.maxPages}); the listing was stopped`,
      );
    }
    this.seen.add(token);
  }
}
