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
import * as log from './changeLogKind';
import { ringChange } from './changeSignal';

export const WATERMARK_KEY = 'changes_compacted_through';

const ACTIVITY_LOG: log.LogKind = {
  table: 'activity_changes',
  idColumn: 'activity_id',
  scopeColumn: 'user_id',
  watermarkKey: WATERMARK_KEY,
};

export function appendChanges(db: Db, activityId: string, userIds: Iterable<string>, at: number) {
  const insert = db.prepare(
    'INSERT INTO activity_changes (activity_id, user_id, changed_at) VALUES (?, ?, ?)',
  );
  for (const userId of new Set(userIds)) insert.run(activityId, userId, at);
  ringChange(db);
}

export const watermark = (db: Db): number => log.watermarkOf(db, ACTIVITY_LOG);

export const headSeq = (db: Db): number => log.headSeqOf(db, ACTIVITY_LOG);

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
    const removed = db.prepare(`DELETE ${doomed}`).run({ cutoff }).changes;
    return { removed, watermark: log.raiseWatermark(db, ACTIVITY_LOG, top.seq ?? 0) };
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
  return log.encodeOpaque(`c1.${c.seq}.${c.base}`);
}

export function decodeCursor(db: Db, cursor: string | undefined): Cursor {
  if (cursor === undefined) return { seq: 0, base: watermark(db) };
  const m = log.decodeOpaque(cursor, /^c1\.(\d{1,15})\.(\d{1,15})$/);
  const [seq, base] = [Number(m[1]), Number(m[2])];
  if (!Number.isSafeInteger(seq) || seq > headSeq(db) || base > headSeq(db))
    throw log.invalidCursor();
  if (Math.max(seq, base) < watermark(db)) throw log.cursorExpired();
  return { seq, base };
}

/** One page of (activity id, seq) for a user, each activity once, oldest change first. */
export function readChanges(db: Db, userId: string, from: Cursor, limit: number) {
  const { page, hasMore, next } = log.readLog(db, ACTIVITY_LOG, userId, from.seq, limit);
  return {
    page: page.map((r) => ({ activityId: r.itemId, seq: r.seq, changedAt: r.changedAt })),
    hasMore,
    nextCursor: encodeCursor({ seq: next, base: from.base }),
  };
}
