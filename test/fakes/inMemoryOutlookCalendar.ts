import { ConflictError, SyncError } from '../../src/sync/core/errors';
import { toAttendees } from '../../src/outlook/mapping/participants';
import { stableStringify } from '../../src/sync/core/hash';
import type { CalendarItem, Instant } from '../../src/sync/core/model';
import type {
  OutlookCalendar,
  OutlookCalendarInfo,
  OutlookChanges,
  OutlookEvent,
  OutlookVersions,
  TimeWindow,
} from '../../src/sync/ports';

interface Stored {
  event: OutlookEvent;
  calendarId: string;
  transactionId: string | null;
  seq: number;
  /** The write that made it: a delta link older than this never knew the event. */
  createdSeq: number;
}
type Method = Exclude<keyof OutlookCalendar, never>;

/** One mail Exchange would send for a write, as the Graph emulator logs it (GET /sandbox/mail). */
export interface FakeMail {
  readonly kind: 'invitation' | 'update' | 'cancellation';
  readonly from: string;
  readonly to: readonly string[];
  readonly eventId: string;
}

/** Who a meeting invites: what the adapter sends as attendees (SPEC F4: no contact people). */
function recipients(item: CalendarItem, organizer: string): string[] {
  const out = toAttendees(item.participants).map((a) => a.emailAddress.address.toLowerCase());
  return [...new Set(out)].filter((a) => a !== organizer.toLowerCase());
}

const sameMeetingTimes = (a: CalendarItem, b: CalendarItem): boolean =>
  stableStringify(a.time) === stableStringify(b.time) &&
  a.location === b.location &&
  stableStringify(a.recurrence?.rrule ?? null) === stableStringify(b.recurrence?.rrule ?? null);

/**
 * An in-memory OutlookCalendar that behaves like the Graph adapter where the engine can tell:
 * delta links are sequence numbers (with removals and window exits), transactionId de-duplicates
 * creates, etags move on every write and a stale one is a ConflictError carrying the current
 * event, deletes are idempotent. Series are stored as single items (no expansion into
 * occurrences). Test hooks: `expireDeltaLinks()`, `failNext()`, and `outlookEdit/Create/Delete`
 * for changes a person makes in Outlook.
 *
 * Meetings follow the Graph emulator's rules (issue 12): a write through the port mails as
 * Exchange would — a create with attendees invites them, a change of attendees invites the new
 * and cancels the removed, a change of times, location or recurrence updates the others, a
 * delete of an organised meeting cancels it — into `mail`, so tests can assert what the engine's
 * writes send. `invite()` puts a meeting someone else organises into the calendar (not the
 * person's to change: times, attendees and recurrence writes are refused); `answer()` answers it.
 */
export class InMemoryOutlookCalendar implements OutlookCalendar {
  private readonly events = new Map<string, Stored>();
  private readonly tombstones = new Map<
    string,
    { calendarId: string; seq: number; createdSeq: number }
  >();
  private readonly faults: { method: Method | '*'; error: SyncError }[] = [];
  /** What the port's writes mailed, oldest first (the person's own edits through hooks mail nothing here). */
  readonly mail: FakeMail[] = [];
  private seq = 0;
  private epoch = 0;
  private nextId = 1;
  readonly calendars: OutlookCalendarInfo[];

  constructor(
    private readonly address = 'anna@contoso.example',
    calendars?: OutlookCalendarInfo[],
  ) {
    this.calendars = calendars ?? [
      { id: 'calendar', name: 'Calendar', isDefault: true, canEdit: true },
    ];
  }

  // ─── test hooks ───
  /** Every delta link handed out so far answers `resyncRequired` from now on. */
  expireDeltaLinks(): void {
    this.epoch++;
  }
  /** The next call of `method` (or of any method) throws `error`. */
  failNext(method: Method | '*', error: SyncError): void {
    this.faults.push({ method, error });
  }
  /** A person edits the event in Outlook: new etag, shows in the next delta. */
  outlookEdit(eventId: string, item: CalendarItem): OutlookEvent {
    const s = this.mustGet(eventId);
    return this.write(eventId, s.calendarId, item, s.event.crmId, s.transactionId);
  }
  /** A person creates an (unstamped) event in Outlook. */
  outlookCreate(calendarId: string, item: CalendarItem): OutlookEvent {
    return this.write(`fake-event-${this.nextId++}`, calendarId, item, null, null);
  }
  /**
   * The event is re-made under a new id with its content and its stamp (moved to another calendar
   * and back, restored by a migration tool): the old id is gone. Returns the new event.
   */
  outlookRemake(eventId: string): OutlookEvent {
    const s = this.mustGet(eventId);
    this.outlookDelete(eventId);
    return this.write(
      `fake-event-${this.nextId++}`,
      s.calendarId,
      s.event.item,
      s.event.crmId,
      null,
    );
  }
  /** A person (or another tool) writes `crmId` into the event's stamp, as it is. */
  outlookStamp(eventId: string, crmId: string): OutlookEvent {
    const s = this.mustGet(eventId);
    return this.write(eventId, s.calendarId, s.event.item, crmId, s.transactionId);
  }
  outlookDelete(eventId: string): void {
    const s = this.events.get(eventId);
    if (!s) return;
    this.events.delete(eventId);
    this.tombstones.set(eventId, {
      calendarId: s.calendarId,
      seq: ++this.seq,
      createdSeq: s.createdSeq,
    });
  }
  /** A meeting organised by `organizer` arrives as an invitation the person has not answered. */
  invite(calendarId: string, organizer: string, item: CalendarItem): OutlookEvent {
    const id = `fake-event-${this.nextId++}`;
    const written = this.write(id, calendarId, item, null, null);
    const event: OutlookEvent = {
      ...written,
      organizerEmail: organizer.toLowerCase(),
      isOrganizer: false,
      response: 'notResponded',
    };
    this.events.set(id, { ...this.mustGet(id), event });
    return clone(event);
  }
  /** The person answers an invitation (Graph accept / tentativelyAccept). */
  answer(eventId: string, response: 'accepted' | 'tentativelyAccepted'): void {
    const s = this.mustGet(eventId);
    const seq = ++this.seq;
    s.seq = seq;
    s.event = { ...s.event, response, etag: `W/"${seq}"`, lastModified: fakeInstant(seq) };
  }
  all(): OutlookEvent[] {
    return [...this.events.values()].map((s) => s.event);
  }

  // ─── the port ───
  async mailbox(): Promise<string> {
    this.fault('mailbox');
    return this.address;
  }

  async listCalendars(): Promise<readonly OutlookCalendarInfo[]> {
    this.fault('listCalendars');
    return this.calendars.map((c) => ({ ...c }));
  }

  async changes(
    calendarId: string,
    window: TimeWindow,
    deltaLink: string | null,
  ): Promise<OutlookChanges> {
    this.fault('changes');
    const round = this.round(calendarId, window, deltaLink);
    return {
      changed: round.changed.map((s) => clone(s.event)),
      removed: round.removed,
      deltaLink: round.deltaLink,
    };
  }

  async versionsSince(calendarId: string, deltaLink: string): Promise<OutlookVersions> {
    this.fault('versionsSince');
    const round = this.round(calendarId, { start: '', end: '' }, deltaLink);
    return {
      changed: round.changed.map((s) => ({
        id: s.event.id,
        etag: s.event.etag,
        seriesId: s.event.item.occurrenceOf?.seriesId ?? null,
      })),
      removed: round.removed,
      deltaLink: round.deltaLink,
    };
  }

  /** One delta round, as the Graph emulator makes it (sandbox/graph/delta.ts). */
  private round(
    calendarId: string,
    window: TimeWindow,
    deltaLink: string | null,
  ): { changed: Stored[]; removed: string[]; deltaLink: string } {
    this.calendar(calendarId);
    let since = 0;
    let w = window;
    if (deltaLink !== null) {
      const m = /^fake-delta:(\d+):(\d+):([^|]*)\|([^|]*)\|(.*)$/.exec(deltaLink);
      if (!m || Number(m[1]) !== this.epoch || m[5] !== calendarId) {
        throw new SyncError('cursorExpired', 'The delta link expired');
      }
      since = Number(m[2]);
      w = { start: m[3] ?? '', end: m[4] ?? '' };
    }
    const changed: Stored[] = [];
    const removed: string[] = [];
    for (const s of this.events.values()) {
      if (s.calendarId !== calendarId || s.seq <= since) continue;
      if (overlaps(s.event.item, w)) changed.push(s);
      // Graph reports an event that left the window as removed (SPEC W3).
      else if (deltaLink !== null) removed.push(s.event.id);
    }
    // The strict reading of event-delta.md ("deleted since the previous delta call"): a round
    // reports the deletion of an event its link knew; one made after the link and deleted
    // before the round is not reported at all. The emulator does report it (through its rule for
    // events outside the window); the fake takes the stricter reading so the engine is tested
    // against both (docs/ARCHITECTURE.md, "To confirm in a real tenant").
    for (const [id, t] of this.tombstones) {
      if (t.calendarId !== calendarId || t.seq <= since || deltaLink === null) continue;
      if (t.createdSeq <= since) removed.push(id);
    }
    const link = `fake-delta:${this.epoch}:${this.seq}:${w.start}|${w.end}|${calendarId}`;
    return { changed, removed, deltaLink: link };
  }

  async get(eventId: string): Promise<OutlookEvent | null> {
    this.fault('get');
    const s = this.events.get(eventId);
    return s ? clone(s.event) : null;
  }

  async findByCrmId(calendarId: string, crmId: string): Promise<readonly OutlookEvent[]> {
    this.fault('findByCrmId');
    this.calendar(calendarId);
    return [...this.events.values()]
      .filter((s) => s.calendarId === calendarId && s.event.crmId === crmId)
      .map((s) => clone(s.event));
  }

  async create(
    calendarId: string,
    item: CalendarItem,
    options: { readonly transactionId: string; readonly crmId: string },
  ): Promise<OutlookEvent> {
    this.fault('create');
    this.calendar(calendarId);
    for (const s of this.events.values()) {
      if (s.transactionId === options.transactionId) return clone(s.event);
    }
    const id = `fake-event-${this.nextId++}`;
    // user-post-events.md: a created event with attendees invites them (it cannot be turned off).
    this.logMail('invitation', recipients(item, this.address), id);
    return clone(this.write(id, calendarId, item, options.crmId, options.transactionId));
  }

  async update(
    eventId: string,
    item: CalendarItem,
    options: { readonly etag: string },
  ): Promise<OutlookEvent> {
    this.fault('update');
    const s = this.mustGet(eventId);
    if (s.event.etag !== options.etag) {
      throw new ConflictError('The etag is stale', clone(s.event));
    }
    const before = s.event.item;
    const owner = this.address;
    if (!s.event.isOrganizer) {
      // event-update.md: an attendee's copy takes no new times, attendees or recurrence.
      const invitees = (x: CalendarItem) => recipients(x, owner).sort().join('|');
      if (!sameMeetingTimes(before, item) || invitees(before) !== invitees(item)) {
        throw new SyncError('invalidRequest', 'Only the organizer can change this meeting');
      }
    } else {
      const was = recipients(before, owner);
      const now = recipients(item, owner);
      const added = now.filter((a) => !was.includes(a));
      const removed = was.filter((a) => !now.includes(a));
      const stayed = now.filter((a) => was.includes(a));
      this.logMail('invitation', added, eventId);
      this.logMail('cancellation', removed, eventId);
      if (!sameMeetingTimes(before, item)) this.logMail('update', stayed, eventId);
    }
    const written = this.write(eventId, s.calendarId, item, s.event.crmId, s.transactionId);
    return clone(this.keepMeeting(eventId, s.event, written));
  }

  async stamp(eventId: string, crmId: string | null): Promise<{ readonly etag: string }> {
    this.fault('stamp');
    const s = this.mustGet(eventId);
    const written = this.write(eventId, s.calendarId, s.event.item, crmId, s.transactionId);
    return { etag: this.keepMeeting(eventId, s.event, written).etag };
  }

  async delete(eventId: string): Promise<void> {
    this.fault('delete');
    const s = this.events.get(eventId);
    // event-delete.md: deleting a meeting one organises cancels it for the attendees.
    if (s?.event.isOrganizer)
      this.logMail('cancellation', recipients(s.event.item, this.address), eventId);
    this.outlookDelete(eventId);
  }

  // ─── internals ───
  private logMail(kind: FakeMail['kind'], to: readonly string[], eventId: string): void {
    if (to.length > 0) this.mail.push({ kind, from: this.address, to: [...to], eventId });
  }

  /** A rewrite keeps who organises the meeting and the person's answer. */
  private keepMeeting(id: string, was: OutlookEvent, written: OutlookEvent): OutlookEvent {
    if (was.isOrganizer) return written;
    const event: OutlookEvent = {
      ...written,
      organizerEmail: was.organizerEmail,
      isOrganizer: false,
      ...(was.response ? { response: was.response } : {}),
    };
    const s = this.mustGet(id);
    s.event = event;
    return event;
  }

  private write(
    id: string,
    calendarId: string,
    item: CalendarItem,
    crmId: string | null,
    transactionId: string | null,
  ): OutlookEvent {
    const seq = ++this.seq;
    const kind = item.occurrenceOf
      ? 'exception'
      : item.recurrence
        ? 'seriesMaster'
        : ('single' as const);
    const event: OutlookEvent = {
      id,
      etag: `W/"${seq}"`,
      kind,
      item: structuredClone(item),
      crmId,
      organizerEmail: this.address,
      isOrganizer: true,
      webLink: `https://outlook.example/item/${id}`,
      lastModified: fakeInstant(seq),
    };
    const createdSeq = this.events.get(id)?.createdSeq ?? seq;
    this.events.set(id, { event, calendarId, transactionId, seq, createdSeq });
    return event;
  }

  private mustGet(eventId: string): Stored {
    const s = this.events.get(eventId);
    if (!s) throw new SyncError('itemNotFound', 'No such event');
    return s;
  }

  private calendar(calendarId: string): void {
    if (!this.calendars.some((c) => c.id === calendarId)) {
      throw new SyncError('calendarNotFound', 'No such calendar');
    }
  }

  private fault(method: Method): void {
    const i = this.faults.findIndex((f) => f.method === method || f.method === '*');
    if (i < 0) return;
    const [f] = this.faults.splice(i, 1);
    if (f) throw f.error;
  }
}

function clone(e: OutlookEvent): OutlookEvent {
  return structuredClone(e);
}

function fakeInstant(seq: number): Instant {
  return new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString().replace('.000Z', 'Z');
}

function overlaps(item: CalendarItem, w: TimeWindow): boolean {
  const t = item.time;
  const [start, end] =
    t.kind === 'timed' ? [t.start, t.end] : [`${t.startDate}T00:00:00Z`, `${t.endDate}T00:00:00Z`];
  // A series may occur in the window whenever it started before its end (no expansion here).
  if (item.recurrence) return Date.parse(start) < Date.parse(w.end);
  return Date.parse(start) < Date.parse(w.end) && Date.parse(end) > Date.parse(w.start);
}
