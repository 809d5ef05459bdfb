/**
 * The contacts' change log behind GET /contacts/changes (SPEC K2). A reader without a cursor
 * gets every contact of the company (a listing by id, paged), then the log from the sequence
 * number the listing started at; a reader with a cursor gets each contact changed since, once,
 * as its current state, or as a tombstone when it is gone. Compaction drops rows older than the
 * retention and raises a watermark: a cursor from before it may have missed a tombstone → 410.
 */
import type { Db } from '../db/open';
import * as log from './changeLogKind';
import { ringChange } from './changeSignal';

const CONTACT_LOG: log.LogKind = {
  table: 'contact_changes',
  idColumn: 'contact_id',
  scopeColumn: 'company_id',
  watermarkKey: 'contact_changes_compacted_through',
};

export function appendContactChange(db: Db, companyId: string, contactId: string, at: number) {
  db.prepare(
    'INSERT INTO contact_changes (contact_id, company_id, changed_at) VALUES (?, ?, ?)',
  ).run(contactId, companyId, at);
  ringChange(db);
}

export const contactHeadSeq = (db: Db): number => log.headSeqOf(db, CONTACT_LOG);

export const contactWatermark = (db: Db): number => log.watermarkOf(db, CONTACT_LOG);

/** Drops every row older than `cutoff` (the sandbox's compaction): older cursors get 410. */
export function compactContactChanges(db: Db, cutoff: number): { watermark: number } {
  return db.transaction(() => {
    const top = db
      .prepare('SELECT MAX(seq) AS seq FROM contact_changes WHERE changed_at < ?')
      .get(cutoff) as { seq: number | null };
    db.prepare('DELETE FROM contact_changes WHERE changed_at < ?').run(cutoff);
    // Rows through `top` are gone: a cursor at `top` or before may have missed a tombstone.
    return { watermark: log.raiseWatermark(db, CONTACT_LOG, top.seq === null ? 0 : top.seq + 1) };
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
  return log.encodeOpaque(
    c.listingAfter === null ? `k1.${c.seq}` : `k1.${c.seq}.${c.listingAfter}`,
  );
}

export function decodeContactCursor(db: Db, cursor: string | undefined): ContactCursor {
  if (cursor === undefined) return { seq: contactHeadSeq(db), listingAfter: '' };
  const m = log.decodeOpaque(cursor, /^k1\.(\d{1,15})(?:\.([A-Za-z0-9_-]{1,80}))?$/);
  const seq = Number(m[1]);
  if (!Number.isSafeInteger(seq) || seq > contactHeadSeq(db)) throw log.invalidCursor();
  if (seq < log.watermarkOf(db, CONTACT_LOG)) throw log.cursorExpired();
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
    return {
      page: page.map((r) => ({ contactId: r.id, changedAt: r.changedAt })),
      // The listing done, the log since it began follows at once.
      hasMore: hasMore || from.seq < contactHeadSeq(db),
      nextCursor: encodeContactCursor({
        seq: from.seq,
        listingAfter: hasMore && last ? last : null,
      }),
    };
  }
  const { page, hasMore, next } = log.readLog(db, CONTACT_LOG, companyId, from.seq, limit);
  return {
    page: page.map((r) => ({ contactId: r.itemId, changedAt: r.changedAt })),
    hasMore,
    nextCursor: encodeContactCursor({ seq: next, listingAfter: null }),
  };
}
