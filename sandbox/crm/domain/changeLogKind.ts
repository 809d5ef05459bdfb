/**
 * The change-log machinery both item kinds share (issue 13): activities (changeLog.ts) and
 * contacts (contactChanges.ts) each keep a log table of (item, reader scope, seq, changed at), a
 * compaction watermark in `meta`, opaque base64url cursors, and pages of "each item once, newest
 * change, oldest first". What differs per kind — who a row is for (a user, a company), what
 * compaction keeps, what a cursor carries — stays in the kind's module.
 */
import type { Db } from '../db/open';
import { problem } from '../http/problem';

export interface LogKind {
  readonly table: 'activity_changes' | 'contact_changes';
  readonly idColumn: 'activity_id' | 'contact_id';
  /** Whose row it is: a user who could see the activity, the company owning the contact. */
  readonly scopeColumn: 'user_id' | 'company_id';
  readonly watermarkKey: string;
}

/** The highest seq compaction removed (or raised the mark to): older cursors get 410. */
export function watermarkOf(db: Db, kind: LogKind): number {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(kind.watermarkKey) as
    { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

/** The newest seq a cursor may name: the log's last row, or the watermark past an empty log. */
export function headSeqOf(db: Db, kind: LogKind): number {
  const row = db.prepare(`SELECT MAX(seq) AS seq FROM ${kind.table}`).get() as {
    seq: number | null;
  };
  return Math.max(row.seq ?? 0, watermarkOf(db, kind));
}

/** Raises the watermark to `mark` (never lowers it); returns the mark now stored. */
export function raiseWatermark(db: Db, kind: LogKind, mark: number): number {
  const next = Math.max(watermarkOf(db, kind), mark);
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
    kind.watermarkKey,
    String(next),
  );
  return next;
}

export function encodeOpaque(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** The cursor's text matched against the kind's format; 400 when it was not issued here. */
export function decodeOpaque(cursor: string, format: RegExp): RegExpExecArray {
  const m = format.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalidCursor();
  return m;
}

export function invalidCursor() {
  return problem(400, 'invalid-cursor', 'Invalid cursor', 'The cursor was not issued here.');
}

export function cursorExpired() {
  return problem(
    410,
    'cursor-expired',
    'Gone',
    'The change log no longer reaches back to this cursor. Do a full resync: read the ' +
      'changes without a cursor.',
  );
}

export interface LogRow {
  readonly itemId: string;
  readonly seq: number;
  readonly changedAt: number;
}

/**
 * One page of the log for `scopeId` after `after`: each item once (its newest change), oldest
 * first, and the seq to continue after.
 */
export function readLog(
  db: Db,
  kind: LogKind,
  scopeId: string,
  after: number,
  limit: number,
): { page: LogRow[]; hasMore: boolean; next: number } {
  const rows = db
    .prepare(
      `SELECT ${kind.idColumn} AS itemId, MAX(seq) AS seq, MAX(changed_at) AS changedAt
       FROM ${kind.table} WHERE ${kind.scopeColumn} = ? AND seq > ?
       GROUP BY ${kind.idColumn} ORDER BY seq LIMIT ?`,
    )
    .all(scopeId, after, limit + 1) as LogRow[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  // With nothing more to read, jump to the head so an idle client's cursor never ages out.
  const next = hasMore
    ? (page[page.length - 1]?.seq ?? after)
    : Math.max(after, headSeqOf(db, kind));
  return { page, hasMore, next };
}
