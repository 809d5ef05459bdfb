/**
 * The sync service's control API's wire shapes (issue 17, item 6), shared by the service and the
 * pane (which may not import src/service): zod for every request and every response, on both ends — the service (controlApi.ts) validates what it answers, the pane
 * (src/taskpane/syncService/serviceClient.ts) validates what it reads before a view sees it. The shapes
 * are ServiceControl's (../control.ts), which are the pane's Status view's own.
 *
 * `import * as z` (not `{ z }`): the pane bundles this file, and the namespace import keeps zod's
 * locales out of the bundle (about 25 KiB gzip instead of 90).
 */
import * as z from 'zod';
import { errorKindOf, type ErrorCode } from '../sync/core/errors';
import { SYNCED_FIELDS, type LostValue } from '../sync/core/merge';

/** The path every route hangs under; `me` is the caller's own mailbox, never another's. */
export const API_BASE = '/v1/me';

/** A page of history is at most this long (the pane lists 20). */
export const MAX_HISTORY = 100;

const Str = z.string().max(2_000);
const Instant = z.string().max(40);
const Count = z.number().int().nonnegative();
const ItemKey = z.string().min(1).max(1_000);
const OutlookId = z.string().min(1).max(1_000);

/** A read-only list of at most `max` (ServiceControl hands out read-only arrays). */
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max).readonly();

const ERROR_CODES = Object.keys(errorKindOf) as [ErrorCode, ...ErrorCode[]];
const ErrorCodeSchema = z.enum(ERROR_CODES);
const ErrorKindSchema = z.enum([
  'auth',
  'forbidden',
  'notFound',
  'conflict',
  'throttled',
  'offline',
  'invalidData',
  'resyncRequired',
  'server',
]);

const BrakeItems = z.enum(['calendar', 'contacts']);
const SideSchema = z.enum(['outlook', 'crm']);

const BrakeSchema = z.intersection(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('massDelete'), destructive: Count, linked: Count }),
    z.object({ kind: z.literal('sideEmpty'), side: SideSchema, linked: Count }),
  ]),
  z.object({
    ids: list(OutlookId, 50_000),
    items: z.literal('contacts').optional(),
  }),
);

const HeldItemSchema = z.object({ id: OutlookId, subject: Str, start: Instant.nullable() });

export const AskedBrakeSchema = z.object({
  brake: BrakeSchema,
  items: list(HeldItemSchema, 50_000),
});

export const BrakeConfirmationSchema = z.strictObject({
  items: BrakeItems,
  ids: z.array(OutlookId).max(50_000),
  sideEmpty: SideSchema.optional(),
});

const RunStateSchema = z.enum(['running', 'done', 'failed', 'braked']);

export const RunViewSchema = z.object({
  id: z.number().int(),
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  state: RunStateSchema,
  changes: Count,
  failures: list(
    z.object({ itemKey: ItemKey, subject: Str.nullable(), code: Str, unresolved: z.boolean() }),
    10_000,
  ),
  brake: Str.nullable(),
});

const TrashRestoreSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('requested'), requestedAt: Instant }),
  z.object({ state: z.literal('done'), requestedAt: Instant, at: Instant }),
  z.object({ state: z.literal('failed'), requestedAt: Instant, at: Instant, code: Str }),
]);

/**
 * The value a write overwrote: any synced field's value as plain JSON. The views format it
 * defensively by field (taskpane/status/formatStatus.ts formatLostValue), so its inner shape is
 * not held to each field's type here; its field and side are.
 */
const Json = z.json();
const LostValueSchema = z.object({
  field: z.enum(SYNCED_FIELDS),
  side: SideSchema,
  value: z.custom<LostValue['value']>((v) => Json.safeParse(v).success, 'is not plain JSON'),
});

export const TrashViewSchema = z.object({
  id: z.number().int(),
  at: Instant,
  subject: Str.nullable(),
  kind: z.enum(['overwritten', 'deleted']),
  lost: LostValueSchema,
  restore: TrashRestoreSchema.nullable(),
});

export const SetAsideViewSchema = z.object({
  itemKey: ItemKey,
  subject: Str.nullable(),
  failures: Count,
  lastCode: Str,
  since: Instant,
  unlinked: z.boolean(),
});

const CountsSchema = z.record(z.string().max(40), Count);

export const ServiceRunOutcomeSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('done'), counts: CountsSchema, failures: Count }),
  z.object({ state: z.literal('braked'), asked: list(AskedBrakeSchema, 10) }),
  z.object({ state: z.literal('busy') }),
  z.object({
    state: z.literal('failed'),
    error: z.object({ code: ErrorCodeSchema, kind: ErrorKindSchema }),
  }),
]);

export const RunTriggerSchema = z.enum([
  'notification',
  'crmChange',
  'poll',
  'start',
  'syncNow',
  'brakeConfirmed',
  'resync',
]);

export const ServiceStatusSchema = z.object({
  mailboxId: z.string().max(320),
  state: z.enum(['idle', 'syncing', 'braked', 'failing']),
  lastSyncAt: Instant.nullable(),
  nextRunAt: Instant.nullable(),
  lastOutcome: ServiceRunOutcomeSchema.nullable(),
  lastTrigger: RunTriggerSchema.nullable(),
  /** Issue 18: set aside by the scale-out workers after failing runs in a row. */
  quarantined: z.object({ since: Instant, failures: Count }).nullable().optional(),
});

export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: list(item, 10_000) });

export const HistoryResponse = itemsOf(RunViewSchema);
export const SetAsideResponse = itemsOf(SetAsideViewSchema);
export const TrashResponse = itemsOf(TrashViewSchema);
export const BrakeResponse = z.object({ asked: list(AskedBrakeSchema, 10).nullable() });
/** Whether the service took the request (false: nothing was to do — a stale button). */
export const AcceptedResponse = z.object({ accepted: z.boolean() });

export const HistoryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_HISTORY).default(20),
});
export const TrashIdParams = z.strictObject({ id: z.coerce.number().int().nonnegative() });
export const RetryBody = z.strictObject({ itemKey: ItemKey });
/** `[]` is "Not now" (control.ts confirmBrake). */
export const BrakeAnswerBody = z.strictObject({
  confirmation: z.array(BrakeConfirmationSchema).max(10),
});

/** RFC 9457 problem details, as every error of the API is sent. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
});

export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;
export type ServiceRunOutcomeWire = z.infer<typeof ServiceRunOutcomeSchema>;
export type Problem = z.infer<typeof ProblemSchema>;
