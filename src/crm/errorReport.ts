/**
 * SPEC E5: opt-in error reports carry technical fields only, never appointment content. The
 * contract's ErrorReport is closed (unknown fields → 400); this builds it from a SyncError-like
 * value and strips everything from the stack but its frames.
 */
import type { components } from './generated/crm-sync-api';

export type ErrorReportBody = components['schemas']['ErrorReport'];

const TOKEN = /[^A-Za-z0-9_.:/@+-]/g;
const token = (value: string, max: number, fallback: string) =>
  value.replace(TOKEN, '').slice(0, max) || fallback;

/**
 * Only `at …` frames survive: the first line of a stack is the error message, which may quote
 * a subject or an address. Non-printable characters are dropped (contract: printable ASCII).
 */
export function stackFrames(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const frames = stack
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .map((l) => l.replace(/[^\x20-\x7E]/g, '').replace(/\?[^\s):]*/g, '')) // no query strings
    .join('\n');
  return frames === '' ? undefined : frames.slice(0, 8000);
}

export interface ErrorReportInput {
  readonly appVersion: string;
  readonly platform: string;
  /** The error's class name, e.g. SyncError. */
  readonly errorKind: string;
  /** The i18n key the person saw, e.g. errors.offline.message. */
  readonly messageCode: string;
  readonly stack?: string;
  readonly occurredAt?: string;
}

export function buildErrorReport(input: ErrorReportInput): ErrorReportBody {
  const stack = stackFrames(input.stack);
  return {
    appVersion: token(input.appVersion, 32, 'unknown'),
    errorKind: token(input.errorKind, 64, 'Error'),
    messageCode: token(input.messageCode, 100, 'unknown'),
    platform: token(input.platform, 64, 'unknown'),
    ...(stack ? { stack } : {}),
    ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
  };
}
