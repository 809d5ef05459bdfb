import { randomBytes } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { GraphError, badRequest, validationFailure } from './errors';
import type { CreateEventInput, EventFields, PatchEventInput } from './schemas';
import { parseLocal, requireWritableZone, requireZone, toEpochMs } from './timezones';
import type { ExtendedProperty } from './types';
import { extendedIdKey } from './odata-eval';

/** The emulator's chosen subject limit (Graph documents none; Outlook's UI caps at 255). */
export const MAX_SUBJECT = 255;
const EXT_ID =
  /^(String|Integer|Boolean|SystemTime|Double|Binary|Long|Short|Float|Currency|CLSID) \{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\} (Name \S.*|Id 0x[0-9a-f]+)$/i;

export const newId = (prefix = 'AAMkAD'): string => `${prefix}${randomBytes(16).toString('hex')}`;
export const newChangeKey = (): string => randomBytes(12).toString('base64');
export const newICalUId = (): string =>
  `040000008200E00074C5B7101A82E00800000000${randomBytes(16).toString('hex').toUpperCase()}`;

type Organizer = EventFields['organizer'];

function dtz(v: { dateTime: string; timeZone?: string | null | undefined }) {
  requireZone(v.timeZone);
  return { dateTime: parseLocal(v.dateTime).toString(), timeZone: v.timeZone ?? '' };
}

/** Applies writable input over `base` (a patch keeps whatever it does not mention). */
export function applyInput(base: EventFields, input: PatchEventInput): EventFields {
  const f: EventFields = { ...base };
  if (input.subject !== undefined) f.subject = input.subject ?? '';
  if (input.body !== undefined) {
    f.body = input.body
      ? { contentType: input.body.contentType, content: input.body.content ?? '' }
      : { contentType: 'html', content: '' };
  }
  if (input.start) f.start = dtz(input.start);
  if (input.end) f.end = dtz(input.end);
  if (input.isAllDay !== undefined) f.isAllDay = input.isAllDay ?? false;
  if (input.location !== undefined) f.location = input.location ?? {};
  else if (input.locations?.[0]) f.location = input.locations[0];
  if (input.attendees !== undefined) f.attendees = input.attendees ?? [];
  // `organizer` is not writable: the organizer is the mailbox that creates the event (event
  // resource, "organizer: The organizer of the event"; event-update.md's writable properties do
  // not list it). A client-supplied organizer is accepted by the schema and ignored.
  if (input.sensitivity) f.sensitivity = input.sensitivity;
  if (input.showAs) f.showAs = input.showAs;
  if (input.importance) f.importance = input.importance;
  if (typeof input.isReminderOn === 'boolean') f.isReminderOn = input.isReminderOn;
  if (typeof input.reminderMinutesBeforeStart === 'number') {
    f.reminderMinutesBeforeStart = input.reminderMinutesBeforeStart;
  }
  if (input.categories !== undefined) f.categories = input.categories ?? [];
  for (const k of [
    'responseRequested',
    'allowNewTimeProposals',
    'hideAttendees',
    'isOnlineMeeting',
  ] as const) {
    const v = input[k];
    if (typeof v === 'boolean') f[k] = v;
  }
  return f;
}

export function defaultFields(input: CreateEventInput, organizer: Organizer): EventFields {
  const base: EventFields = {
    subject: '',
    body: { contentType: 'html', content: '' },
    start: dtz(input.start),
    end: dtz(input.end),
    isAllDay: false,
    location: {},
    attendees: [],
    organizer,
    sensitivity: 'normal',
    showAs: 'busy',
    importance: 'normal',
    isReminderOn: true,
    reminderMinutesBeforeStart: 15,
    categories: [],
    responseRequested: true,
    allowNewTimeProposals: true,
    hideAttendees: false,
    isOnlineMeeting: false,
  };
  return applyInput(base, input);
}

/**
 * The zones a create or update carries must be ones Graph accepts on a write (timezones.ts,
 * requireWritableZone): checked at the request, before anything is stored.
 */
export function checkWritableZones(input: PatchEventInput): void {
  if (input.start) requireWritableZone(input.start.timeZone);
  if (input.end) requireWritableZone(input.end.timeZone);
  const tz = input.recurrence?.range.recurrenceTimeZone;
  if (tz) requireWritableZone(tz);
}

/** Semantic checks Graph makes on a whole event. */
export function validateFields(f: EventFields): void {
  if (f.subject.length > MAX_SUBJECT) {
    throw badRequest(
      `The subject is longer than ${MAX_SUBJECT} characters.`,
      'ErrorInvalidArgument',
    );
  }
  const start = parseLocal(f.start.dateTime);
  const end = parseLocal(f.end.dateTime);
  const startMs = toEpochMs(start, requireZone(f.start.timeZone));
  const endMs = toEpochMs(end, requireZone(f.end.timeZone));
  if (endMs < startMs) {
    throw new GraphError(
      400,
      'ErrorCalendarEndDateIsEarlierThanStartDate',
      'The end date you entered occurs before the start date.',
    );
  }
  if (f.isAllDay) {
    // Graph: "If true, regardless of whether it's a single-day or multi-day event, start and end
    // time must be set to midnight and be in the same time zone."
    const midnight = (t: Temporal.PlainDateTime) =>
      t.toPlainTime().equals(new Temporal.PlainTime());
    if (!midnight(start) || !midnight(end) || f.start.timeZone !== f.end.timeZone) {
      throw validationFailure('An all-day event must start and end at midnight in one time zone.');
    }
    if (Temporal.PlainDate.compare(end.toPlainDate(), start.toPlainDate()) <= 0) {
      throw validationFailure(
        'The duration of an event marked as All day must be at least 24 hours.',
      );
    }
  }
}

/** singleValueExtendedProperties on PATCH add or replace by id; others are kept. */
export function mergeExtended(
  current: ExtendedProperty[],
  input: ExtendedProperty[] | null | undefined,
): ExtendedProperty[] {
  if (!input) return current;
  const out = [...current];
  for (const p of input) {
    if (!EXT_ID.test(p.id)) {
      throw badRequest(`The extended property id '${p.id}' is not valid.`, 'ErrorInvalidProperty');
    }
    // The Name part of an id is case-sensitive (odata-eval.ts, extendedIdKey).
    const i = out.findIndex((x) => extendedIdKey(x.id) === extendedIdKey(p.id));
    if (i >= 0) out[i] = { id: out[i]?.id ?? p.id, value: p.value };
    else out.push({ id: p.id, value: p.value });
  }
  return out;
}
