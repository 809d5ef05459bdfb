/** Activity request and response schemas: the heart of the contract (SPEC F1–F6, R1–R5). */
import { z } from 'zod';
import { parseRrule } from '../domain/rrule';
import { ParticipantInputSchema, ParticipantSchema } from './participant';
import { DateSchema, DateTimeSchema, RecurrenceIdSchema, TimeZoneSchema } from './time';
import { IdSchema, multiLine, singleLine } from './text';

export const ShowAsSchema = z
  .enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere'])
  .describe('Free/busy status shown to others, as in Outlook.');

const When = z
  .union([DateTimeSchema, DateSchema], {
    error: 'must be a real date-time with an offset (or a date YYYY-MM-DD for all-day)',
  })
  .describe('A date-time with offset when `allDay` is false; a date YYYY-MM-DD when true.');
const Reminder = z
  .int()
  .min(0)
  .max(40320)
  .nullable()
  .describe('Reminder in minutes before the start (at most 4 weeks), or null for none.');

const RruleSchema = z
  .string()
  .min(1)
  .max(500)
  .superRefine((value, ctx) => {
    const parsed = parseRrule(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .describe(
    'An RFC 5545 RRULE value without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;BYDAY=MO,WE` or ' +
      '`FREQ=MONTHLY;BYDAY=2WE` ("2nd Wednesday"). Supported parts: FREQ (DAILY, WEEKLY, ' +
      'MONTHLY, YEARLY), INTERVAL, COUNT or UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST. ' +
      'Occurrences are computed on wall time in the activity time zone; DTSTART is the ' +
      'activity start. A wall time a DST change skips is moved forward by the gap, and one it ' +
      'repeats is the first (RFC 5545 §3.3.10 with §3.3.5) — as Outlook does. UNTIL takes the ' +
      'form RFC 5545 §3.3.10 requires: a UTC date-time (`UNTIL=20261231T070000Z`, the start of ' +
      'the last occurrence or later) for a timed activity, whose start has a zone; a date ' +
      '(`UNTIL=20261231`) for an all-day one. The other form is refused with 422 ' +
      '`invalid-activity` (path `/recurrence/rrule`), on create and on a PATCH that changes ' +
      '`allDay` or `recurrence`.',
  );

/** Fields an occurrence override may change. */
const overrideShape = {
  cancelled: z.boolean().optional().describe('True: this occurrence is cancelled.'),
  subject: singleLine(255, 'Subject of this occurrence').optional(),
  description: multiLine(32000, 'Description of this occurrence').optional(),
  start: When.optional(),
  end: When.optional(),
  location: singleLine(255, 'Location of this occurrence').nullable().optional(),
  showAs: ShowAsSchema.optional(),
  reminderMinutesBeforeStart: Reminder.optional(),
};
export const OverrideSchema = z.strictObject(overrideShape).meta({
  id: 'OccurrenceOverride',
  description: 'Changes to one occurrence of a series (an exception), or its cancellation.',
});

export const RecurrenceSchema = z
  .strictObject({
    rrule: RruleSchema,
    exdates: z
      .array(RecurrenceIdSchema)
      .max(500)
      .default([])
      .describe('Occurrences removed from the series (RFC 5545 EXDATE), by recurrence id.'),
    overrides: z
      .record(RecurrenceIdSchema, OverrideSchema)
      .default({})
      .describe('Changed or cancelled occurrences, keyed by recurrence id (SPEC R1).'),
  })
  .meta({ id: 'Recurrence', description: 'A recurring series: rule, exclusions, exceptions.' });

const RelationsSchema = z
  .strictObject({
    customerId: IdSchema.nullable().default(null),
    projectId: IdSchema.nullable().default(null),
    salesCaseId: IdSchema.nullable().default(null),
  })
  .meta({
    id: 'Relations',
    description: 'CRM-only links (SPEC F2): never shown in Outlook. Ids must exist (else 422).',
  });

/** Field schemas without defaults, shared by create (with defaults) and patch (optional). */
const fields = {
  subject: singleLine(255, 'Subject'),
  description: multiLine(32000, 'Description'),
  allDay: z.boolean().describe('All-day: `start` and `end` are dates, `end` exclusive.'),
  start: When,
  end: When.describe('End, after `start`. For all-day activities the day after the last day.'),
  timeZone: TimeZoneSchema,
  location: singleLine(255, 'Location').nullable(),
  private: z.boolean().describe('Private (Outlook "private"; SPEC P1).'),
  showAs: ShowAsSchema,
  reminderMinutesBeforeStart: Reminder,
  typeId: IdSchema.describe('The activity type id (see GET /activity-types).'),
  completed: z.boolean().describe('Completed (CRM-only, SPEC F2).'),
  participants: z.array(ParticipantInputSchema).max(500),
  recurrence: RecurrenceSchema.nullable().describe('The series, or null for a single activity.'),
  relations: RelationsSchema,
};

export type TimingFields = { allDay: boolean; start: string; end: string };

/** Cross-field rules a JSON Schema cannot express; returns a message or null. */
export function timingError(t: TimingFields): string | null {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
  if (t.allDay !== dateOnly.test(t.start) || t.allDay !== dateOnly.test(t.end)) {
    return t.allDay
      ? 'all-day activities take dates (YYYY-MM-DD) as start and end'
      : 'timed activities take date-times with an offset as start and end';
  }
  const [s, e] = t.allDay ? [t.start, t.end] : [Date.parse(t.start), Date.parse(t.end)];
  return e > s ? null : 'end must be after start';
}

export const ActivityCreateSchema = z
  .strictObject({
    ...fields,
    description: fields.description.default(''),
    allDay: fields.allDay.default(false),
    location: fields.location.default(null),
    private: fields.private.default(false),
    showAs: fields.showAs.default('busy'),
    reminderMinutesBeforeStart: fields.reminderMinutesBeforeStart.default(15),
    completed: fields.completed.default(false),
    participants: fields.participants.default([]),
    recurrence: fields.recurrence.default(null),
    relations: RelationsSchema.default({ customerId: null, projectId: null, salesCaseId: null }),
    outlookLink: z
      .strictObject({
        mailbox: z.email().max(254),
        eventId: z.string().min(1).max(512),
      })
      .optional()
      .describe(
        "The creating user's Outlook event this activity copies (SPEC M2). The activity is born " +
          'linked: a client that stops between the create and a separate link call can never ' +
          'leave an unlinked copy for another client to copy again. The mailbox must be one of ' +
          "the user's addresses (422 `mailbox-mismatch`).",
      ),
  })
  .superRefine((value, ctx) => {
    const message = timingError(value);
    if (message) ctx.addIssue({ code: 'custom', message, path: ['end'] });
  })
  .meta({
    id: 'ActivityCreate',
    description:
      'A new activity. The owner is the signed-in user (SPEC F3). Unknown fields are rejected.',
  });

export const ActivityPatchSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]>;
    },
  )
  .meta({
    id: 'ActivityPatch',
    description:
      'Fields to change; absent fields stay. `participants`, `recurrence` and `relations` are ' +
      'replaced as a whole. The result must still be a valid activity (else 422).',
  });

export type ActivityCreate = z.output<typeof ActivityCreateSchema>;
export type ActivityPatch = z.output<typeof ActivityPatchSchema>;
export type Recurrence = z.output<typeof RecurrenceSchema>;
export type Relations = z.output<typeof RelationsSchema>;

export const OutlookLinkSchema = z
  .object({
    userId: z.string(),
    mailbox: z.string(),
    eventId: z.string().describe('The Outlook (Graph immutable) event id in that mailbox.'),
  })
  .meta({ id: 'OutlookLink', description: "One user's Outlook copy of the activity (SPEC M2)." });

export const ActivitySchema = z
  .object({
    id: z.string(),
    etag: z.string().describe('The strong ETag of this version; send it as If-Match.'),
    version: z.int().min(1),
    subject: z.string(),
    description: z.string(),
    allDay: z.boolean(),
    start: z.string().describe('UTC date-time (`…Z`), or a date for all-day activities.'),
    end: z.string().describe('UTC date-time (`…Z`), or a date (exclusive) for all-day.'),
    timeZone: z.string(),
    location: z.string().nullable(),
    private: z.boolean(),
    showAs: ShowAsSchema,
    reminderMinutesBeforeStart: z.int().nullable(),
    typeId: z.string(),
    completed: z.boolean(),
    cancelled: z.boolean().describe('Cancelled (SPEC D1): kept, not deleted.'),
    ownerId: z.string().describe('The owner and organizer (SPEC F3). Never changes.'),
    participants: z.array(ParticipantSchema),
    recurrence: RecurrenceSchema.nullable(),
    relations: RelationsSchema,
    outlookLinks: z.array(OutlookLinkSchema),
    webUrl: z
      .string()
      .optional()
      .describe(
        "Where a person opens this activity in the CRM's own web app (SPEC O2): an absolute " +
          'URL, or a path relative to the CRM address. Optional: a CRM without a web app ' +
          'leaves it out and the add-in offers no link.',
      ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Activity', description: 'A calendar activity as the CRM stores it.' });

export type Activity = z.output<typeof ActivitySchema>;
