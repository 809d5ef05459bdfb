import { randomBytes } from 'node:crypto';
import { newChangeKey, newId } from './fields';
import type { EventFields } from './schemas';
import type { GraphStore } from './store';
import type { Mailbox, MailEntry, StoredEvent } from './types';

/**
 * Meetings as Exchange runs them: the mail a write sends, the attendee copies it keeps in the
 * other mailboxes this emulator hosts, online-meeting blobs and the stored-body wrapper.
 * Pages (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/…):
 * - user-post-events.md / calendar-post-events.md: creating an event with attendees sends them
 *   invitations; a client cannot turn that off.
 * - event-update.md: "An event update that includes only the attendees property … sends a meeting
 *   update to only the attendees that have changed"; removing the meeting blob from the body
 *   "would disable meeting online".
 * - event-delete.md / event-cancel.md: deleting (cancelling) a meeting on the organizer's
 *   calendar sends the attendees a cancellation; cancel moves the event to Deleted Items.
 * - event-accept.md / event-decline.md / event-tentativelyaccept.md: an attendee's answer.
 */

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/** Attendee addresses of an event, the organizer left out, de-duplicated (case-insensitive). */
export function attendeeAddresses(fields: EventFields): string[] {
  const organizer = lower(fields.organizer.emailAddress.address);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const a of fields.attendees) {
    const addr = (a.emailAddress.address ?? '').trim();
    const key = addr.toLowerCase();
    if (!addr || key === organizer || seen.has(key)) continue;
    seen.add(key);
    out.push(addr);
  }
  return out;
}

/** The mail log keeps the newest 10,000 entries. */
export const MAX_MAIL = 10_000;

export function logMail(
  store: GraphStore,
  kind: MailEntry['kind'],
  from: Mailbox,
  to: string[],
  ev: StoredEvent,
  eventId = ev.id,
): void {
  if (to.length === 0) return;
  const log = (store.state.mail ??= []);
  log.push({
    kind,
    from: from.address,
    to: [...to],
    eventId,
    iCalUId: ev.iCalUId,
    at: new Date(store.now()).toISOString(),
  });
  // Bounded: the oldest entries go first (tests clear the log with DELETE /sandbox/mail).
  if (log.length > MAX_MAIL) log.splice(0, log.length - MAX_MAIL);
  store.changed();
}

/** Properties whose change makes Exchange send attendees an update (event-update.md). */
export const MEETING_KEYS = ['start', 'end', 'isAllDay', 'location', 'locations', 'recurrence'];

/** What a PATCH of an organizer's meeting mails, by the rules in sandbox/graph/README.md. */
export function mailForPatch(
  store: GraphStore,
  mbx: Mailbox,
  ev: StoredEvent,
  before: string[],
  after: string[],
  input: Record<string, unknown>,
  eventId: string,
): { added: string[]; removed: string[]; mailed: boolean } {
  const beforeKeys = new Set(before.map(lower));
  const afterKeys = new Set(after.map(lower));
  const added = after.filter((a) => !beforeKeys.has(lower(a)));
  const removed = before.filter((a) => !afterKeys.has(lower(a)));
  const remaining = after.filter((a) => beforeKeys.has(lower(a)));
  const meetingChanged = MEETING_KEYS.some((k) => input[k] !== undefined);
  logMail(store, 'invitation', mbx, added, ev, eventId);
  logMail(store, 'cancellation', mbx, removed, ev, eventId);
  if (meetingChanged) logMail(store, 'update', mbx, remaining, ev, eventId);
  return {
    added,
    removed,
    mailed: added.length + removed.length > 0 || (meetingChanged && remaining.length > 0),
  };
}

/** The mailbox this emulator hosts for an address, if any (never the organizer's own). */
function hosted(store: GraphStore, address: string, organizer: Mailbox): Mailbox | null {
  const key = lower(address);
  if (key === organizer.address) return null;
  return store.state.mailboxes[key] ?? null;
}

function findCopy(attendee: Mailbox, organizer: Mailbox, ev: StoredEvent): StoredEvent | null {
  for (const e of Object.values(attendee.events)) {
    const ref = e.organizerRef;
    if (ref && ref.mailbox === organizer.address && ref.eventId === ev.id && !e.deleted) return e;
  }
  return null;
}

const clone = <T>(v: T): T => structuredClone(v);

/** The copy's own state (answer, free/busy, reminder) survives a refresh from the organizer. */
function refresh(store: GraphStore, copy: StoredEvent, ev: StoredEvent): void {
  const own = copy.fields;
  copy.fields = {
    ...clone(ev.fields),
    showAs: own.showAs,
    isReminderOn: own.isReminderOn,
    reminderMinutesBeforeStart: own.reminderMinutesBeforeStart,
    categories: own.categories,
  };
  copy.recurrence = clone(ev.recurrence);
  copy.kind = ev.kind;
  copy.exceptions = Object.fromEntries(
    Object.entries(ev.exceptions).map(([k, x]) => [
      k,
      { ...clone(x), changeKey: newChangeKey(), extendedProperties: [] },
    ]),
  );
  copy.cancelledDates = [...ev.cancelledDates];
  copy.onlineMeeting = clone(ev.onlineMeeting ?? null);
  copy.isCancelled = false;
  copy.changeKey = newChangeKey();
  copy.lastModifiedDateTime = store.stamp();
  store.touch(copy);
}

/**
 * An attendee copy in a hosted mailbox: same iCalUId, organizer set, isOrganizer false,
 * responseStatus notResponded and showAs tentative until answered (event resource; Outlook puts
 * an unanswered meeting on the calendar as tentative). Custom extended properties of the
 * organizer's item do not travel with the invitation.
 */
function createCopy(store: GraphStore, attendee: Mailbox, organizer: Mailbox, ev: StoredEvent) {
  const cal = attendee.calendars.find((c) => c.isDefaultCalendar);
  if (!cal) return;
  const ts = store.stamp();
  const copy: StoredEvent = {
    id: newId(),
    calendarId: cal.id,
    kind: ev.kind,
    createdDateTime: ts,
    lastModifiedDateTime: ts,
    changeKey: newChangeKey(),
    iCalUId: ev.iCalUId,
    transactionId: null,
    fields: { ...clone(ev.fields), showAs: 'tentative' },
    recurrence: clone(ev.recurrence),
    extendedProperties: [],
    exceptions: {},
    cancelledDates: [],
    organizerRef: { mailbox: organizer.address, eventId: ev.id },
    response: { response: 'notResponded', time: '0001-01-01T00:00:00Z' },
  };
  refresh(store, copy, ev);
  copy.fields.showAs = 'tentative';
  attendee.events[copy.id] = copy;
  store.touch(copy);
}

/**
 * After an organizer's write that mailed people: hosted attendees get their copy made (new
 * invitees) or refreshed (an update), removed ones see it cancelled. A write that mailed
 * nobody leaves the copies as they were: attendees learn of changes only through mail.
 */
export function syncCopies(
  store: GraphStore,
  organizer: Mailbox,
  ev: StoredEvent,
  removed: string[],
): void {
  if (ev.organizerRef) return;
  for (const addr of attendeeAddresses(ev.fields)) {
    const attendee = hosted(store, addr, organizer);
    if (!attendee) continue;
    const copy = findCopy(attendee, organizer, ev);
    if (copy) refresh(store, copy, ev);
    else createCopy(store, attendee, organizer, ev);
  }
  cancelCopies(store, organizer, ev, removed);
  store.changed();
}

/** The organizer cancelled (or removed these attendees): their copies show isCancelled. */
export function cancelCopies(
  store: GraphStore,
  organizer: Mailbox,
  ev: StoredEvent,
  addresses: string[],
): void {
  for (const addr of addresses) {
    const attendee = hosted(store, addr, organizer);
    const copy = attendee ? findCopy(attendee, organizer, ev) : null;
    if (!copy) continue;
    copy.isCancelled = true;
    copy.changeKey = newChangeKey();
    copy.lastModifiedDateTime = store.stamp();
    store.touch(copy);
  }
  store.changed();
}

/** The organizer's event an attendee copy mirrors, if it still exists. */
export function organizerEvent(
  store: GraphStore,
  copy: StoredEvent,
): { mbx: Mailbox; ev: StoredEvent } | null {
  const ref = copy.organizerRef;
  if (!ref) return null;
  const mbx = store.state.mailboxes[ref.mailbox];
  const ev = mbx?.events[ref.eventId];
  return mbx && ev ? { mbx, ev } : null;
}

// ---- Online meetings and the stored body --------------------------------------------------------

/** A Teams-style join URL; the emulator's own, never a real meeting. */
export function newOnlineMeeting(): { joinUrl: string; conferenceId: string } {
  const thread = randomBytes(24).toString('base64url');
  return {
    joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0`,
    conferenceId: String(100_000_000 + (randomBytes(4).readUInt32BE(0) % 900_000_000)),
  };
}

/** The meeting blob Outlook appends to an online meeting's HTML body. */
export function meetingBlob(m: { joinUrl: string; conferenceId: string }): string {
  return (
    '<div style="width:100%"><span style="white-space:nowrap;color:#5F5F5F;opacity:.36">' +
    '________________________________________________________________________________</span></div>' +
    '<div class="me-email-text" lang="en-US" style="color:#252424;font-family:\'Segoe UI\'">' +
    '<div style="margin-top:24px;margin-bottom:20px"><span style="font-size:24px;color:#252424">' +
    'Microsoft Teams meeting</span></div><div style="margin-bottom:20px"><div>' +
    `<a class="me-email-headline" href="${m.joinUrl}" target="_blank" rel="noreferrer noopener">` +
    'Join the meeting now</a></div></div><div style="margin-bottom:20px">' +
    `<span>Meeting ID: </span><span>${m.conferenceId}</span></div></div>` +
    '<div style="width:100%"><span style="white-space:nowrap;color:#5F5F5F;opacity:.36">' +
    '________________________________________________________________________________</span></div>'
  );
}

export const hasBlob = (content: string, m: { joinUrl: string }): boolean =>
  content.includes(m.joinUrl);

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The inner HTML of a body: what is inside <body>, or the whole text when not a document. */
export function innerHtml(content: string): string {
  const m = /<body[^>]*>([\s\S]*)<\/body>/i.exec(content);
  if (!m) return content;
  return (m[1] ?? '').replace(/^\r\n/, '').replace(/\r\n$/, '');
}

/**
 * Exchange stores an HTML body as a whole document; calendar-post-events.md's sample reads back
 * `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">…`.
 * A body that already is a document is kept as sent.
 */
export function wrapHtml(content: string): string {
  if (/<html[\s>]/i.test(content)) return content;
  return (
    '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n' +
    '<meta content="text/html; charset=us-ascii">\r\n</head>\r\n<body>\r\n' +
    `${content}\r\n</body>\r\n</html>\r\n`
  );
}

/** Appends the blob inside the document's body (a text body becomes HTML, as Outlook does). */
export function withBlob(
  body: EventFields['body'],
  m: { joinUrl: string; conferenceId: string },
): EventFields['body'] {
  const html = body.contentType === 'html' ? innerHtml(body.content) : escapeHtml(body.content);
  return { contentType: 'html', content: wrapHtml(`${html}${meetingBlob(m)}`) };
}
