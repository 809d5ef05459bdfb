/**
 * Extranet sharing (SPEC O3) in SQLite. Saving a share takes effect at once; the first save sends
 * the contact person an invitation with a one-time password. The sandbox cannot mail, so the
 * invitation goes to `extranet_outbox`, readable only through the hidden /sandbox API: the password
 * never reaches a log line or an API answer. Only its scrypt hash stays with the share.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open';
import type { ExtranetShare, ExtranetShareWrite } from '../schemas/extranet';
import { toUtcString } from '../schemas/time';
import { hashPassword } from './secrets';

interface Row {
  project_id: string;
  contact_id: string;
  rights: string;
  sections: string;
  invited_at: number;
  updated_at: number;
}

const toShare = (r: Row): ExtranetShare => ({
  projectId: r.project_id,
  contactId: r.contact_id,
  rights: JSON.parse(r.rights) as ExtranetShare['rights'],
  sections: JSON.parse(r.sections) as ExtranetShare['sections'],
  invitedAt: toUtcString(r.invited_at),
  updatedAt: toUtcString(r.updated_at),
});

/** One invitation as the sandbox's outbox holds it. */
export interface ExtranetInvitation {
  readonly projectId: string;
  readonly contactId: string;
  readonly recipient: string;
  readonly oneTimePassword: string;
  readonly sentAt: string;
}

/** 12 characters from an alphabet without look-alikes (0/O, 1/l/I). */
function oneTimePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

export class ExtranetShares {
  constructor(private readonly db: Db) {}

  list(companyId: string, projectId: string): ExtranetShare[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM extranet_shares WHERE company_id = ? AND project_id = ? ORDER BY contact_id`,
      )
      .all(companyId, projectId) as Row[];
    return rows.map(toShare);
  }

  get(companyId: string, projectId: string, contactId: string): ExtranetShare | undefined {
    const row = this.db
      .prepare(
        'SELECT * FROM extranet_shares WHERE company_id = ? AND project_id = ? AND contact_id = ?',
      )
      .get(companyId, projectId, contactId) as Row | undefined;
    return row && toShare(row);
  }

  /** Creates or replaces the share; `created` tells whether an invitation went out. */
  save(
    companyId: string,
    projectId: string,
    contact: { id: string; email: string },
    write: ExtranetShareWrite,
    now: number,
  ): { share: ExtranetShare; created: boolean } {
    const rights = JSON.stringify(write.rights);
    const sections = JSON.stringify(write.sections);
    const created = this.db.transaction(() => {
      const exists = this.get(companyId, projectId, contact.id);
      if (exists) {
        this.db
          .prepare(
            `UPDATE extranet_shares SET rights = ?, sections = ?, updated_at = ?
             WHERE project_id = ? AND contact_id = ?`,
          )
          .run(rights, sections, now, projectId, contact.id);
        return false;
      }
      const password = oneTimePassword();
      this.db
        .prepare(
          `INSERT INTO extranet_shares (project_id, contact_id, company_id, rights, sections,
           password_hash, invited_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(projectId, contact.id, companyId, rights, sections, hashPassword(password), now, now);
      this.db
        .prepare(
          `INSERT INTO extranet_outbox (company_id, project_id, contact_id, recipient,
           one_time_password, sent_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(companyId, projectId, contact.id, contact.email, password, now);
      return true;
    })();
    return { share: this.get(companyId, projectId, contact.id) as ExtranetShare, created };
  }

  /** Stops the sharing at once; false when there was none. */
  remove(companyId: string, projectId: string, contactId: string): boolean {
    const result = this.db
      .prepare(
        'DELETE FROM extranet_shares WHERE company_id = ? AND project_id = ? AND contact_id = ?',
      )
      .run(companyId, projectId, contactId);
    return result.changes > 0;
  }

  /** The sandbox's outbox, oldest first. */
  outbox(): ExtranetInvitation[] {
    const rows = this.db.prepare('SELECT * FROM extranet_outbox ORDER BY seq').all() as Array<{
      project_id: string;
      contact_id: string;
      recipient: string;
      one_time_password: string;
      sent_at: number;
    }>;
    return rows.map((r) => ({
      projectId: r.project_id,
      contactId: r.contact_id,
      recipient: r.recipient,
      oneTimePassword: r.one_time_password,
      sentAt: toUtcString(r.sent_at),
    }));
  }
}
