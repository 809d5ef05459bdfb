import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * An error answered in Graph's documented error shape
 * (https://learn.microsoft.com/graph/errors):
 * `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`.
 */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function errorBody(
  code: string,
  message: string,
  nowMs: number,
  clientRequestId?: string,
): GraphErrorBody {
  const requestId = randomUUID();
  return {
    error: {
      code,
      message,
      innerError: {
        // Graph writes the date without fraction or offset, e.g. "2024-04-24T17:18:02".
        date: new Date(nowMs).toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}

export function sendGraphError(
  reply: FastifyReply,
  err: GraphError,
  nowMs: number,
  clientRequestId?: string,
): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
  return reply
    .code(err.status)
    .type('application/json')
    .send(errorBody(err.code, err.message, nowMs, clientRequestId));
}

export const notFound = (): GraphError =>
  new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export const badRequest = (message: string, code = 'BadRequest'): GraphError =>
  new GraphError(400, code, message);

/** Graph's all-purpose answer for a semantically invalid event (all-day times, recurrence, …). */
export const validationFailure = (detail: string): GraphError =>
  new GraphError(
    400,
    'ErrorPropertyValidationFailure',
    `At least one property failed validation. ${detail}`,
  );
