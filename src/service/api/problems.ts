/**
 * RFC 9457 problem details: the one error body of the service's control API, so the pane decodes
 * one shape (`code`) and shows its own words for it — never the server's text.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';

export const PROBLEM_BASE = 'https://crm-sync.example/service-problems/';

export interface ProblemInit {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
}

export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(readonly init: ProblemInit) {
    super(init.detail ?? init.title);
  }
}

export const problems = {
  unauthorized: () =>
    new ApiProblem({
      status: 401,
      code: 'unauthorized',
      title: 'Not signed in',
      detail: 'Send the CRM API key (X-Api-Key) and the CRM access token (Authorization: Bearer).',
    }),
  notPaired: () =>
    new ApiProblem({
      status: 403,
      code: 'not-paired',
      title: 'No mailbox paired',
      detail: 'The CRM user has no mailbox paired with them.',
    }),
  unknownMailbox: () =>
    new ApiProblem({
      status: 404,
      code: 'mailbox-not-synced',
      title: 'Not synced here',
      detail: 'This service does not sync the caller’s mailbox.',
    }),
  crmUnavailable: () =>
    new ApiProblem({
      status: 503,
      code: 'crm-unavailable',
      title: 'CRM not reachable',
      detail: 'The service could not check the credential with the CRM; try again later.',
    }),
  notFound: () => new ApiProblem({ status: 404, code: 'not-found', title: 'Not found' }),
} as const;

/** Maps any error a route or fastify throws to a problem; the detail never echoes input. */
export function toProblem(error: FastifyError | Error): ProblemInit {
  if (error instanceof ApiProblem) return error.init;
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const where = fastifyError.validationContext ?? 'body';
    const paths = fastifyError.validation.map((v) => v.instancePath || '(root)').join(', ');
    return {
      status: 400,
      code: 'validation-failed',
      title: 'Invalid request',
      detail: `The request ${where} is invalid at ${paths}`.slice(0, 500),
    };
  }
  if (isResponseSerializationError(fastifyError)) {
    return { status: 500, code: 'internal', title: 'Internal error' };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 415) {
    return { status, code: 'unsupported-media-type', title: 'Send application/json' };
  }
  if (status >= 400 && status < 500) return { status, code: 'bad-request', title: 'Bad request' };
  return { status: 500, code: 'internal', title: 'Internal error' };
}

export function sendProblem(reply: FastifyReply, init: ProblemInit) {
  return reply
    .code(init.status)
    .header('Content-Type', 'application/problem+json')
    .header('Cache-Control', 'no-store')
    .serializer(JSON.stringify)
    .send({
      type: `${PROBLEM_BASE}${init.code}`,
      title: init.title,
      status: init.status,
      code: init.code,
      ...(init.detail === undefined ? {} : { detail: init.detail }),
    });
}
