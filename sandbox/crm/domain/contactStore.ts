/** Contacts in SQLite, with each user's own "sync to Outlook" mark (SPEC K2). */
import { randomUUID } from 'node:crypto';
import { likePattern } from '../db/like';
import type { Db } from '../db/open';
import type { Contact, ContactWrite } from '../schemas/contact';
import { toUtcString } from '../schemas/time';
import { appendContactChange } from './contactChanges';

interface Row {
  id: string;
  customer_id: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  archived: number;
  version: number;
  updated_at: number;
  marked: number;
}

const SELECT = `SELECT c.*, EXISTS (SELECT 1 FROM contact_sync_marks m
  WHERE m.contact_id = c.id AND m.user_id = @userId) AS marked FROM contacts c`;

const toContact = (r: Row): Contact => ({
  id: r.id,
  etag: `"${r.id}.v${r.version}"`,
  version: r.version,
  customerId: r.customer_id,
  firstName: r.first_name,
  lastName: r.last_name,
  email: r.email,
  phone: r.phone,
  title: r.title,
  archived: r.archived === 1,
  syncToOutlook: r.marked === 1,
  updatedAt: toUtcString(r.updated_at),
});

export interface ContactFilter {
  q?: string;
  customerId?: string;
  syncToOutlook?: boolean;
  includeArchived: boolean;
  limit: number;
  offset: number;
}

export class ContactStore {
  constructor(private readonly db: Db) {}

  get(companyId: string, userId: string, id: string): Contact | undefined {
    const row = this.db
      .prepare(`${SELECT} WHERE c.id = @id AND c.company_id = @companyId`)
      .get({ id, companyId, userId }) as Row | undefined;
    return row && toContact(row);
  }

  list(companyId: string, userId: string, f: ContactFilter): Contact[] {
    const where = ['c.company_id = @companyId'];
    if (f.q) {
      where.push(
        `(c.first_name || ' ' || c.last_name LIKE @q ESCAPE '\\' OR c.email LIKE @q ESCAPE '\\')`,
      );
    }
    if (f.customerId) where.push('c.customer_id = @customerId');
    if (!f.includeArchived) where.push('c.archived = 0');
    if (f.syncToOutlook !== undefined) where.push(`marked = ${f.syncToOutlook ? 1 : 0}`);
    const rows = this.db
      .prepare(
        `${SELECT} WHERE ${where.join(' AND ')} ORDER BY c.last_name, c.first_name, c.id
        LIMIT @limit OFFSET @offset`,
      )
      .all({
        companyId,
        userId,
        q: likePattern(f.q),
        customerId: f.customerId ?? null,
        limit: f.limit,
        offset: f.offset,
      }) as Row[];
    return rows.map(toContact);
  }

  /** Writes the fields given (a create when `id` is new) and bumps the version. */
  save(
    companyId: string,
    userId: string,
    id: string | null,
    w: Partial<ContactWrite>,
    now: number,
  ) {
    const contactId = id ?? `con_${randomUUID()}`;
    const cols: Record<string, unknown> = {
      customer_id: w.customerId,
      first_name: w.firstName,
      last_name: w.lastName,
      email: w.email,
      phone: w.phone,
      title: w.title,
    };
    const set = Object.entries(cols).filter(([, v]) => v !== undefined);
    this.db.transaction(() => {
      if (id === null) {
        this.db
          .prepare(
            `INSERT INTO contacts (id, company_id, first_name, last_name, version, updated_at)
            VALUES (?, ?, '', '', 0, ?)`,
          )
          .run(contactId, companyId, now);
      }
      for (const [col, value] of set) {
        this.db.prepare(`UPDATE contacts SET ${col} = ? WHERE id = ?`).run(value, contactId);
      }
      if (w.syncToOutlook !== undefined) this.mark(contactId, userId, w.syncToOutlook);
      this.db
        .prepare('UPDATE contacts SET version = version + 1, updated_at = ? WHERE id = ?')
        .run(now, contactId);
      appendContactChange(this.db, companyId, contactId, now);
    })();
    return this.get(companyId, userId, contactId) as Contact;
  }

  /** Archives the contact; archiving an archived contact changes nothing (idempotent). */
  archive(companyId: string, userId: string, id: string, now: number): Contact {
    this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE contacts SET archived = 1, version = version + 1, updated_at = ?
           WHERE id = ? AND company_id = ? AND archived = 0`,
        )
        .run(now, id, companyId).changes;
      if (changed > 0) appendContactChange(this.db, companyId, id, now);
    })();
    return this.get(companyId, userId, id) as Contact;
  }

  /** Deletes the contact for good (a person in the CRM); the feed shows a tombstone. */
  remove(companyId: string, id: string, now: number): boolean {
    return this.db.transaction(() => {
      const gone = this.db
        .prepare('DELETE FROM contacts WHERE id = ? AND company_id = ?')
        .run(id, companyId).changes;
      if (gone === 0) return false;
      this.db.prepare('DELETE FROM contact_sync_marks WHERE contact_id = ?').run(id);
      appendContactChange(this.db, companyId, id, now);
      return true;
    })();
  }

  private mark(contactId: string, userId: string, on: boolean): void {
    this.db
      .prepare(
        on
          ? 'INSERT OR IGNORE INTO contact_sync_marks (contact_id, user_id) VALUES (?, ?)'
          : 'DELETE FROM contact_sync_marks WHERE contact_id = ? AND user_id = ?',
      )
      .run(contactId, userId);
  }
}
