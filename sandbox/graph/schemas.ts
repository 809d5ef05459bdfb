import { z } from 'zod';

/**
 * Request bodies, checked with zod. Objects are strict because Graph answers 400 for a property
 * that does not exist on the type ("The property 'x' does not exist on type 'microsoft.graph.event'").
 * Enum values are matched case-insensitively, as Graph does, and stored in Graph's casing.
 */
const ciEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((v, ctx) => {
    const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
    if (hit === undefined) {
      ctx.addIssue({ code: 'custom', message: `Requested value '${v}' was not found.` });
      return z.NEVER;
    }
    return hit as T[number];
  });

export const dateTimeTimeZoneSchema = z.strictObject({
  dateTime: z.string(),
  timeZone: z.string().nullish(),
});

const emailAddressSchema = z.strictObject({
  name: z.string().nullish(),
  address: z.string().nullish(),
});

const physicalAddressSchema = z.strictObject({
  street: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  countryOrRegion: z.string().nullish(),
  postalCode: z.string().nullish(),
});

export const locationSchema = z.strictObject({
  displayName: z.string().nullish(),
  locationType: ciEnum([
    'default',
    'conferenceRoom',
    'homeAddress',
    'businessAddress',
    'geoCoordinates',
    'streetAddress',
    'hotel',
    'restaurant',
    'localBusiness',
    'postalAddress',
  ] as const).nullish(),
  locationEmailAddress: z.string().nullish(),
  locationUri: z.string().nullish(),
  uniqueId: z.string().nullish(),
  uniqueIdType: ciEnum([
    'unknown',
    'locationStore',
    'directory',
    'private',
    'bing',
  ] as const).nullish(),
  address: physicalAddressSchema.nullish(),
});

export const attendeeSchema = z.strictObject({
  type: ciEnum(['required', 'optional', 'resource'] as const).default('required'),
  emailAddress: emailAddressSchema,
  status: z
    .strictObject({
      response: ciEnum([
        'none',
        'organizer',
        'tentativelyAccepted',
        'accepted',
        'declined',
        'notResponded',
      ] as const),
      time: z.string().nullish(),
    })
    .nullish(),
});

const dayOfWeek = ciEnum([
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const);

export const recurrenceSchema = z.strictObject({
  pattern: z.strictObject({
    type: ciEnum([
      'daily',
      'weekly',
      'absoluteMonthly',
      'relativeMonthly',
      'absoluteYearly',
      'relativeYearly',
    ] as const),
    interval: z.number().int(),
    month: z.number().int().optional(),
    dayOfMonth: z.number().int().optional(),
    daysOfWeek: z.array(dayOfWeek).nullish(),
    firstDayOfWeek: dayOfWeek.nullish(),
    index: ciEnum(['first', 'second', 'third', 'fourth', 'last'] as const).nullish(),
  }),
  range: z.strictObject({
    type: ciEnum(['endDate', 'noEnd', 'numbered'] as const),
    startDate: z.string(),
    endDate: z.string().nullish(),
    recurrenceTimeZone: z.string().nullish(),
    numberOfOccurrences: z.number().int().optional(),
  }),
});
export type RecurrenceInput = z.infer<typeof recurrenceSchema>;

export const extendedPropertySchema = z.strictObject({ id: z.string(), value: z.string() });

const writable = {
  subject: z.string().nullish(),
  body: z
    .strictObject({ contentType: ciEnum(['text', 'html'] as const), content: z.string().nullish() })
    .nullish(),
  start: dateTimeTimeZoneSchema,
  end: dateTimeTimeZoneSchema,
  isAllDay: z.boolean().nullish(),
  location: locationSchema.nullish(),
  locations: z.array(locationSchema).nullish(),
  attendees: z.array(attendeeSchema).nullish(),
  organizer: z.strictObject({ emailAddress: emailAddressSchema }).nullish(),
  sensitivity: ciEnum(['normal', 'personal', 'private', 'confidential'] as const).nullish(),
  showAs: ciEnum([
    'free',
    'tentative',
    'busy',
    'oof',
    'workingElsewhere',
    'unknown',
  ] as const).nullish(),
  importance: ciEnum(['low', 'normal', 'high'] as const).nullish(),
  isReminderOn: z.boolean().nullish(),
  reminderMinutesBeforeStart: z.number().int().min(0).nullish(),
  categories: z.array(z.string()).nullish(),
  responseRequested: z.boolean().nullish(),
  allowNewTimeProposals: z.boolean().nullish(),
  hideAttendees: z.boolean().nullish(),
  isOnlineMeeting: z.boolean().nullish(),
  originalStartTimeZone: z.string().nullish(),
  originalEndTimeZone: z.string().nullish(),
  recurrence: recurrenceSchema.nullish(),
  singleValueExtendedProperties: z.array(extendedPropertySchema).nullish(),
  transactionId: z.string().max(1024).nullish(),
};

export const createEventSchema = z.strictObject(writable);
export const patchEventSchema = z.strictObject(writable).partial();
export type CreateEventInput = z.infer<typeof createEventSchema>;
export type PatchEventInput = z.infer<typeof patchEventSchema>;

/** The normalized, stored form of an event's own fields (times as wall clock + zone name). */
export interface EventFields {
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay: boolean;
  location: z.infer<typeof locationSchema>;
  attendees: z.infer<typeof attendeeSchema>[];
  organizer: { emailAddress: { name: string; address: string } };
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  importance: 'low' | 'normal' | 'high';
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  categories: string[];
  responseRequested: boolean;
  allowNewTimeProposals: boolean;
  hideAttendees: boolean;
  isOnlineMeeting: boolean;
}

export const tokenRequestSchema = z.strictObject({ mailbox: z.string() });

export const batchSchema = z.strictObject({
  requests: z.array(
    z.strictObject({
      id: z.string().min(1),
      method: ciEnum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});
export type BatchInput = z.infer<typeof batchSchema>;
