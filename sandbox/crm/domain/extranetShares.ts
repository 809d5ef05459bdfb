/**
 * Extranet sharing (SPEC O3) in SQLite. Saving a share takes effect at once; the first save sends
 * the contact person an invitation with a one-time password. Only the project's owners and
 * members may share it (`mayShare`).
 *
 * One-time passwords are hashed, work once and expire (`ttlMs`, 15 minutes by default). They
 * carry ~70 bits of entropy, so — like the bearer tokens — a SHA-256 hash is enough and lets the
 * server find the row by its hash; a slow hash is for passwords people choose. Sending an
 * invitation again replaces the contact's earlier passwords.
 *
 * The invitation itself (with the password in clear) is handed to `deliver`: a vendor's server
 * mails it; the sandbox, which cannot mail, keeps it in `extranet_outbox`, readable only through
 * the /sandbox API. The password never reaches a log line or an API answer.
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../db/open';
import type { ExtranetShare, ExtranetShareWrite } from '../schemas/extranet';
import { toUtcString } from '../schemas/time';
import { sha256 } from './secrets';

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
  readonly expiresAt: string;
}

/** Hands an invitation to the mail system (the sandbox: its outbox table). */
export type DeliverInvitation = (companyId: string, invitation: ExtranetInvitation) => void;

export const DEFAULT_EXTRANET_PASSWORD_TTL_SECONDS = 15 * 60;

/** 12 characters from an alphabet without look-alikes (0/O, 1/l/I), unbiased: ~69 bits. */
function oneTimePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  return Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The sandbox's stand-in for mail: the `extranet_outbox` table. */
export function outboxDelivery(db: Db): DeliverInvitation {
  return (companyId, inv) => {
    db.prepare(
      `INSERT INTO extranet_outbox (company_id, project_id, contact_id, recipient,
       one_time_password, sent_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      companyId,
      inv.projectId,
      inv.contactId,
      inv.recipient,
      inv.oneTimePassword,
      Date.parse(inv.sentAt),
      Date.parse(inv.expiresAt),
    );
  };
}

/** Why a one-time password was not accepted; the page shows one message for all. */
export type RedeemResult = { ok: true; projectId: string } | { ok: false; reason: string };

export class ExtranetShares {
  constructor(
    private readonly db: Db,
    private readonly deliver: DeliverInvitation,
    private readonly ttlMs = DEFAULT_EXTRANET_PASSWORD_TTL_SECONDS * 1000,
  ) {}

  /** Only a project's owners and members may share it or stop sharing it. */
  mayShare(projectId: string, userId: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM project_members WHERE project_id = ? AND user_id = ?')
        .get(projectId, userId) !== undefined
    );
  }

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
      this.db
        .prepare(
          `INSERT INTO extranet_shares (project_id, contact_id, company_id, rights, sections,
           invited_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(projectId, contact.id, companyId, rights, sections, now, now);
      this.invite(companyId, projectId, contact, now);
      return true;
    })();
    return { share: this.get(companyId, projectId, contact.id) as ExtranetShare, created };
  }

  /**
   * Sends an invitation with a new one-time password; the contact's earlier passwords for this
   * project stop working. Call inside the transaction that checked the share exists.
   */
  invite(
    companyId: string,
    projectId: string,
    contact: { id: string; email: string },
    now: number,
  ): { expiresAt: string } {
    const password = oneTimePassword();
    const expiresAt = now + this.ttlMs;
    this.db
      .prepare('DELETE FROM extranet_passwords WHERE project_id = ? AND contact_id = ?')
      .run(projectId, contact.id);
    this.db
      .prepare(
        `INSERT INTO extranet_passwords (hash, company_id, project_id, contact_id, issued_at,
         expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(sha256(password), companyId, projectId, contact.id, now, expiresAt);
    this.deliver(companyId, {
      projectId,
      contactId: contact.id,
      recipient: contact.email,
      oneTimePassword: password,
      sentAt: toUtcString(now),
      expiresAt: toUtcString(expiresAt),
    });
    return { expiresAt: toUtcString(expiresAt) };
  }

  /**
   * Redeems a one-time password: it works once, before it expires, and only while the project
   * is still shared with that contact. Marking it used is one conditional UPDATE, so two
   * concurrent uses cannot both succeed.
   */
  redeem(projectId: string, contactId: string, password: string, now: number): RedeemResult {
    const hash = sha256(password);
    const row = this.db
      .prepare(
        `SELECT p.expires_at, p.used_at, s.project_id AS shared FROM extranet_passwords p
         LEFT JOIN extranet_shares s ON s.project_id = p.project_id AND s.contact_id = p.contact_id
         WHERE p.hash = ? AND p.project_id = ? AND p.contact_id = ?`,
      )
      .get(hash, projectId, contactId) as
      { expires_at: number; used_at: number | null; shared: string | null } | undefined;
    if (!row || row.shared === null) return { ok: false, reason: 'unknown' };
    if (row.used_at !== null) return { ok: false, reason: 'used' };
    if (row.expires_at <= now) return { ok: false, reason: 'expired' };
    const claimed = this.db
      .prepare(
        'UPDATE extranet_passwords SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?',
      )
      .run(now, hash, now);
    return claimed.changes === 1 ? { ok: true, projectId } : { ok: false, reason: 'used' };
  }

  /** Stops the sharing at once (its unused passwords too); false when there was none. */
  remove(companyId: string, projectId: string, contactId: string): boolean {
    return this.db.transaction(() => {
      const result = this.db
        .prepare(
          'DELETE FROM extranet_shares WHERE company_id = ? AND project_id = ? AND contact_id = ?',
        )
        .run(companyId, projectId, contactId);
      this.db
        .prepare(
          'DELETE FROM extranet_passwords WHERE company_id = ? AND project_id = ? AND contact_id = ?',
        )
        .run(companyId, projectId, contactId);
      return result.changes > 0;
    })();
  }

  /** The sandbox's outbox, oldest first. */
  static outbox(db: Db): ExtranetInvitation[] {
    const rows = db.prepare('SELECT * FROM extranet_outbox ORDER BY seq').all() as Array<{
      project_id: string;
      contact_id: string;
      recipient: string;
      one_time_password: string;
      sent_at: number;
      expires_at: number | null;
    }>;
    return rows.map((r) => ({
      projectId: r.project_id,
      contactId: r.contact_id,
      recipient: r.recipient,
      oneTimePassword: r.one_time_password,
      sentAt: toUtcString(r.sent_at),
      // Invitations from before expiry existed: their passwords no longer work at all.
      expiresAt: toUtcString(r.expires_at ?? r.sent_at),
    }));
  }
}
