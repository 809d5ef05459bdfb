/**
 * The CRM's change feeds (`/activities/changes`, `/contacts/changes`): opaque cursors, pages until
 * `hasMore` is false, tombstones. Every page is followed; a later page's state of an item replaces
 * an earlier one, and a tombstone cancels it (and the other way round).
 */
import type * as z from 'zod';
import { PageGuard } from '../transport/bounds';
import type { CrmAuth, CrmHttp } from './http';

/** Items per page we ask the CRM for. */
export const FEED_PAGE_SIZE = 200;

type FeedItem = { readonly id: string; readonly deleted: boolean };
type FeedPage<I extends FeedItem> = {
  readonly items: readonly I[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
};

export async function readChangeFeed<I extends FeedItem, T>(
  api: { readonly http: CrmHttp; readonly auth: CrmAuth },
  feed: { readonly path: string; readonly schema: z.ZodType<FeedPage<I>> },
  cursor: string | null,
  read: (item: Extract<I, { deleted: false }>) => T,
): Promise<{ changed: T[]; deleted: string[]; cursor: string }> {
  const changed = new Map<string, T>();
  const deleted = new Set<string>();
  let next = cursor;
  // Issue 14: `hasMore: true` for ever, or a cursor sent twice, ends the run (its lock released,
  // the stored cursor kept) instead of holding it.
  const guard = new PageGuard('The CRM change feed', api.http.maxPages);
  for (;;) {
    guard.next(next ?? '');
    const page = await api.http.call({
      method: 'GET',
      path: feed.path,
      query: { cursor: next ?? undefined, limit: String(FEED_PAGE_SIZE) },
      schema: feed.schema,
      auth: api.auth,
    });
    for (const item of page.items) {
      if (item.deleted) {
        changed.delete(item.id);
        deleted.add(item.id);
      } else {
        deleted.delete(item.id);
        changed.set(item.id, read(item as Extract<I, { deleted: false }>));
      }
    }
    next = page.nextCursor;
    if (!page.hasMore) break;
  }
  return { changed: [...changed.values()], deleted: [...deleted], cursor: next ?? '' };
}
