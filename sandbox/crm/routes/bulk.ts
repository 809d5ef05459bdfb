/**
 * The optional bulk operations (issue 16, item 3) and GET /capabilities, which announces them.
 * Each item runs through the very code of its single operation (activityCreate, updateActivity,
 * loadVisible): the same auth, rules, idempotency keys and change log. Items are done one after
 * another, each committed on its own, so one bad item gets its own problem and the others go on.
 */
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CrmContext } from '../context';
import { toApi } from '../domain/activityView';
import { authOf, SECURITY, userOf } from '../http/auth';
import { type FieldError, HttpProblem, problemBody, type ProblemInit } from '../http/problem';
import { BODY_ERRORS, errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { BODY_LIMIT_BYTES } from '../http/limits';
import {
  BULK_MAX_ITEMS,
  BULK_OPERATIONS,
  type BulkOperation,
  BulkCreateItemSchema,
  BulkCreateSchema,
  BulkLinkItemSchema,
  BulkLinkSchema,
  type BulkResult,
  BulkResultsSchema,
  BulkReadSchema,
  BulkUpdateItemSchema,
  BulkUpdateSchema,
  type Capabilities,
  CapabilitiesSchema,
} from '../schemas/bulk';
import { IdSchema } from '../schemas/text';
import { activityCreate } from './activities';
import { common, loadVisible } from './activityShared';
import { updateActivity } from './activityWrites';
import { setOwnOutlookLink } from './activityParticipation';
import { runIdempotentCreate } from './idempotentCreate';

/** What the reference server announces: every bulk operation, at the contract's limits. */
export const REFERENCE_CAPABILITIES: Capabilities = {
  bulk: {
    operations: [...BULK_OPERATIONS],
    maxItems: BULK_MAX_ITEMS,
    maxBodyBytes: BODY_LIMIT_BYTES,
  },
};

/**
 * The envelope is checked whole (a list of 1..maxItems), its items one by one in the handler: the
 * documented body schema stays the strict one, but an invalid item must fail alone.
 */
const list = z.array(z.unknown()).min(1).max(BULK_MAX_ITEMS);
const ItemsEnvelope = z.strictObject({ items: list });
const IdsEnvelope = z.strictObject({ ids: list });

/** The route's validator: the zod provider's own, given the envelope in place of the body. */
function checkEnvelopeOnly<S>(envelope: z.ZodType): FastifySchemaCompiler<S> {
  return (route) => {
    // At run time `route.schema` is the zod schema of that part (headers, params, body).
    const part = route.schema as unknown as z.ZodType;
    return validatorCompiler({ ...route, schema: route.httpPart === 'body' ? envelope : part });
  };
}

const pointerPart = (p: PropertyKey) => String(p).replace(/~/g, '~0').replace(/\//g, '~1');

/** One item's schema failure, as the single route's 400 `validation-failed` would name it. */
function invalidItem(error: z.ZodError, at: string): HttpProblem {
  const found: FieldError[] = error.issues.map((issue) => ({
    in: 'body',
    path: at + issue.path.map((p) => `/${pointerPart(p)}`).join(''),
    message: issue.message,
  }));
  return new HttpProblem({
    status: 400,
    code: 'validation-failed',
    title: 'Invalid request',
    detail: `The item is invalid: ${found.map((e) => `${e.path} ${e.message}`).join('; ')}`.slice(
      0,
      1000,
    ),
    errors: found,
  });
}

/** Runs one item; whatever it throws becomes that item's problem, never the call's. */
function eachItem<S extends z.ZodType>(
  request: FastifyRequest,
  field: 'items' | 'ids',
  inputs: readonly unknown[],
  schema: S,
  run: (input: z.output<S>) => BulkResult,
): BulkResult[] {
  return inputs.map((raw, index) => {
    const at = `/${field}/${index}`;
    try {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw invalidItem(parsed.error, at);
      return run(parsed.data);
    } catch (error) {
      let init: ProblemInit;
      if (error instanceof HttpProblem) init = error.init;
      else {
        request.log.error({ err: error }, 'bulk item failed');
        const detail = 'An unexpected error occurred.';
        init = { status: 500, code: 'internal-error', title: 'Internal server error', detail };
      }
      return { ok: false, status: init.status, problem: problemBody(init, `${request.url}#${at}`) };
    }
  });
}

/** A CRM that does not offer the operation answers 404, as the reference server then does. */
const ABSENT: [number, string] = [
  404,
  'This CRM does not offer the operation (GET /capabilities).',
];

const BULK_TEXT =
  'Optional (announced in GET /capabilities). Each item is done as the single operation would ' +
  'do it — the same rules, rights and change log — and committed on its own, in order: an item ' +
  'that fails (even one that does not match the item schema) gets its own problem in its result ' +
  'and the others are still done. The call itself fails only as a whole request can (auth, a ' +
  `body that is not a list of 1–${BULK_MAX_ITEMS} items, 413, 429).`;

/** One bulk operation: its documentation, what its body lists, and how one item is done. */
interface BulkRoute<S extends z.ZodType> {
  readonly path: string;
  readonly operationId: BulkOperation;
  readonly summary: string;
  /** What follows BULK_TEXT in the operation's description. */
  readonly description: string;
  /** The documented body schema (the strict one); the route checks only the envelope. */
  readonly body: z.ZodType;
  /** What the body lists: items, or ids. */
  readonly field: 'items' | 'ids';
  /** One item's schema, checked in the handler so that an invalid item fails alone. */
  readonly item: S;
  /** Does one item as its single operation would, for the signed-in user. */
  readonly run: (who: { companyId: string; userId: string }, input: z.output<S>) => BulkResult;
}

/**
 * The scaffolding every bulk operation shares: the session, the envelope-only validator, the
 * documented limits and errors, and one result per item from `eachItem`.
 */
function bulkRoute<S extends z.ZodType>(app: ZodApp, ctx: CrmContext, route: BulkRoute<S>): void {
  const { field } = route;
  app.post(route.path, {
    onRequest: ctx.auth.user,
    validatorCompiler: checkEnvelopeOnly(field === 'items' ? ItemsEnvelope : IdsEnvelope),
    schema: {
      ...common,
      operationId: route.operationId,
      summary: route.summary,
      description: `${BULK_TEXT} ${route.description}`,
      body: route.body,
      response: {
        200: json(BulkResultsSchema, `One result per ${field === 'items' ? 'item' : 'id'}.`),
        ...errors(ABSENT, ...BODY_ERRORS),
      },
    },
    handler: async (request) => {
      const who = userOf(request);
      const inputs =
        field === 'items'
          ? ItemsEnvelope.parse(request.body).items
          : IdsEnvelope.parse(request.body).ids;
      const results = eachItem(request, field, inputs, route.item, (input) =>
        route.run(who, input),
      );
      return { results };
    },
  });
}

export function bulkRoutes(app: ZodApp, ctx: CrmContext): void {
  app.get('/capabilities', {
    onRequest: ctx.auth.anyKey,
    schema: {
      tags: ['capabilities'],
      operationId: 'getCapabilities',
      summary: 'The optional features this CRM implements',
      description:
        'Announces the optional operations (bulk create, update and read of activities, bulk ' +
        'Outlook links) and ' +
        'their limits. Optional itself: a 404 means no optional feature.',
      security: SECURITY.key,
      response: { 200: json(CapabilitiesSchema, 'What this CRM offers.'), ...errors() },
    },
    handler: async (request) => {
      authOf(request); // any valid key: the answer is the same for every company
      return ctx.capabilities;
    },
  });
  if (!ctx.capabilities.bulk) return; // a CRM without them: the routes are absent (404)

  bulkRoute(app, ctx, {
    path: '/activities/bulk-create',
    operationId: 'bulkCreateActivities',
    summary: 'Create several activities (idempotent per item)',
    description:
      'Each item carries its own idempotency key, in the same key space as ' +
      '`Idempotency-Key` of POST /activities: a repeated key with the same activity replays ' +
      'the first result (201, `replayed: true`), with another activity it is that item’s 422 ' +
      '`idempotency-key-reused`.',
    body: BulkCreateSchema,
    field: 'items',
    item: BulkCreateItemSchema,
    run: ({ companyId, userId }, item) => {
      const run = activityCreate(ctx, companyId, userId, item.idempotencyKey, item.activity);
      const { made, replayed } = runIdempotentCreate(ctx, run);
      return { ok: true, status: 201, replayed, activity: made.body };
    },
  });

  bulkRoute(app, ctx, {
    path: '/activities/bulk-update',
    operationId: 'bulkUpdateActivities',
    summary: 'Change several activities (If-Match per item)',
    description:
      'Each item is a PATCH /activities/{id}: its own `ifMatch` (428 without, ' +
      '412 with `current` on a lost race), owner only (403 `not-owner`).',
    body: BulkUpdateSchema,
    field: 'items',
    item: BulkUpdateItemSchema,
    run: (who, item) => {
      const rec = updateActivity(ctx, { ...who, id: item.id }, item.ifMatch, item.patch);
      return { ok: true, status: 200, activity: toApi(ctx.db, rec) };
    },
  });

  bulkRoute(app, ctx, {
    path: '/activities/bulk-outlook-link',
    operationId: 'bulkSetOutlookLinks',
    summary: 'Record my Outlook event id on several activities',
    description:
      'Each item is a PUT /activities/{id}/outlook-link: the signed-in user’s own link ' +
      'replaced, no If-Match (it changes only their link), 200 with the activity and its new ' +
      '`etag`; 404 when the activity does not exist or is not visible to the user, 422 ' +
      '`mailbox-mismatch` for a mailbox that is not one of theirs.',
    body: BulkLinkSchema,
    field: 'items',
    item: BulkLinkItemSchema,
    run: (who, item) => {
      const rec = setOwnOutlookLink(ctx, who, item.id, item.link);
      return { ok: true, status: 200, activity: toApi(ctx.db, rec) };
    },
  });

  bulkRoute(app, ctx, {
    path: '/activities/bulk-read',
    operationId: 'bulkReadActivities',
    summary: 'Read several activities by id',
    description:
      'Each id is a GET /activities/{id}: 200 with the activity (its `etag` ' +
      'inside), or 404 when it does not exist or is not visible to the user.',
    body: BulkReadSchema,
    field: 'ids',
    item: IdSchema,
    run: ({ companyId, userId }, id) => {
      const rec = loadVisible(ctx, companyId, id, userId);
      return { ok: true, status: 200, activity: toApi(ctx.db, rec) };
    },
  });
}
