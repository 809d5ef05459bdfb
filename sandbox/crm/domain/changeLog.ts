/**
 * The activity change log behind GET /activities/changes. One row per (change, user who could
 * see the activity before or after it), so a user whose visibility ends — removed as a
 * participant — still learns of it (as a tombstone).
 *
 * Compaction keeps, for each (activity, user), the newest row while the activity is still
 * visible to that user: reading from the beginning therefore always yields the full current
 * state. Older rows and tombstones go once older than the retention; a cursor from before
 * the highest removed row may have missed a tombstone, so it gets 410 Gone (full resync).
 */
import type { Db } from '../db/open';
import { problem } from '../http/problem';

export const WATERMARK_KEY = 'changes_compacted_through';

export function appendChanges(db: Db, activityId: string, userIds: Iterable<string>, at: number) {
  const insert = db.prepare(
    'INSERT INTO activity_changes (activity_id, user_id, changed_at) VALUES (?, ?, ?)',
  );
  for (const userId of new Set(userIds)) insert.run(activityId, userId, at);
}

export function watermark(db: Db): number {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(WATERMARK_KEY) as
    { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

export function headSeq(db: Db): number {
  const row = db.prepare('SELECT MAX(seq) AS seq FROM activity_changes').get() as {
    seq: number | null;
  };
  return Math.max(row.seq ?? 0, watermark(db));
}

/** Removes rows older than `cutoff` that a reader from the beginning no longer needs. */
export function compact(db: Db, cutoff: number): { removed: number; watermark: number } {
  return db.transaction(() => {
    const doomed = `
      FROM activity_changes AS c WHERE c.changed_at < @cutoff AND (
        c.seq < (SELECT MAX(seq) FROM activity_changes l
                 WHERE l.activity_id = c.activity_id AND l.user_id = c.user_id)
        OR NOT EXISTS (SELECT 1 FROM activity_members m JOIN activities a ON a.id = m.activity_id
                       WHERE m.activity_id = c.activity_id AND m.user_id = c.user_id AND a.deleted = 0))`;
    const top = db.prepare(`SELECT MAX(c.seq) AS seq ${doomed}`).get({ cutoff }) as {
      seq: number | null;
    };
    const result = db.prepare(`DELETE ${doomed}`);
    const removed = result.run({ cutoff }).changes;
    const mark = Math.max(watermark(db), top.seq ?? 0);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
      WATERMARK_KEY,
      String(mark),
    );
    return { removed, watermark: mark };
  })();
}

/**
 * Cursors are opaque to clients: base64url of `c1.<seq>.<base>`. `base` is the compaction
 * watermark when the reader started from the beginning: rows compacted before then were
 * never needed by that reader, so its cursor stays valid while it pages past them.
 */
export interface Cursor {
  seq: number;
  base: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`c1.${c.seq}.${c.base}`).toString('base64url');
}

export function decodeCursor(db: Db, cursor: string | undefined): Cursor {
  if (cursor === undefined) return { seq: 0, base: watermark(db) };
  const m = /^c1\.(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const [seq, base] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || !Number.isSafeInteger(seq) || seq > headSeq(db) || base > headSeq(db)) {
    throw problem(400, 'invalid-cursor', 'Invalid cursor', 'The cursor was not issued here.');
  }
  if (Math.max(seq, base) < watermark(db)) {
    throw problem(
      410,
      'cursor-expired',
      'Gone',
      'The change log no longer reaches back to this cursor. Do a full resync: read the ' +
        'changes without a cursor.',
    );
  }
  return { seq, base };
}

/** One page of (activity id, seq) for a user, each activity once, oldest change first. */
export function readChanges(db: Db, userId: string, from: Cursor, limit: number) {
  const after = from.seq;
  const rows = db
    .prepare(
      `SELECT activity_id AS activityId, MAX(seq) AS seq, MAX(changed_at) AS changedAt
       FROM activity_changes WHERE user_id = ? AND seq > ?
       GROUP BY activity_id ORDER BY seq LIMIT ?`,
    )
    .all(userId, after, limit + 1) as Array<{ activityId: string; seq: number; changedAt: number }>;
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  // With nothing more to read, jump to the head so an idle client's cursor never ages out.
  const next = hasMore ? (page[page.length - 1]?.seq ?? after) : Math.max(after, headSeq(db));
  return { page, hasMore, nextCursor: encodeCursor({ seq: next, base: from.base }) };
}
