/**
 * The CRM's change feeds (`/activities/changes`, `/contacts/changes`): opaque cursors, pages until
 * `hasMore` is false, tombstones. Every page is followed; a later page's state of an item replaces
 * an earlier one, and a tombstone cancels it (and the other way round).
 *
 * Issue 14: a page is checked as an envelope (cursor, hasMore, a list), then entry by entry. One
 * entry outside the contract (`showAs: "unknown"`, a missing etag) or one the mapping cannot
 * read is set aside by its id — `unreadable`, as Graph's delta does (outlook/deltaReader.ts) — and
 * the feed advances past it; an entry without even an id is only counted. Nothing of a bad
 * entry's content is kept or logged: it is appointment content.
 */
import * as z from 'zod';
import { PageGuard } from '../transport/bounds';
import type { CrmAuth, CrmHttp } from './http';

/** Items per page we ask the CRM for. */
export const FEED_PAGE_SIZE = 200;

type FeedItem = { readonly id: string; readonly deleted: boolean };

/** A page as an envelope: the entries are checked one by one afterwards. */
const FeedEnvelopeSchema = z.object({
  items: z.array(z.unknown()),
  nextCursor: z.string().min(1, 'nextCursor must not be empty'),
  hasMore: z.boolean(),
});

export interface FeedResult<T> {
  readonly changed: T[];
  readonly deleted: string[];
  readonly cursor: string;
  /** Ids of entries that could not be read: set aside, the feed went past them. */
  readonly unreadable?: readonly string[];
  /** Entries so broken they carry no id: nothing to set aside, only counted. */
  readonly unidentified?: number;
}

/** The id of an entry that failed its schema, when it has one we can trust as an id. */
function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { readonly id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
}

export async function readChangeFeed<I extends FeedItem, T>(
  api: { readonly http: CrmHttp; readonly auth: CrmAuth },
  feed: { readonly path: string; readonly entry: z.ZodType<I> },
  cursor: string | null,
  read: (item: Extract<I, { deleted: false }>) => T,
): Promise<FeedResult<T>> {
  const changed = new Map<string, T>();
  const deleted = new Set<string>();
  const unreadable = new Set<string>();
  let unidentified = 0;
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
      schema: FeedEnvelopeSchema,
      auth: api.auth,
    });
    for (const raw of page.items) {
      const parsed = feed.entry.safeParse(raw);
      let mapped: { readonly ok: true; readonly value: T } | { readonly ok: false } = {
        ok: false,
      };
      if (parsed.success && !parsed.data.deleted) {
        try {
          mapped = { ok: true, value: read(parsed.data as Extract<I, { deleted: false }>) };
        } catch {
          // A shape the contract allows but the mapping cannot read: set aside like a bad shape.
        }
      }
      const id = parsed.success ? parsed.data.id : idOf(raw);
      if (id === null) {
        unidentified += 1;
        continue;
      }
      changed.delete(id);
      deleted.delete(id);
      unreadable.delete(id);
      if (parsed.success && parsed.data.deleted) deleted.add(id);
      else if (mapped.ok) changed.set(id, mapped.value);
      else unreadable.add(id);
    }
    next = page.nextCursor;
    if (!page.hasMore) break;
  }
  return {
    changed: [...changed.values()],
    deleted: [...deleted],
    cursor: next ?? '',
    ...(unreadable.size > 0 ? { unreadable: [...unreadable] } : {}),
    ...(unidentified > 0 ? { unidentified } : {}),
  };
}
