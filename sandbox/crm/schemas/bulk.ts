/**
 * The optional bulk operations (issue 16, item 3) and the capabilities document that announces
 * them. Limits are part of the contract: a client reads them from GET /capabilities and splits
 * its work to fit; the reference server announces these.
 */
import { z } from 'zod';
import { IdempotencyKey, KEY_DESCRIPTION } from '../routes/idempotentCreate';
import { ActivityCreateSchema, ActivityPatchSchema, ActivitySchema } from './activity';
import { ProblemSchema } from './problem';
import { IdSchema } from './text';
import { OutlookLinkWrite } from '../routes/activityParticipation';

/** Items per bulk call the reference server takes (a CRM announces its own, at least 1). */
export const BULK_MAX_ITEMS = 100;

/** The bulk operations a CRM may announce, by the operationId of each. */
export const BULK_OPERATIONS = [
  'bulkCreateActivities',
  'bulkUpdateActivities',
  'bulkReadActivities',
  'bulkSetOutlookLinks',
] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

export const BulkSupportSchema = z
  .object({
    operations: z
      .array(z.enum(BULK_OPERATIONS))
      .describe(
        'The bulk operations this CRM implements, by operationId. A client uses only those ' +
          'listed (and must ignore names it does not know); for anything else it makes the ' +
          'single calls.',
      ),
    maxItems: z
      .int()
      .min(1)
      .max(BULK_MAX_ITEMS)
      .describe(
        `Items (or ids) one bulk call may carry, at most ${BULK_MAX_ITEMS}. More is refused whole ` +
          'with 400 `validation-failed` at `/items` (or `/ids`); nothing is done.',
      ),
    maxBodyBytes: z
      .int()
      .min(1)
      .describe(
        'The largest request body a bulk call may have, in bytes (the contract’s 256 KiB at ' +
          'most). Larger is refused whole with 413 `body-too-large`. An item too large for a ' +
          'bulk call on its own goes through the single operation.',
      ),
  })
  .meta({
    id: 'BulkSupport',
    description:
      'Which bulk operations the CRM implements and their limits. Rate limits: a bulk call counts ' +
      'against them as one request per item it carries (as Graph counts each request of a ' +
      '`$batch`); it saves round trips, not budget. A throttled bulk call is refused whole (429 ' +
      'with `Retry-After`, no item done).',
  });

export const CapabilitiesSchema = z
  .object({
    bulk: BulkSupportSchema.optional().describe(
      'Absent: the CRM has no bulk operations; clients make single calls.',
    ),
  })
  .meta({
    id: 'Capabilities',
    description:
      'The optional features this CRM implements. A CRM without this operation (404) offers ' +
      'none of them. Clients may cache it for a session.',
  });
export type Capabilities = z.output<typeof CapabilitiesSchema>;

const itemsOf = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1).max(BULK_MAX_ITEMS).describe('In the order the results come back.');

export const BulkCreateItemSchema = z
  .strictObject({
    idempotencyKey: IdempotencyKey.describe(
      `${KEY_DESCRIPTION} The same key space as the single create's \`Idempotency-Key\`: a key ` +
        'used in either replays in both.',
    ),
    activity: ActivityCreateSchema,
  })
  .meta({ id: 'ActivityBulkCreateItem', description: 'One activity to create, with its key.' });

export const BulkCreateSchema = z
  .strictObject({ items: itemsOf(BulkCreateItemSchema) })
  .meta({ id: 'ActivityBulkCreate', description: 'Activities to create, each on its own.' });

export const BulkUpdateItemSchema = z
  .strictObject({
    id: IdSchema.describe('The activity id.'),
    ifMatch: z
      .string()
      .max(500)
      .optional()
      .describe(
        'Required, as `If-Match` of the single update: the ETag the client last saw. Missing → ' +
          'this item 428; not current → this item 412 with the current activity in `current`.',
      ),
    patch: ActivityPatchSchema,
  })
  .meta({ id: 'ActivityBulkUpdateItem', description: 'One activity to change.' });

export const BulkUpdateSchema = z
  .strictObject({ items: itemsOf(BulkUpdateItemSchema) })
  .meta({ id: 'ActivityBulkUpdate', description: 'Activities to change, each on its own.' });

export const BulkLinkItemSchema = z
  .strictObject({
    id: IdSchema.describe('The activity id.'),
    link: OutlookLinkWrite,
  })
  .meta({
    id: 'OutlookLinkBulkItem',
    description: 'One PUT /activities/{id}/outlook-link: the activity and its link.',
  });

export const BulkLinkSchema = z
  .strictObject({ items: itemsOf(BulkLinkItemSchema) })
  .meta({ id: 'OutlookLinkBulk', description: 'Outlook links to record, each on its own.' });

export const BulkReadSchema = z
  .strictObject({ ids: itemsOf(IdSchema.describe('An activity id.')) })
  .meta({ id: 'ActivityBulkRead', description: 'Activity ids to read.' });

export const BulkResultSchema = z
  .discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      status: z
        .int()
        .min(200)
        .max(299)
        .describe('What the single operation answers: 201 created (or replayed), 200.'),
      replayed: z
        .boolean()
        .optional()
        .describe('Create only: true when the key replayed an earlier create.'),
      activity: ActivitySchema,
    }),
    z.object({
      ok: z.literal(false),
      status: z.int().min(400).max(599).describe('What the single operation would answer.'),
      problem: ProblemSchema.describe(
        'The problem the single operation would answer, `instance` naming the item ' +
          '(`…#/items/3`); a 412 carries the current activity in `current`.',
      ),
    }),
  ])
  .meta({
    id: 'ActivityBulkResult',
    description: 'One item’s outcome: the activity, or the problem that item alone ran into.',
  });

export const BulkResultsSchema = z
  .object({
    results: z
      .array(BulkResultSchema)
      .describe('One per item (or id), in the order sent; duplicates are answered each time.'),
  })
  .meta({ id: 'ActivityBulkResults', description: 'Per-item outcomes of a bulk call.' });
export type BulkResult = z.output<typeof BulkResultSchema>;
