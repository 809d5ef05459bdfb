/**
 * RFC 9457 problem details: the single error body of the CRM Sync API.
 * Every error the server produces — ours and fastify's own — goes through `HttpProblem`
 * so a client can switch on `code` (or `type`) instead of parsing prose.
 */
import type { FastifyReply } from 'fastify';

/** Problem `type` URIs are identifiers under this base; they need not be dereferenceable. */
export const PROBLEM_BASE = 'https://crm-sync-api.example/problems/';

export interface FieldError {
  /** Where the bad value was: body, query, header or path parameter. */
  in: 'body' | 'query' | 'header' | 'path';
  /** JSON Pointer (RFC 6901) to the value inside that location. */
  path: string;
  message: string;
}

export interface ProblemInit {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** Extension members (RFC 9457 §3.2), e.g. `current` on a 412. */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(readonly init: ProblemInit) {
    super(init.detail ?? init.title);
  }
}

export function problem(
  status: number,
  code: string,
  title: string,
  detail?: string,
  extra?: Record<string, unknown>,
): HttpProblem {
  return new HttpProblem({ status, code, title, detail, extra });
}

/** A problem document as sent (schemas/problem.ts ProblemSchema describes it). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** The RFC 9457 body of a problem about `instance` (a request path, or one item of a bulk call). */
export function problemBody(init: ProblemInit, instance: string): ProblemBody {
  return {
    type: PROBLEM_BASE + init.code,
    title: init.title,
    status: init.status,
    detail: init.detail ?? init.title,
    instance,
    code: init.code,
    ...(init.errors ? { errors: init.errors } : {}),
    ...init.extra,
  };
}

/** Writes the problem as a pre-serialised string so a response schema can never reject it. */
export function sendProblem(reply: FastifyReply, init: ProblemInit): FastifyReply {
  const body = problemBody(init, reply.request.url);
  for (const [name, value] of Object.entries(init.headers ?? {})) reply.header(name, value);
  return reply
    .code(init.status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(body));
}

export const notFound = (what: string): HttpProblem =>
  problem(404, 'not-found', 'Not found', `${what} does not exist or is not visible to you.`);

export const forbidden = (code: string, detail: string): HttpProblem =>
  problem(403, code, 'Forbidden', detail);

export const unprocessable = (code: string, detail: string, errors?: FieldError[]): HttpProblem =>
  new HttpProblem({ status: 422, code, title: 'Unprocessable content', detail, errors });
