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
  "**Authentication.** Every call carries the company's API key in `X-Api-Key`. Only keys of type `outlook` may use the sync operations; `admin` keys change company settings. Most calls also carry `Authorization: Bearer <accessToken>` from `POST /sessions`. An expired access token gives 401 with `code: token-expired`: refresh the session and retry.",
  '**Errors.** Every error is an RFC 9457 problem (`application/problem+json`) with a stable `code`. 429 and 503 carry `Retry-After` (seconds).',
  '**Concurrency.** Activities and contacts have a version exposed as a strong `ETag`; updates need `If-Match` (428 without, 412 with the current record on a lost race). Creates need an `Idempotency-Key` so a retried request never creates twice.',
  '**Input rules.** Objects are closed (unknown fields → 400). Bodies are limited to 256 KiB. Single-line text fields reject control characters, bidirectional control characters and HTML markup; descriptions are plain text.',
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
  ['pairing', 'Mailbox ↔ user pairing (SPEC C5–C7).'],
  ['sync-lease', 'A per-user lease so only one client syncs at a time.'],
  ['error-reports', 'Opt-in technical error reports (SPEC E5).'],
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
