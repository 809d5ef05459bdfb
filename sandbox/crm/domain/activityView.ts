/**
 * Turns stored activities into API bodies (resolving participant names) and checks that the
 * ids an activity refers to exist in the company (422 otherwise, with one error per id).
 */
import type { Db } from '../db/open';
import type { FieldError } from '../http/problem';
import type { Activity } from '../schemas/activity';
import type { Participant, ParticipantInput } from '../schemas/participant';
import { toUtcString } from '../schemas/time';
import { type ActivityData, type ActivityRecord, etagOf } from './activityStore';

type Named = { name: string; email: string | null } | undefined;

function lookup(db: Db, companyId: string, p: ParticipantInput): Named {
  switch (p.kind) {
    case 'user':
      return db
        .prepare('SELECT display_name AS name, email FROM users WHERE id = ? AND company_id = ?')
        .get(p.userId, companyId) as Named;
    case 'contact':
      return db
        .prepare(
          `SELECT first_name || ' ' || last_name AS name, email FROM contacts
           WHERE id = ? AND company_id = ? AND archived = 0`,
        )
        .get(p.contactId, companyId) as Named;
    case 'resource':
      return db
        .prepare('SELECT name, email FROM resources WHERE id = ? AND company_id = ?')
        .get(p.resourceId, companyId) as Named;
    case 'external':
      return { name: p.name ?? null, email: p.email } as Named;
  }
}

function present(db: Db, companyId: string, p: ParticipantInput): Participant {
  // An archived contact or removed user keeps its id; the name is then unknown.
  const named = lookup(db, companyId, p) ?? { name: null, email: null };
  return { ...p, name: named.name, email: named.email } as Participant;
}

export function toApi(db: Db, rec: ActivityRecord): Activity {
  const d = rec.data;
  const when = (v: string) => (d.allDay ? v : toUtcString(Date.parse(v)));
  return {
    id: rec.id,
    etag: etagOf(rec),
    version: rec.version,
    subject: d.subject,
    description: d.description,
    allDay: d.allDay,
    start: when(d.start),
    end: when(d.end),
    timeZone: d.timeZone,
    location: d.location,
    private: d.private,
    showAs: d.showAs,
    reminderMinutesBeforeStart: d.reminderMinutesBeforeStart,
    typeId: d.typeId,
    completed: d.completed,
    cancelled: d.cancelled,
    ownerId: rec.ownerId,
    participants: d.participants.map((p) => present(db, rec.companyId, p)),
    recurrence: d.recurrence,
    relations: d.relations,
    outlookLinks: d.outlookLinks,
    webUrl: `/app/activities/${encodeURIComponent(rec.id)}`,
    createdAt: toUtcString(rec.createdAt),
    updatedAt: toUtcString(rec.updatedAt),
  };
}

/** Every id the activity refers to must exist in the company. */
export function referenceErrors(db: Db, companyId: string, d: ActivityData): FieldError[] {
  const errors: FieldError[] = [];
  const exists = (table: string, id: string) =>
    db.prepare(`SELECT 1 FROM ${table} WHERE id = ? AND company_id = ?`).get(id, companyId);
  if (!exists('activity_types', d.typeId)) {
    errors.push({ in: 'body', path: '/typeId', message: 'unknown activity type' });
  }
  const rel: Array<[keyof typeof d.relations, string]> = [
    ['customerId', 'customers'],
    ['projectId', 'projects'],
    ['salesCaseId', 'sales_cases'],
  ];
  for (const [key, table] of rel) {
    const id = d.relations[key];
    if (id !== null && !exists(table, id)) {
      errors.push({ in: 'body', path: `/relations/${key}`, message: `unknown ${key}` });
    }
  }
  d.participants.forEach((p, i) => {
    if (p.kind !== 'external' && !lookup(db, companyId, p)) {
      errors.push({ in: 'body', path: `/participants/${i}`, message: `unknown ${p.kind}` });
    }
  });
  return errors;
}
