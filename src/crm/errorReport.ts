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

/** Where reports go: CrmDirectory.sendErrorReport (POST /error-reports). */
export interface ErrorReportSink {
  sendErrorReport(input: ErrorReportInput): Promise<string>;
}

/** What a run ended with, as far as a report needs it (engine/run.ts RunOutcome). */
export interface ReportableOutcome {
  readonly state: string;
  /** A failed run's error: its class name, i18n code and stack are all a report takes. */
  readonly error?: { readonly name: string; readonly code: string; readonly stack?: string };
  /** The codes of the items that failed in a run that went on (set aside at the third). */
  readonly failureCodes?: readonly string[];
}

export interface ErrorReporterOptions {
  readonly sink: ErrorReportSink;
  /** SPEC E5: read at every report, so switching it off in Preferences stops the next one. */
  readonly optedIn: () => boolean;
  readonly appVersion: string;
  readonly platform: string;
  /** Epoch ms. */
  readonly now: () => number;
  /** One report per code at most this often (default one hour): a failure that repeats every
   * run is one report, not one every five minutes. */
  readonly quietMs?: number;
  /** Reports per run at most (default 5). */
  readonly maxPerRun?: number;
}

/**
 * SPEC E5: sends the failures of a run (a run error, the codes of the items it set aside or
 * could not write) as error reports when the person opted in. A report holds the error's class
 * name, its i18n code, stack frames, the add-in version and the platform — never an item's
 * subject, body, names, addresses or a token (buildErrorReport). Sending never fails a run: a
 * report that cannot be sent is dropped.
 */
export class ErrorReporter {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly opts: ErrorReporterOptions) {}

  /** The reports this outcome makes (sent or not), for the tests and the log. */
  async reportRun(outcome: ReportableOutcome): Promise<number> {
    if (!this.opts.optedIn()) return 0;
    const occurredAt = new Date(this.opts.now()).toISOString();
    const reports: Pick<ErrorReportInput, 'errorKind' | 'messageCode' | 'stack'>[] = [];
    if (outcome.state === 'failed' && outcome.error) {
      reports.push({
        errorKind: outcome.error.name,
        messageCode: `errors.${outcome.error.code}.message`,
        ...(outcome.error.stack === undefined ? {} : { stack: outcome.error.stack }),
      });
    }
    for (const code of new Set(outcome.failureCodes ?? [])) {
      reports.push({ errorKind: 'ItemSetAside', messageCode: `errors.${code}.message` });
    }
    let sent = 0;
    for (const report of reports.slice(0, this.opts.maxPerRun ?? 5)) {
      const key = `${report.errorKind}:${report.messageCode}`;
      const last = this.lastSent.get(key);
      if (last !== undefined && this.opts.now() - last < (this.opts.quietMs ?? 3_600_000)) continue;
      this.lastSent.set(key, this.opts.now());
      try {
        await this.opts.sink.sendErrorReport({
          ...report,
          appVersion: this.opts.appVersion,
          platform: this.opts.platform,
          occurredAt,
        });
        sent += 1;
      } catch {
        // A report is a courtesy: offline, throttled or refused, the run is not its concern.
      }
    }
    return sent;
  }
}

/**
 * Wraps a run function so that every outcome goes to the reporter after the run (not awaited by
 * the caller: the scheduler gets its outcome at once).
 */
export function withErrorReports<A extends unknown[], O extends ReportableOutcome>(
  run: (...args: A) => Promise<O>,
  reporter: Pick<ErrorReporter, 'reportRun'>,
): (...args: A) => Promise<O> {
  return async (...args) => {
    const outcome = await run(...args);
    void reporter.reportRun(outcome).catch(() => undefined);
    return outcome;
  };
}
