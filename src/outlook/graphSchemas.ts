import type { Calendar, Event, PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import * as z from 'zod';

/**
 * The subsets of Graph's Event and Calendar we read, validated at the edge. Objects are loose
 * (Graph adds properties over time); the fields we use are checked. The `_check*` lines below fail
 * to compile if a schema drifts from @microsoft/microsoft-graph-types.
 */
const day = z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);

const optionalInt = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? undefined);

export const recurrenceSchema = z.object({
  pattern: z.object({
    type: z.enum([
      'daily',
      'weekly',
      'absoluteMonthly',
      'relativeMonthly',
      'absoluteYearly',
      'relativeYearly',
    ]),
    interval: z.number().int(),
    // Graph sends 0 for the number fields a pattern type does not use.
    month: optionalInt,
    dayOfMonth: optionalInt,
    daysOfWeek: z.array(day).nullish(),
    firstDayOfWeek: day.nullish(),
    index: z.enum(['first', 'second', 'third', 'fourth', 'last']).nullish(),
  }),
  range: z.object({
    type: z.enum(['endDate', 'noEnd', 'numbered']),
    startDate: z.string(),
    endDate: z.string().nullish(),
    numberOfOccurrences: optionalInt,
    recurrenceTimeZone: z.string().nullish(),
  }),
});

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });
const emailAddress = z.object({ name: z.string().nullish(), address: z.string().nullish() });

export const eventSchema = z.object({
  id: z.string().min(1),
  '@odata.etag': z.string().nullish(),
  changeKey: z.string().nullish(),
  subject: z.string().nullish(),
  body: z
    .object({ contentType: z.enum(['text', 'html']), content: z.string().nullish() })
    .nullish(),
  start: dateTimeTimeZone.nullish(),
  end: dateTimeTimeZone.nullish(),
  originalStartTimeZone: z.string().nullish(),
  originalEndTimeZone: z.string().nullish(),
  isAllDay: z.boolean().nullish(),
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  // Kept whole (loose): a location edit writes the others back as they were (issue 12, item 2).
  locations: z.array(z.looseObject({ displayName: z.string().nullish() })).nullish(),
  isOnlineMeeting: z.boolean().nullish(),
  iCalUId: z.string().nullish(),
  // event.md: the signed-in user's answer to a meeting organised by someone else.
  responseStatus: z
    .object({
      response: z
        .enum(['none', 'organizer', 'tentativelyAccepted', 'accepted', 'declined', 'notResponded'])
        .nullish(),
      time: z.string().nullish(),
    })
    .nullish(),
  sensitivity: z.enum(['normal', 'personal', 'private', 'confidential']).nullish(),
  showAs: z.enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']).nullish(),
  isReminderOn: z.boolean().nullish(),
  reminderMinutesBeforeStart: z.number().int().nullish(),
  attendees: z
    .array(
      z.object({
        type: z.enum(['required', 'optional', 'resource']).nullish(),
        emailAddress: emailAddress.nullish(),
      }),
    )
    .nullish(),
  organizer: z.object({ emailAddress: emailAddress.nullish() }).nullish(),
  isOrganizer: z.boolean().nullish(),
  isCancelled: z.boolean().nullish(),
  type: z.enum(['singleInstance', 'occurrence', 'exception', 'seriesMaster']).nullish(),
  seriesMasterId: z.string().nullish(),
  originalStart: z.string().nullish(),
  recurrence: recurrenceSchema.nullish(),
  webLink: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
  singleValueExtendedProperties: z
    .array(z.object({ id: z.string(), value: z.string().nullish() }))
    .nullish(),
});
export type GraphEvent = z.infer<typeof eventSchema>;

/** Delta pages list deletions (and events that left the window) as `@removed`. */
export const removedSchema = z.object({
  id: z.string().min(1),
  '@removed': z.object({ reason: z.string().nullish() }),
});

/**
 * A delta page. Its entries are read one by one (deltaReader.ts): one event Graph sends in a
 * shape we cannot read is set aside on its own (SPEC X1), it does not fail the page.
 */
export const deltaPageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().nullish(),
  '@odata.deltaLink': z.string().nullish(),
});

export const eventPageSchema = z.object({
  value: z.array(eventSchema),
  '@odata.nextLink': z.string().nullish(),
});

export const calendarSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  isDefaultCalendar: z.boolean().nullish(),
  canEdit: z.boolean().nullish(),
});
export const calendarListSchema = z.object({
  value: z.array(calendarSchema),
  '@odata.nextLink': z.string().nullish(),
});
export type CalendarList = z.infer<typeof calendarListSchema>;

export const userSchema = z.object({
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
});

/** The `$select=id&$expand=singleValueExtendedProperties(...)` read of the CRM stamp. */
export const stampSchema = eventSchema.pick({ id: true, singleValueExtendedProperties: true });

/** A page of the listing of stamped events (graphCalendarReads.ts `listStamps`). */
export const stampPageSchema = z.object({
  value: z.array(stampSchema),
  '@odata.nextLink': z.string().nullish(),
});
export type StampPage = z.infer<typeof stampPageSchema>;

type Assignable<T, U extends T> = U;
export type _checkEvent = Assignable<Event, Omit<GraphEvent, '@odata.etag'>>;
export type _checkCalendar = Assignable<Calendar, z.infer<typeof calendarSchema>>;
export type _checkRecurrence = Assignable<PatternedRecurrence, z.infer<typeof recurrenceSchema>>;
export type DeltaPage = z.infer<typeof deltaPageSchema>;
export type EventPage = z.infer<typeof eventPageSchema>;
