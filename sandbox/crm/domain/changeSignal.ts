/**
 * Issue 17: the prompt change signal the always-on sync service long-polls
 * (GET /sync-service/changes). Every change-log append (activities and contacts) rings the
 * database's bell; a waiting request wakes, reads which paired mailboxes have changes past its
 * cursor, and answers — or waits on until its deadline. The bell only wakes: what is answered is
 * always read from the logs, so a ring for a transaction that then rolled back answers nothing and
 * a ring no one heard loses nothing (the next poll reads the same rows).
 *
 * The cursor is the pair of log heads (activities, contacts), opaque to clients. A cursor from
 * before a compaction may have missed changes: every paired mailbox is named then — a lost signal
 * costs the service a run, never an edit.
 *
 * In one process the bell is an EventEmitter; a CRM on several nodes would ring through its
 * message bus (e.g. PostgreSQL LISTEN/NOTIFY) instead.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../db/open';
import { headSeq, watermark } from './changeLog';
import * as log from './changeLogKind';
import { contactHeadSeq, contactWatermark } from './contactChanges';

const bells = new WeakMap<Db, EventEmitter>();

/** The database's bell; each waiting request listens once. */
export function bellOf(db: Db): EventEmitter {
  let bell = bells.get(db);
  if (!bell) {
    bell = new EventEmitter();
    // One listener per waiting request; the route bounds how many wait at once.
    bell.setMaxListeners(0);
    bells.set(db, bell);
  }
  return bell;
}

/** Rung by every change-log append (changeLog.ts, contactChanges.ts). */
export function ringChange(db: Db): void {
  bells.get(db)?.emit('change');
}

export interface SignalCursor {
  readonly activities: number;
  readonly contacts: number;
}

export function encodeSignalCursor(c: SignalCursor): string {
  return log.encodeOpaque(`s1.${c.activities}.${c.contacts}`);
}

/** The heads now: a new reader starts here (it runs every mailbox once at start anyway). */
export function signalHead(db: Db): SignalCursor {
  return { activities: headSeq(db), contacts: contactHeadSeq(db) };
}

export function decodeSignalCursor(db: Db, cursor: string): SignalCursor {
  const m = log.decodeOpaque(cursor, /^s1\.(\d{1,15})\.(\d{1,15})$/);
  const c = { activities: Number(m[1]), contacts: Number(m[2]) };
  const head = signalHead(db);
  if (c.activities > head.activities || c.contacts > head.contacts) throw log.invalidCursor();
  return c;
}

/**
 * The company's paired mailboxes with a change past `from`, and the heads read with them (one
 * read transaction, so nothing falls between the two).
 */
export function changedMailboxes(
  db: Db,
  companyId: string,
  from: SignalCursor,
): { mailboxes: string[]; next: SignalCursor } {
  return db.transaction(() => {
    const next = signalHead(db);
    const paired = `SELECT p.mailbox, p.user_id FROM pairings p JOIN users u ON u.id = p.user_id
                    WHERE u.company_id = @companyId`;
    const gap = from.activities < watermark(db) || from.contacts < contactWatermark(db);
    // Contacts are the company's: a contact change concerns every paired mailbox (SPEC K2).
    const contactsChanged =
      next.contacts > from.contacts &&
      db
        .prepare('SELECT 1 FROM contact_changes WHERE seq > ? AND company_id = ? LIMIT 1')
        .get(from.contacts, companyId) !== undefined;
    const rows = (
      gap || contactsChanged
        ? db.prepare(`SELECT mailbox FROM (${paired}) ORDER BY mailbox`).all({ companyId })
        : db
            .prepare(
              `SELECT DISTINCT p.mailbox FROM (${paired}) p
               JOIN activity_changes c ON c.user_id = p.user_id AND c.seq > @after
               ORDER BY p.mailbox`,
            )
            .all({ companyId, after: from.activities })
    ) as { mailbox: string }[];
    return { mailboxes: rows.map((r) => r.mailbox.toLowerCase()), next };
  })();
}
