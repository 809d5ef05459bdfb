import { randomBytes } from 'node:crypto';
import type { PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { GraphError, badRequest, notFound } from './errors';
import {
  applyInput,
  checkWritableZones,
  defaultFields,
  mergeExtended,
  newChangeKey,
  newICalUId,
  newId,
  validateFields,
} from './fields';
import type { Instance } from './instances';
import { findInstance } from './views';
import { loadSnapshot, SnapshotWriter } from './persistence';
import { normalizeRecurrence } from './recurrence-validate';
import type { CreateEventInput, PatchEventInput } from './schemas';
import type { EmulatorState, Mailbox, StoredEvent } from './types';
import {
  attendeeAddresses,
  cancelCopies,
  hasBlob,
  logMail,
  mailForPatch,
  newOnlineMeeting,
  syncCopies,
  withBlob,
  wrapHtml,
} from './meetings';
import { occurrenceDates } from './recurrence';
import { Temporal } from 'temporal-polyfill';
import { localIn, parseLocal, requireZone, toEpochMs } from './timezones';

const toMs = (t: { dateTime: string; timeZone: string }): number =>
  toEpochMs(parseLocal(t.dateTime), requireZone(t.timeZone));

/** In-memory state of all mailboxes, with every mutation persisted through the writer. */
export class GraphStore {
  readonly state: EmulatorState;
  private readonly writer: SnapshotWriter;

  constructor(
    dataFile: string | undefined,
    readonly now: () => number,
  ) {
    const loaded = loadSnapshot(dataFile);
    this.state = loaded ?? {
      version: 1,
      secret: randomBytes(32).toString('hex'),
      mailboxes: {},
      deltaStates: {},
    };
    this.loadedFromSnapshot = loaded !== null;
    this.writer = new SnapshotWriter(dataFile, () => this.state);
  }

  readonly loadedFromSnapshot: boolean;

  changed(): void {
    this.writer.schedule();
  }

  /** Told of every event change (change notifications, subscriptions.ts); isNew on its first. */
  onTouch: ((ev: StoredEvent, isNew: boolean) => void) | undefined;

  /** Marks an event changed now (for delta's out-of-window `@removed`). */
  touch(ev: StoredEvent): void {
    const isNew = ev.seq === undefined;
    this.state.seq = (this.state.seq ?? 0) + 1;
    ev.seq = this.state.seq;
    this.changed();
    this.onTouch?.(ev, isNew);
  }

  flush(): void {
    this.writer.flush();
  }

  stamp(): string {
    return new Date(this.now()).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
  }

  mailbox(address: string): Mailbox {
    const mbx = this.state.mailboxes[address.toLowerCase()];
    if (!mbx)
      throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${address}' is invalid.`);
    return mbx;
  }

  calendarId(mbx: Mailbox, id: string | undefined): string {
    const cal =
      id === undefined
        ? mbx.calendars.find((c) => c.isDefaultCalendar)
        : mbx.calendars.find((c) => c.id === id);
    if (!cal) throw notFound();
    return cal.id;
  }

  /** POST event. `transactionId` is Graph's idempotency key: a repeat returns the first event. */
  create(
    mbx: Mailbox,
    calendarId: string,
    input: CreateEventInput,
  ): { event: StoredEvent; created: boolean } {
    if (input.transactionId) {
      const dup = this.byTransactionId(mbx, input.transactionId);
      if (dup) return { event: dup, created: false };
    }
    checkWritableZones(input);
    const organizer = { emailAddress: { name: mbx.displayName, address: mbx.address } };
    const fields = defaultFields(input, organizer);
    validateFields(fields);
    const recurrence = input.recurrence
      ? normalizeRecurrence(input.recurrence, fields.start.timeZone)
      : null;
    const ts = this.stamp();
    const event: StoredEvent = {
      id: newId(),
      calendarId,
      kind: recurrence ? 'seriesMaster' : 'singleInstance',
      createdDateTime: ts,
      lastModifiedDateTime: ts,
      changeKey: newChangeKey(),
      iCalUId: newICalUId(),
      transactionId: input.transactionId ?? null,
      fields,
      recurrence,
      extendedProperties: mergeExtended([], input.singleValueExtendedProperties),
      exceptions: {},
      cancelledDates: [],
    };
    storeBody(event, fields.body, input.isOnlineMeeting === true);
    mbx.events[event.id] = event;
    if (event.transactionId) this.transactionIndex(mbx).set(event.transactionId, event);
    this.touch(event);
    // user-post-events.md: a new event with attendees sends each of them an invitation.
    const invitees = attendeeAddresses(event.fields);
    logMail(this, 'invitation', mbx, invitees, event);
    if (invitees.length > 0) syncCopies(this, mbx, event, []);
    this.changed();
    return { event, created: true };
  }

  /**
   * Issue 16: the live event created with `transactionId`, through an index instead of a scan of
   * the whole mailbox per create (the bench's first sync made creates quadratic). Only `create`
   * gives an event a transactionId, so the index — built from one scan the first time a mailbox's
   * events are asked (a loaded snapshot), then kept by `create` — misses nothing; a hit is checked
   * against the mailbox, and a stale one (deleted, or its events replaced) falls back to the scan.
   */
  private byTransactionId(mbx: Mailbox, transactionId: string): StoredEvent | undefined {
    const hit = this.transactionIndex(mbx).get(transactionId);
    if (hit === undefined) return undefined;
    if (!hit.deleted && mbx.events[hit.id] === hit && hit.transactionId === transactionId) {
      return hit;
    }
    return Object.values(mbx.events).find((e) => e.transactionId === transactionId && !e.deleted);
  }

  /** Keyed by the events record itself: a mailbox whose record is replaced gets a new index. */
  private readonly transactionIndexes = new WeakMap<object, Map<string, StoredEvent>>();
  private transactionIndex(mbx: Mailbox): Map<string, StoredEvent> {
    let index = this.transactionIndexes.get(mbx.events);
    if (index === undefined) {
      index = new Map();
      for (const e of Object.values(mbx.events)) {
        // The newest live one wins, as the scan's first live match would be the only live one.
        if (e.transactionId && (!e.deleted || !index.has(e.transactionId))) {
          index.set(e.transactionId, e);
        }
      }
      this.transactionIndexes.set(mbx.events, index);
    }
    return index;
  }

  /** PATCH a single instance, a master, or an occurrence (which becomes an exception). */
  patch(mbx: Mailbox, inst: Instance, input: PatchEventInput): Instance {
    checkWritableZones(input);
    const ts = this.stamp();
    const ev = inst.event;
    const attendeesBefore = attendeeAddresses(inst.fields);
    if (inst.type === 'occurrence' || inst.type === 'exception') {
      if (input.recurrence)
        throw badRequest(
          'An occurrence of a series cannot have a recurrence.',
          'ErrorInvalidRequest',
        );
      const fields = applyInput(inst.fields, input);
      validateFields(fields);
      if (input.body && fields.body.contentType === 'html' && fields.body.content)
        fields.body = { ...fields.body, content: wrapHtml(fields.body.content) };
      const key = occurrenceKey(inst);
      const prev = ev.exceptions[key];
      const overrides = { ...(prev?.overrides ?? {}) };
      for (const k of Object.keys(input) as (keyof PatchEventInput)[]) {
        if (k in fields) Object.assign(overrides, { [k]: fields[k as keyof typeof fields] });
      }
      if (input.locations && !input.location) overrides.location = fields.location;
      if (input.start || input.end) checkCrossingBoundary(ev, key, fields);
      ev.exceptions[key] = {
        changeKey: newChangeKey(),
        createdDateTime: prev?.createdDateTime ?? ts,
        lastModifiedDateTime: ts,
        overrides,
        extendedProperties: mergeExtended(
          inst.extendedProperties,
          input.singleValueExtendedProperties,
        ),
      };
    } else {
      const fields = applyInput(ev.fields, input);
      validateFields(fields);
      let recurrence: PatternedRecurrence | null = ev.recurrence;
      if (input.recurrence)
        recurrence = normalizeRecurrence(input.recurrence, fields.start.timeZone);
      else if (input.recurrence === null && ev.kind === 'seriesMaster') {
        throw badRequest(
          'The recurrence of a series cannot be removed; delete the series instead.',
          'ErrorInvalidRequest',
        );
      }
      // Changing a series' pattern or times drops its exceptions, as Outlook does.
      if (ev.kind === 'seriesMaster' && (input.recurrence || input.start || input.end)) {
        ev.exceptions = {};
        ev.cancelledDates = [];
      }
      ev.fields = fields;
      if (input.body !== undefined || input.isOnlineMeeting !== undefined)
        storeBody(ev, fields.body, input.isOnlineMeeting ?? undefined);
      ev.recurrence = recurrence;
      ev.kind = recurrence ? 'seriesMaster' : 'singleInstance';
      ev.extendedProperties = mergeExtended(
        ev.extendedProperties,
        input.singleValueExtendedProperties,
      );
      ev.changeKey = newChangeKey();
      ev.lastModifiedDateTime = ts;
    }
    this.touch(ev);
    if (!ev.organizerRef && !ev.deleted) {
      const after = findInstance(mbx, inst.id, { includeDeleted: true });
      const attendeesAfter = after ? attendeeAddresses(after.fields) : attendeesBefore;
      const { removed, mailed } = mailForPatch(
        this,
        mbx,
        ev,
        attendeesBefore,
        attendeesAfter,
        input,
        inst.id,
      );
      if (mailed) syncCopies(this, mbx, ev, removed);
    }
    this.changed();
    const updated = findInstance(mbx, inst.id, { includeDeleted: true });
    if (!updated) throw notFound();
    return updated;
  }

  /** DELETE: a single/master goes away; an occurrence/exception is cancelled in its series. */
  remove(mbx: Mailbox, inst: Instance): void {
    const ev = inst.event;
    this.touch(ev);
    const attendees = ev.organizerRef || ev.deleted ? [] : attendeeAddresses(inst.fields);
    if (inst.type === 'occurrence' || inst.type === 'exception') {
      const key = occurrenceKey(inst);
      delete ev.exceptions[key];
      if (!ev.cancelledDates.includes(key)) ev.cancelledDates.push(key);
      // event-delete.md: deleting a meeting on the organizer's calendar cancels it for attendees.
      logMail(this, 'cancellation', mbx, attendees, ev, inst.id);
      if (attendees.length > 0) syncCopies(this, mbx, ev, []);
    } else if (ev.deleted) {
      // Deleting from Deleted Items removes the item for good.
      delete mbx.events[ev.id];
    } else {
      // concepts/outlook-immutable-id.md: an immutable id survives the move to Deleted Items,
      // so GET /me/events/{id} still answers; the calendar, calendarView and delta drop it.
      ev.deleted = true;
      ev.changeKey = newChangeKey();
      ev.lastModifiedDateTime = this.stamp();
      logMail(this, 'cancellation', mbx, attendees, ev);
      cancelCopies(this, mbx, ev, attendees);
    }
    this.changed();
  }
}

/**
 * Stores a body as Exchange keeps it: HTML wrapped as a document (calendar-post-events.md's
 * sample), an online meeting's join blob appended when the meeting is turned on, and the online
 * meeting turned off when a new body no longer carries the blob (event-update.md: "Inadvertently
 * removing the meeting blob from the body would disable meeting online").
 */
function storeBody(ev: StoredEvent, body: StoredEvent['fields']['body'], online?: boolean): void {
  let next =
    body.contentType === 'html' && body.content
      ? { ...body, content: wrapHtml(body.content) }
      : body;
  let meeting = ev.onlineMeeting ?? null;
  if (online === false) meeting = null;
  else if (meeting && !hasBlob(next.content, meeting)) meeting = null;
  if (online === true && !meeting) {
    meeting = newOnlineMeeting();
    next = withBlob(next, meeting);
  }
  ev.onlineMeeting = meeting;
  ev.fields = { ...ev.fields, body: next, isOnlineMeeting: meeting !== null };
}

/**
 * event-update.md: ErrorOccurrenceCrossingBoundary — "an occurrence cannot be moved to or before
 * the day of the previous occurrence, and cannot be moved to or after the day of the following
 * occurrence". Days are read in the series' start zone; neighbours are placed where they are now
 * (a moved exception counts at its new day), cancelled occurrences are no neighbours.
 */
function checkCrossingBoundary(ev: StoredEvent, key: string, fields: StoredEvent['fields']): void {
  if (!ev.recurrence) return;
  const zone = requireZone(ev.fields.start.timeZone);
  const dayOf = (k: string): Temporal.PlainDate => {
    const exc = ev.exceptions[k];
    if (exc?.overrides.start) {
      const f = { ...ev.fields, ...exc.overrides };
      return localIn(toMs(f.start), zone).toPlainDate();
    }
    return Temporal.PlainDate.from(k);
  };
  const cancelled = new Set(ev.cancelledDates);
  let prev: string | null = null;
  let next: string | null = null;
  let guard = 0;
  for (const d of occurrenceDates(ev.recurrence)) {
    if (++guard > 5000) break;
    const k = d.toString();
    if (cancelled.has(k) || k === key) continue;
    if (k < key) prev = k;
    else {
      next = k;
      break;
    }
  }
  const newDay = localIn(toMs(fields.start), zone).toPlainDate();
  const before = prev !== null && Temporal.PlainDate.compare(newDay, dayOf(prev)) <= 0;
  const after = next !== null && Temporal.PlainDate.compare(newDay, dayOf(next)) >= 0;
  if (before || after) {
    throw new GraphError(
      400,
      'ErrorOccurrenceCrossingBoundary',
      'Modified occurrence is crossing or overlapping adjacent occurrence.',
    );
  }
}

/** The original local date (YYYY-MM-DD) of an occurrence, from its id. */
export function occurrenceKey(inst: Instance): string {
  const m = /_(\d{4})(\d{2})(\d{2})$/.exec(inst.id);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : '';
}
