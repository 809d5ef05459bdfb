/**
 * The contacts' change log behind GET /contacts/changes (SPEC K2). A reader without a cursor
 * gets every contact of the company (a listing by id, paged), then the log from the sequence
 * number the listing started at; a reader with a cursor gets each contact changed since, once,
 * as its current state, or as a tombstone when it is gone. Compaction drops rows older than the
 * retention and raises a watermark: a cursor from before it may have missed a tombstone → 410.
 */
import type { Db } from '../db/open';
import { problem } from '../http/problem';

const WATERMARK_KEY = 'contact_changes_compacted_through';

export function appendContactChange(db: Db, companyId: string, contactId: string, at: number) {
  db.prepare(
    'INSERT INTO contact_changes (contact_id, company_id, changed_at) VALUES (?, ?, ?)',
  ).run(contactId, companyId, at);
}

function contactWatermark(db: Db): number {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(WATERMARK_KEY) as
    { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

export function contactHeadSeq(db: Db): number {
  const row = db.prepare('SELECT MAX(seq) AS seq FROM contact_changes').get() as {
    seq: number | null;
  };
  return Math.max(row.seq ?? 0, contactWatermark(db));
}

/** Drops every row older than `cutoff` (the sandbox's compaction): older cursors get 410. */
export function compactContactChanges(db: Db, cutoff: number): { watermark: number } {
  return db.transaction(() => {
    const top = db
      .prepare('SELECT MAX(seq) AS seq FROM contact_changes WHERE changed_at < ?')
      .get(cutoff) as { seq: number | null };
    db.prepare('DELETE FROM contact_changes WHERE changed_at < ?').run(cutoff);
    // Rows through `top` are gone: a cursor at `top` or before may have missed a tombstone.
    const mark = Math.max(contactWatermark(db), top.seq === null ? 0 : top.seq + 1);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
      WATERMARK_KEY,
      String(mark),
    );
    return { watermark: mark };
  })();
}

/**
 * Opaque to clients: base64url of `k1.<seq>` (the log after seq) or `k1.<seq>.<id>` (a full
 * listing in progress after contact `id`, to continue with the log after seq).
 */
export interface ContactCursor {
  readonly seq: number;
  readonly listingAfter: string | null;
}

export function encodeContactCursor(c: ContactCursor): string {
  const text = c.listingAfter === null ? `k1.${c.seq}` : `k1.${c.seq}.${c.listingAfter}`;
  return Buffer.from(text).toString('base64url');
}

export function decodeContactCursor(db: Db, cursor: string | undefined): ContactCursor {
  if (cursor === undefined) return { seq: contactHeadSeq(db), listingAfter: '' };
  const m = /^k1\.(\d{1,15})(?:\.([A-Za-z0-9_-]{1,80}))?$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  const seq = Number(m?.[1]);
  if (!m || !Number.isSafeInteger(seq) || seq > contactHeadSeq(db)) {
    throw problem(400, 'invalid-cursor', 'Invalid cursor', 'The cursor was not issued here.');
  }
  if (seq < contactWatermark(db)) {
    throw problem(
      410,
      'cursor-expired',
      'Gone',
      'The change log no longer reaches back to this cursor. Do a full resync: read the ' +
        'changes without a cursor.',
    );
  }
  return { seq, listingAfter: m[2] ?? null };
}

export interface ContactChangeRef {
  readonly contactId: string;
  readonly changedAt: number | null;
}

/** One page: contact ids to show as they are now (or as tombstones), and the next cursor. */
export function readContactChanges(
  db: Db,
  companyId: string,
  from: ContactCursor,
  limit: number,
): { page: ContactChangeRef[]; hasMore: boolean; nextCursor: string } {
  if (from.listingAfter !== null) {
    const rows = db
      .prepare(
        `SELECT id, updated_at AS changedAt FROM contacts WHERE company_id = ? AND id > ?
         ORDER BY id LIMIT ?`,
      )
      .all(companyId, from.listingAfter, limit + 1) as Array<{ id: string; changedAt: number }>;
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1]?.id;
    const next: ContactCursor =
      hasMore && last
        ? { seq: from.seq, listingAfter: last }
        : { seq: from.seq, listingAfter: null };
    return {
      page: page.map((r) => ({ contactId: r.id, changedAt: r.changedAt })),
      // The listing done, the log since it began follows at once.
      hasMore: hasMore || from.seq < contactHeadSeq(db),
      nextCursor: encodeContactCursor(next),
    };
  }
  const rows = db
    .prepare(
      `SELECT contact_id AS contactId, MAX(seq) AS seq, MAX(changed_at) AS changedAt
       FROM contact_changes WHERE company_id = ? AND seq > ?
       GROUP BY contact_id ORDER BY seq LIMIT ?`,
    )
    .all(companyId, from.seq, limit + 1) as Array<{
    contactId: string;
    seq: number;
    changedAt: number;
  }>;
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  // With nothing more to read, jump to the head so an idle client's cursor never ages out.
  const next = hasMore
    ? (page[page.length - 1]?.seq ?? from.seq)
    : Math.max(from.seq, contactHeadSeq(db));
  return {
    page: page.map((r) => ({ contactId: r.contactId, changedAt: r.changedAt })),
    hasMore,
    nextCursor: encodeContactCursor({ seq: next, listingAfter: null }),
  };
}
