/**
 * The OpenAPI 3.1 document is generated from the zod route schemas, so the published
 * contract (docs/crm-sync-api.yaml) and the server's validation cannot drift.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { finishDocument } from './openapiFinish';

const DESCRIPTION = [
  "The contract between the Outlook add-in and a CRM: a CRM vendor implements these operations and the add-in keeps a person's Outlook calendar and their CRM activities in two-way sync. This document is generated from the reference server; do not edit it by hand.",
  "**Authentication.** Every call carries the company's API key in `X-Api-Key`. Keys of type `outlook` are the add-in's; `admin` keys change company settings; `service` keys (issue 17) are the company's always-on sync service's, server to server: it opens a session for a paired mailbox with `POST /sessions/service` (never with a person's password), reads the paired mailboxes and waits for changes under `/sync-service`. Most calls also carry `Authorization: Bearer <accessToken>` from `POST /sessions` (a person) or `POST /sessions/service` (the service, for one paired user; pairing and extranet sharing stay the person's own). An expired access token gives 401 with `code: token-expired`: refresh the session and retry.",
  '**Errors.** Every error is an RFC 9457 problem (`application/problem+json`) with a stable `code`. 429 and 503 carry `Retry-After` (seconds).',
  '**Concurrency.** Activities and contacts have a version exposed as a strong `ETag`; updates need `If-Match` (428 without, 412 with the current record on a lost race). Creates need an `Idempotency-Key` so a retried request never creates twice.',
  '**Input rules.** Objects are closed (unknown fields → 400). Bodies are limited to 256 KiB. Single-line text fields reject control characters, bidirectional control characters and HTML markup; descriptions are plain text.',
  '**Limits a vendor must keep.** A client relies on these bounds; a CRM may accept more but must accept at least this much, and must answer beyond its own limits with a 4xx problem, never by truncating. Request bodies: at most 256 KiB (413 `body-too-large`). Pages: `GET /activities/changes`, `GET /contacts/changes` and `GET /contacts` take `limit` 1–500 (default 100) and are read while `hasMore`. Text: subject and location at most 255 characters, descriptions at most 32,000; e-mail addresses at most 254. Times: date-times in the years 1900–2200; reminders at most 40,320 minutes (4 weeks). Attendee cap: at most 500 participants per activity (a client sends the first 500 and reports the rest). Recurrence: an RRULE of at most 500 characters, INTERVAL 1–999, COUNT 1–9,999 (or UNTIL, not both), at most 500 EXDATEs; a client must bound its own expansion of what this admits (e.g. `FREQ=YEARLY;INTERVAL=30;COUNT=9999` reaches far past year 9999).',
  '**Rate limits.** A CRM may answer any operation with 429 (or 503) and `Retry-After` in seconds; clients wait at least that long. Sign-in (`POST /sessions`) must be throttled per user name and per client address: past the limit every attempt, right or wrong, gets 429 `too-many-sign-in-attempts` with `Retry-After` until the window ends (the reference server: 5 failures per user name, 20 per address, in 15 minutes). Passwords are hashed off the request thread at a current work factor (OWASP: scrypt N=2^17, r=8, p=1, or Argon2id).',
  '**Optional features.** `GET /capabilities` announces what a CRM offers beyond the required operations; a CRM without it (404) offers nothing optional, and a client makes the single calls. Today: bulk create, update and read of activities (`bulkCreateActivities`, `bulkUpdateActivities`, `bulkReadActivities`), each item done as its single operation would do it (the same idempotency keys, If-Match, rules and change log) with its own result, so one bad item never fails the others. Limits are announced with them (`maxItems`, at most 100; `maxBodyBytes`, at most the 256 KiB above); past them the whole call is refused (400 at `/items`, 413) and nothing is done. **Rate limit cost:** a bulk call counts as one request per item it carries; a throttled one is refused whole (429, `Retry-After`).',
  '**Sharing rule.** Only a project’s owners and members may share it with a contact person (`PUT /projects/{id}/extranet-shares/{contactId}`), change or stop the sharing, or send the invitation again; anyone else gets 403 `not-a-project-member`. The invitation’s one-time password is stored only as a hash, works once and expires (the reference server: after 15 minutes).',
  '**Sandbox.** The reference server mounts its sandbox controls and loads a demo company with public keys only in its sandbox configuration; they are not part of this contract and a production CRM has neither.',
].join('\n\n');

const TAGS = [
  ['sessions', 'Sign-in and token lifecycle.'],
  ['company', 'Company-level settings (SPEC C7).'],
  ['users', 'CRM users and the signed-in user.'],
  ['activity-types', 'Activity types with translated names (SPEC L2).'],
  ['contacts', "Customers' contact people (SPEC K1–K2)."],
  ['resources', 'Rooms and equipment (SPEC F4).'],
  ['relations', 'Customers, projects and sales cases (SPEC O1).'],
  ['extranet', "Sharing a project with a customer's contact person (SPEC O3)."],
  ['activities', 'Calendar activities and their change feed.'],
  ['capabilities', 'Optional features a CRM announces (bulk operations and their limits).'],
  ['pairing', 'Mailbox ↔ user pairing (SPEC C5–C7).'],
  ['sync-lease', 'A per-user lease so only one client syncs at a time.'],
  ['error-reports', 'Opt-in technical error reports (SPEC E5).'],
  ['sync-service', 'The always-on sync service: its mailboxes and the change signal (issue 17).'],
] as const;

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'CRM Sync API', version: '1.0.0', description: DESCRIPTION },
      servers: [{ url: '/api/v1', description: 'Relative to the CRM address.' }],
      tags: TAGS.map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          ApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
          BearerAuth: { type: 'http', scheme: 'bearer', description: 'From POST /sessions.' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (doc) => finishDocument(jsonSchemaTransformObject(doc)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
