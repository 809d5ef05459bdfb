/**
 * Conditional requests (RFC 9110 §13): `If-Match` with strong comparison. A lost race gets
 * 412 carrying the current record in `current`, so the client can merge without a refetch
 * (the RxDB-style "assumed state vs real state" handshake of STYLE.md).
 */
import { z } from 'zod';
import { HttpProblem } from './problem';

export const IfMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .max(500)
    .optional()
    .describe('The ETag the client last saw. Required where the operation says so (else 428).'),
});

export const IfMatchRequired = z.looseObject({
  'if-match': z
    .string()
    .max(500)
    .optional()
    .describe(
      'Required: the ETag the client last saw. Missing → 428; not current → 412 with the ' +
        'current record in the problem body.',
    ),
});

function matches(header: string, etag: string): boolean {
  // Weak validators never match under strong comparison.
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === etag);
}

export function checkIfMatch(
  header: string | undefined,
  etag: string,
  required: boolean,
  current: () => unknown,
): void {
  if (header === undefined) {
    if (!required) return;
    throw new HttpProblem({
      status: 428,
      code: 'precondition-required',
      title: 'Precondition required',
      detail: 'Send If-Match with the ETag of the version you changed.',
    });
  }
  if (!matches(header, etag)) {
    throw new HttpProblem({
      status: 412,
      code: 'precondition-failed',
      title: 'Precondition failed',
      detail: 'The resource changed since you read it; `current` holds the current version.',
      extra: { current: current() },
      headers: { ETag: etag },
    });
  }
}
