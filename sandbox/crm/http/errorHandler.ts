/**
 * Maps every error — ours, zod validation, fastify's body parser, unknown routes — to one
 * RFC 9457 problem body, so clients need exactly one error decoder.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { type FieldError, HttpProblem, type ProblemInit, sendProblem } from './problem';

const LOCATIONS: Record<string, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  headers: 'header',
  params: 'path',
};

export function fromFastifyError(err: FastifyError): ProblemInit {
  if (err instanceof HttpProblem) return err.init;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = LOCATIONS[err.validationContext ?? 'body'] ?? 'body';
    const errors: FieldError[] = err.validation.map((v) => ({
      in: where,
      path: v.instancePath === '/' ? '' : v.instancePath,
      message: v.message ?? 'is invalid',
    }));
    return {
      status: 400,
      code: 'validation-failed',
      title: 'Invalid request',
      detail:
        `The request ${where} is invalid: ${errors.map((e) => `${e.path || '(root)'} ${e.message}`).join('; ')}`.slice(
          0,
          1000,
        ),
      errors,
    };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'body-too-large',
        title: 'Content too large',
        detail: err.message,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'unsupported-media-type',
        title: 'Unsupported media type',
        detail: 'Send the body as application/json.',
      };
    // Fastify's router refuses these before any route (frameworkErrors below): the detail names
    // no part of the URL, which is the caller's and may be anything.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        status: 414,
        code: 'uri-too-long',
        title: 'URI too long',
        detail: 'A path parameter is longer than any id this API issues.',
      };
    case 'FST_ERR_BAD_URL':
      return {
        status: 400,
        code: 'bad-url',
        title: 'Bad request',
        detail: 'The URL is not valid.',
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'malformed-json', title: 'Malformed JSON', detail: err.message };
  }
  if (err instanceof SyntaxError) {
    return { status: 400, code: 'malformed-json', title: 'Malformed JSON', detail: err.message };
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, code: 'bad-request', title: 'Bad request', detail: err.message };
  }
  return {
    status: 500,
    code: 'internal-error',
    title: 'Internal server error',
    detail: 'An unexpected error occurred.',
  };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const init = fromFastifyError(err);
    if (init.status >= 500 || isResponseSerializationError(err)) {
      request.log.error({ err }, 'request failed');
    }
    return sendProblem(reply, init);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      status: 404,
      code: 'route-not-found',
      title: 'Not found',
      detail: `No operation ${request.method} ${request.url.split('?')[0] ?? ''}.`,
    }),
  );
}
