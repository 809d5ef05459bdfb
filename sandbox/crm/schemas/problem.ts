/** The RFC 9457 problem schema published in the contract, and helpers to attach it to routes. */
import { z } from 'zod';

export const FieldErrorSchema = z
  .object({
    in: z.enum(['body', 'query', 'header', 'path']),
    path: z.string().describe('JSON Pointer (RFC 6901) to the offending value, "" for the whole.'),
    message: z.string(),
  })
  .meta({ id: 'FieldError', description: 'One invalid input value.' });

const problemShape = {
  type: z
    .string()
    .describe('A URI that identifies the problem type; ends with `code`. Stable across versions.'),
  title: z.string().describe('A short, human-readable summary of the problem type.'),
  status: z.int().min(400).max(599).describe('The HTTP status code, repeated for convenience.'),
  detail: z.string().describe('A human-readable explanation of this occurrence. Never parse it.'),
  instance: z.string().describe('The request path this problem is about.'),
  code: z
    .string()
    .describe(
      'Machine-readable problem code. Clients switch on it. Among them: `missing-api-key`, ' +
        '`invalid-api-key`, `wrong-api-key-type`, `unauthorized`, `invalid-token`, ' +
        '`token-expired` (refresh the session), `invalid-credentials`, `refresh-token-reused`, ' +
        '`validation-failed`, `malformed-json`, `body-too-large`, `unsupported-media-type`, ' +
        '`not-found`, `route-not-found`, `uri-too-long`, `bad-url`, `not-owner`, ' +
        '`precondition-failed`, ' +
        '`precondition-required`, `idempotency-key-reused`, `cursor-expired`, `invalid-cursor`, ' +
        '`sync-disabled`, `mailbox-mismatch`, `mailbox-paired-elsewhere`, `user-already-paired`, ' +
        '`lease-held`, `rate-limited`, `service-unavailable`, `internal-error`.',
    ),
  errors: z
    .array(FieldErrorSchema)
    .optional()
    .describe('Present on validation problems: one entry per invalid value.'),
};

export const ProblemSchema = z.looseObject(problemShape).meta({
  id: 'Problem',
  description:
    'RFC 9457 problem details (media type `application/problem+json`), the body of every ' +
    'error response. Extension members may appear; specific ones are documented per operation.',
});

/** A problem body with a typed `current` member: the server's state after a lost race. */
export function problemWithCurrent<T extends z.ZodType>(current: T, id: string, what: string) {
  return z
    .looseObject({ ...problemShape, current: current.describe(what) })
    .meta({ id, description: `A problem whose \`current\` member holds ${what}.` });
}

export const MailboxMismatchProblemSchema = z
  .looseObject({
    ...problemShape,
    mailbox: z.string().describe('The mailbox address that was offered.'),
    userEmails: z
      .array(z.string())
      .describe("The CRM user's e-mail address followed by its aliases (SPEC C6)."),
  })
  .meta({
    id: 'MailboxMismatchProblem',
    description: 'The mailbox is neither the CRM user e-mail nor an alias; names both (SPEC C6).',
  });
