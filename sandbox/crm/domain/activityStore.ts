/**
 * Activities in SQLite: the record as JSON plus indexed columns for the window query, the
 * member table (owner + user participants) for visibility, and a change-log row for every
 * user who could see the activity before or after each write.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open';
import type { ActivityCreate, Relations, Recurrence } from '../schemas/activity';
import type { ParticipantInput } from '../schemas/participant';
import { activityRange } from './activityRange';
import { appendChanges, compact } from './changeLog';
import type { Clock } from './clock';

export interface OutlookLinkData {
  userId: string;
  mailbox: string;
  eventId: string;
}

export interface ActivityData extends Omit<ActivityCreate, 'participants'> {
  participants: ParticipantInput[];
  recurrence: Recurrence | null;
  relations: Relations;
  cancelled: boolean;
  outlookLinks: OutlookLinkData[];
}

export interface ActivityRecord {
  id: string;
  companyId: string;
  ownerId: string;
  version: number;
  deleted: boolean;
  createdAt: number;
  updatedAt: number;
  data: ActivityData;
}

interface Row {
  id: string;
  company_id: string;
  owner_id: string;
  version: number;
  deleted: number;
  created_at: number;
  updated_at: number;
  data: string;
}

const fromRow = (r: Row): ActivityRecord => ({
  id: r.id,
  companyId: r.company_id,
  ownerId: r.owner_id,
  version: r.version,
  deleted: r.deleted === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  data: JSON.parse(r.data) as ActivityData,
});

export const etagOf = (a: { id: string; version: number }): string => `"${a.id}.v${a.version}"`;

export function membersOf(ownerId: string, data: ActivityData): Set<string> {
  const ids = new Set([ownerId]);
  for (const p of data.participants) if (p.kind === 'user') ids.add(p.userId);
  return ids;
}

export class ActivityStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  get(companyId: string, id: string): ActivityRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM activities WHERE id = ? AND company_id = ?')
      .get(id, companyId) as Row | undefined;
    return row && fromRow(row);
  }

  /** Visible = not deleted, and owned by or shared with the user. */
  visible(companyId: string, id: string, userId: string): ActivityRecord | undefined {
    const rec = this.get(companyId, id);
    return rec && !rec.deleted && membersOf(rec.ownerId, rec.data).has(userId) ? rec : undefined;
  }

  insert(companyId: string, ownerId: string, data: ActivityData, id = `act_${randomUUID()}`) {
    const now = this.clock.now();
    const range = activityRange(data);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO activities (id, company_id, owner_id, version, data, range_start, range_end,
           created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)`,
        )
        .run(id, companyId, ownerId, JSON.stringify(data), range.start, range.end, now, now);
      this.writeMembers(id, membersOf(ownerId, data), membersOf(ownerId, data), now);
    })();
    return this.get(companyId, id) as ActivityRecord;
  }

  /** Saves new data (or a tombstone) as the next version. */
  update(rec: ActivityRecord, data: ActivityData, deleted = false): ActivityRecord {
    const now = this.clock.now();
    const range = activityRange(data);
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE activities SET version = version + 1, data = ?, range_start = ?, range_end = ?,
           deleted = ?, updated_at = ? WHERE id = ?`,
        )
        .run(JSON.stringify(data), range.start, range.end, deleted ? 1 : 0, now, rec.id);
      this.writeMembers(
        rec.id,
        membersOf(rec.ownerId, rec.data),
        membersOf(rec.ownerId, data),
        now,
      );
    })();
    return this.get(rec.companyId, rec.id) as ActivityRecord;
  }

  /** Activities the user owns or takes part in that may overlap [from, to). */
  listWindow(companyId: string, userId: string, from: number, to: number): ActivityRecord[] {
    const rows = this.db
      .prepare(
        `SELECT a.* FROM activities a JOIN activity_members m ON m.activity_id = a.id
         WHERE m.user_id = ? AND a.company_id = ? AND a.deleted = 0
           AND a.range_start < ? AND (a.range_end IS NULL OR a.range_end > ?)
         ORDER BY a.range_start, a.id`,
      )
      .all(userId, companyId, to, from) as Row[];
    return rows.map(fromRow);
  }

  private writeMembers(id: string, before: Set<string>, after: Set<string>, now: number): void {
    this.db.prepare('DELETE FROM activity_members WHERE activity_id = ?').run(id);
    const insert = this.db.prepare(
      'INSERT INTO activity_members (activity_id, user_id) VALUES (?, ?)',
    );
    for (const userId of after) insert.run(id, userId);
    appendChanges(this.db, id, [...before, ...after], now);
    compact(this.db, now - this.retentionMs);
  }
}
