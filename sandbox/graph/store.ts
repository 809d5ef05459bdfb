import { randomBytes } from 'node:crypto';
import type { PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { GraphError, badRequest, notFound } from './errors';
import {
  applyInput,
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

  flush(): void {
    this.writer.flush();
  }

  private stamp(): string {
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
      const dup = Object.values(mbx.events).find((e) => e.transactionId === input.transactionId);
      if (dup) return { event: dup, created: false };
    }
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
    mbx.events[event.id] = event;
    this.changed();
    return { event, created: true };
  }

  /** PATCH a single instance, a master, or an occurrence (which becomes an exception). */
  patch(mbx: Mailbox, inst: Instance, input: PatchEventInput): Instance {
    const ts = this.stamp();
    const ev = inst.event;
    if (inst.type === 'occurrence' || inst.type === 'exception') {
      if (input.recurrence)
        throw badRequest(
          'An occurrence of a series cannot have a recurrence.',
          'ErrorInvalidRequest',
        );
      const fields = applyInput(inst.fields, input);
      validateFields(fields);
      const key = occurrenceKey(inst);
      const prev = ev.exceptions[key];
      const overrides = { ...(prev?.overrides ?? {}) };
      for (const k of Object.keys(input) as (keyof PatchEventInput)[]) {
        if (k in fields) Object.assign(overrides, { [k]: fields[k as keyof typeof fields] });
      }
      if (input.locations && !input.location) overrides.location = fields.location;
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
      ev.recurrence = recurrence;
      ev.kind = recurrence ? 'seriesMaster' : 'singleInstance';
      ev.extendedProperties = mergeExtended(
        ev.extendedProperties,
        input.singleValueExtendedProperties,
      );
      ev.changeKey = newChangeKey();
      ev.lastModifiedDateTime = ts;
    }
    this.changed();
    const updated = findInstance(mbx, inst.id);
    if (!updated) throw notFound();
    return updated;
  }

  /** DELETE: a single/master goes away; an occurrence/exception is cancelled in its series. */
  remove(mbx: Mailbox, inst: Instance): void {
    const ev = inst.event;
    if (inst.type === 'occurrence' || inst.type === 'exception') {
      const key = occurrenceKey(inst);
      delete ev.exceptions[key];
      if (!ev.cancelledDates.includes(key)) ev.cancelledDates.push(key);
    } else {
      delete mbx.events[ev.id];
    }
    this.changed();
  }
}

/** The original local date (YYYY-MM-DD) of an occurrence, from its id. */
export function occurrenceKey(inst: Instance): string {
  const m = /_(\d{4})(\d{2})(\d{2})$/.exec(inst.id);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : '';
}
