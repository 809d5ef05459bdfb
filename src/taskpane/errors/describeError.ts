import type { TFunction } from 'i18next';
import { type ErrorCode, SyncError } from '../../sync/core/errors';

/** What the pane shows for a failure: what happened, and what the person can do (SPEC E3). */
export interface ErrorDescription {
  readonly title: string;
  readonly remedy: string;
}

// Every code has both texts in every language: test/unit/errors/errorTexts.test.ts checks it.
type ErrorKey = `errors.${ErrorCode | 'unknown'}.${'message' | 'remedy'}`;

/**
 * Turns any thrown value into words for the pane. A SyncError reads its texts by code, with its
 * params (e.g. both addresses for mailboxMismatch, SPEC C6). Anything else gets the generic
 * text: a raw error message is for developers and may carry tokens, URLs with keys or PII.
 */
export function describeError(error: unknown, t: TFunction): ErrorDescription {
  // i18next's typings demand per-key interpolation values, which a union of 26 keys cannot
  // satisfy; the values come from SyncError.params.
  const translate = t as unknown as (key: ErrorKey, values?: Record<string, string>) => string;
  if (error instanceof SyncError) {
    const values: Record<string, string> = { ...error.params };
    return {
      title: translate(`errors.${error.code}.message`, values),
      remedy: translate(`errors.${error.code}.remedy`, values),
    };
  }
  return { title: translate('errors.unknown.message'), remedy: translate('errors.unknown.remedy') };
}
