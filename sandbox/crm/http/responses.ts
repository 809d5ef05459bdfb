/**
 * Builders for route `response` maps. Every operation documents the errors any route can
 * produce (auth, validation, fault injection 429/503, 500) so that the contract test can hold
 * every observed response against the document.
 */
import { z } from 'zod';
import { ProblemSchema } from '../schemas/problem';

export const PROBLEM_TEXT: Record<number, string> = {
  400: 'The request is malformed: bad JSON, a missing or invalid parameter, header or field.',
  401: 'Missing, unknown or expired credentials (`X-Api-Key`, bearer token). See `code`.',
  403: 'The key type or the user may not do this (e.g. not the owner, sync not enabled).',
  404: 'No such resource, or it is not visible to the current user.',
  409: 'The request conflicts with the current state.',
  410: 'Gone.',
  412: 'The `If-Match` ETag is not the current version.',
  413: 'The body is larger than 256 KiB.',
  415: 'The body is not `application/json`.',
  422: 'The request is well-formed but semantically invalid.',
  428: 'This operation requires an `If-Match` header.',
  429: 'Too many requests. Wait for `Retry-After` seconds before retrying.',
  500: 'An unexpected server error.',
  503: 'Temporarily unavailable. Retry after `Retry-After` seconds.',
};

/** Names of the shared `components.responses` the document uses for the standard problems. */
export const PROBLEM_RESPONSE_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

type ProblemResponse = {
  description: string;
  content: { 'application/problem+json': { schema: z.ZodType } };
};

export function problemResponse(status: number, description?: string, schema?: z.ZodType) {
  return {
    description: description ?? PROBLEM_TEXT[status] ?? 'Error',
    content: { 'application/problem+json': { schema: schema ?? ProblemSchema } },
  } satisfies ProblemResponse;
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** Errors every authenticated operation may answer with. */
const BASE_ERRORS = [400, 401, 403, 429, 500, 503] as const;

export function errors(
  ...extra: Array<number | [number, string] | [number, string, z.ZodType]>
): Record<number, ProblemResponse> {
  const out: Record<number, ProblemResponse> = {};
  for (const status of BASE_ERRORS) out[status] = problemResponse(status);
  for (const e of extra) {
    if (typeof e === 'number') out[e] = problemResponse(e);
    else out[e[0]] = problemResponse(e[0], e[1], e[2]);
  }
  return out;
}

/** Errors of operations that take a JSON body. */
export const BODY_ERRORS = [413, 415] as const;

export const NoContent = (description: string) => z.undefined().describe(description);
