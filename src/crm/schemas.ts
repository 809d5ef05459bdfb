/**
 * zod schemas for every sync response the adapter reads (STYLE: check every inbound payload at
 * the edge). Each inferred type is held against the generated contract types in schemaChecks.ts,
 * so validation cannot drift from docs/crm-sync-api.yaml. Objects strip unknown members: a newer
 * CRM may add fields without breaking older add-ins.
 */
import * as z from 'zod';

const Str = z.string();
const ShowAs = z.enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere']);
const Named = { optional: z.boolean(), name: Str.nullable(), email: Str.nullable() };

export const ParticipantSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: Str, ...Named }),
  z.object({ kind: z.literal('contact'), contactId: Str, ...Named }),
  z.object({ kind: z.literal('resource'), resourceId: Str, ...Named }),
  z.object({ kind: z.literal('external'), ...Named }),
]);

export const OccurrenceOverrideSchema = z.object({
  cancelled: z.boolean().optional(),
  subject: Str.optional(),
  description: Str.optional(),
  start: Str.optional(),
  end: Str.optional(),
  location: Str.nullable().optional(),
  showAs: ShowAs.optional(),
  reminderMinutesBeforeStart: z.int().nullable().optional(),
});

export const RecurrenceSchema = z.object({
  rrule: Str.min(1),
  exdates: z.array(Str),
  overrides: z.record(Str, OccurrenceOverrideSchema),
});

export const ActivitySchema = z.object({
  id: Str.min(1),
  etag: Str.min(1),
  version: z.int().min(1),
  subject: Str,
  description: Str,
  allDay: z.boolean(),
  start: Str,
  end: Str,
  timeZone: Str.min(1),
  location: Str.nullable(),
  private: z.boolean(),
  showAs: ShowAs,
  reminderMinutesBeforeStart: z.int().nullable(),
  typeId: Str,
  completed: z.boolean(),
  cancelled: z.boolean(),
  ownerId: Str,
  participants: z.array(ParticipantSchema),
  recurrence: RecurrenceSchema.nullable(),
  relations: z.object({
    customerId: Str.nullable(),
    projectId: Str.nullable(),
    salesCaseId: Str.nullable(),
  }),
  outlookLinks: z.array(z.object({ userId: Str, mailbox: Str, eventId: Str })),
  createdAt: Str,
  updatedAt: Str,
});
export type ApiActivity = z.infer<typeof ActivitySchema>;

export const ActivityChangeSchema = z.discriminatedUnion('deleted', [
  z.object({ id: Str, deleted: z.literal(false), changedAt: Str, activity: ActivitySchema }),
  z.object({
    id: Str,
    deleted: z.literal(true),
    changedAt: Str,
    reason: z.enum(['deleted', 'no-longer-visible']),
  }),
]);

export const ActivityChangePageSchema = z.object({
  items: z.array(ActivityChangeSchema),
  nextCursor: Str.min(1),
  hasMore: z.boolean(),
});

export const ActivityListSchema = z.object({ items: z.array(ActivitySchema) });

export const SyncLeaseSchema = z.object({
  holderId: Str,
  expiresAt: Str,
  version: z.int().min(1),
});

export const SessionTokensSchema = z.object({
  accessToken: Str.min(1),
  tokenType: z.literal('Bearer'),
  expiresIn: z.int(),
  refreshToken: Str.min(1),
  refreshExpiresIn: z.int(),
  userId: Str,
});

// ─── Problems (RFC 9457): extension members are allowed, so these are loose objects. ───────

const problemShape = {
  type: Str,
  title: Str,
  status: z.int(),
  detail: Str,
  instance: Str,
  code: Str,
  errors: z
    .array(z.object({ in: z.enum(['body', 'query', 'header', 'path']), path: Str, message: Str }))
    .optional(),
};

export const ProblemSchema = z.looseObject(problemShape);
export type ApiProblem = z.infer<typeof ProblemSchema>;
export const ActivityConflictProblemSchema = z.looseObject({
  ...problemShape,
  current: ActivitySchema,
});
export const LeaseConflictProblemSchema = z.looseObject({
  ...problemShape,
  current: SyncLeaseSchema,
});
// SPEC C6: the problem names both addresses.
export const MailboxMismatchProblemSchema = z.looseObject({
  ...problemShape,
  mailbox: Str,
  userEmails: z.array(Str),
});

// ─── Optional features (issue 16, item 3): GET /capabilities and the bulk results ────────

const BULK_OPERATIONS = [
  'bulkCreateActivities',
  'bulkUpdateActivities',
  'bulkReadActivities',
  'bulkSetOutlookLinks',
] as const;
const isKnownOperation = (name: string): name is (typeof BULK_OPERATIONS)[number] =>
  (BULK_OPERATIONS as readonly string[]).includes(name);

export const CapabilitiesSchema = z.object({
  bulk: z
    .object({
      // A newer CRM may announce operations this add-in does not know: they are ignored.
      operations: z.array(Str).transform((names) => names.filter(isKnownOperation)),
      maxItems: z.int().min(1),
      maxBodyBytes: z.int().min(1),
    })
    .optional(),
});

export const BulkResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    status: z.int(),
    replayed: z.boolean().optional(),
    activity: ActivitySchema,
  }),
  z.object({ ok: z.literal(false), status: z.int(), problem: ProblemSchema }),
]);
export type ApiBulkResult = z.infer<typeof BulkResultSchema>;
