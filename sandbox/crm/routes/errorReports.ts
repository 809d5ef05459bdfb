/**
 * POST /error-reports (SPEC E5): opt-in reports without appointment content. The schema is
 * closed and has only technical fields, so no subject, attendee or body can slip in.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CrmContext } from '../context';
import { SECURITY, userOf } from '../http/auth';
import { BODY_ERRORS, errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';

const Token = (max: number, what: string) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.:/@+-]+$/)
    .describe(`${what}: letters, digits and _ . : / @ + - only; at most ${max} characters.`);

export const ErrorReportSchema = z
  .strictObject({
    appVersion: Token(32, 'Add-in version, e.g. 1.4.2'),
    errorKind: Token(64, 'Error class name, e.g. GraphThrottled'),
    messageCode: Token(100, 'The i18n key of the message the user saw, e.g. sync.error.network'),
    platform: Token(64, 'Office host and platform, e.g. OutlookWebApp or PC/16.0.17628'),
    stack: z
      .string()
      .max(8000)
      .regex(/^[\x20-\x7E\n]*$/, 'must be printable ASCII lines')
      .optional()
      .describe(
        'The stack trace: printable ASCII lines only. Clients must strip messages that may ' +
          'hold user content and send only frames.',
      ),
    occurredAt: z.iso.datetime({ offset: true }).optional().describe('When the error happened.'),
  })
  .meta({
    id: 'ErrorReport',
    description: 'A technical error report. Never contains appointment or contact content.',
  });

export function errorReportRoutes(app: ZodApp, ctx: CrmContext): void {
  app.post('/error-reports', {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['error-reports'],
      security: SECURITY.user,
      operationId: 'sendErrorReport',
      summary: 'Send an error report (opt-in)',
      description:
        'Stores a technical error report for the developers, sent only when the user opted in ' +
        '(SPEC E5). Unknown fields are rejected, so free-form content cannot be attached.',
      body: ErrorReportSchema,
      response: {
        202: json(z.object({ id: z.string() }), 'Accepted.'),
        ...errors(...BODY_ERRORS),
      },
    },
    handler: async (request, reply) => {
      const { companyId, userId } = userOf(request);
      const id = `err_${randomUUID()}`;
      ctx.db
        .prepare('INSERT INTO error_reports VALUES (?, ?, ?, ?, ?)')
        .run(id, companyId, userId, ctx.clock.now(), JSON.stringify(request.body));
      return reply.code(202).send({ id });
    },
  });
}
