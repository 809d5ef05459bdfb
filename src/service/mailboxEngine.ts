/**
 * One mailbox's engine on the service side, without a loop: a CRM service session, the settings
 * the pane would default to and the mailbox's default calendar, opened once and kept, and one run
 * at a time through the engine's runSync. Two drivers share it (issue 18): the single-process
 * service's MailboxRunner (its SyncScheduler decides when) and the scale-out worker's job handler
 * (src/service/scale: the PostgreSQL job queue decides when).
 *
 * Logs carry the mailbox, counts, states and error codes only: never a token, a key or content.
 */
import { CrmDirectory, type CrmSession } from '../crm';
import { GraphOutlookCalendar } from '../outlook/graphOutlookCalendar';
import type { GraphClient } from '../outlook/graphClient';
import { createEngineDeps } from '../sync/compose';
import { SyncError } from '../sync/core/errors';
import type { Instant } from '../sync/core/model';
import { DEFAULT_DIRECTION, type SyncSettings } from '../sync/core/settings';
import type { EngineDeps } from '../sync/engine/context';
import type { RunLock } from '../sync/engine/lock';
import { runSync, type RunOptions, type RunOutcome } from '../sync/engine/run';
import type { SyncStore } from '../sync/store/syncStore';
import type { RunTrigger, ServiceRunOutcome } from './control';

export interface MailboxEngineDeps {
  readonly mailbox: string;
  /** The CRM user's IANA zone (GET /sync-service/mailboxes). */
  readonly timeZone: string;
  readonly store: SyncStore;
  readonly graph: GraphClient;
  /** Opens a CRM service session for the mailbox (POST /sessions/service). */
  readonly openCrm: () => Promise<CrmSession>;
  readonly holderId: string;
  /** The engine's own run lock (runs are keyed by mailbox). */
  readonly lock: RunLock;
  readonly log: (event: Readonly<Record<string, unknown>>) => void;
  readonly clock?: () => Instant;
}

const isoNow = (): Instant => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A run's outcome as JSON: the error reduced to its code and kind (control.ts). */
export function outcomeJson(outcome: RunOutcome): ServiceRunOutcome {
  switch (outcome.state) {
    case 'done':
      return { state: 'done', counts: outcome.counts, failures: outcome.failures };
    case 'braked':
      return { state: 'braked', asked: outcome.asked };
    case 'busy':
      return { state: 'busy' };
    case 'failed':
      return { state: 'failed', error: { code: outcome.error.code, kind: outcome.error.kind } };
  }
}

/** Counts, states and codes: what a log line may say about a run. */
export function outcomeSummary(outcome: RunOutcome): Record<string, unknown> {
  const json = outcomeJson(outcome);
  if (json.state === 'braked') {
    return { state: 'braked', brakes: json.asked.map((a) => a.brake.kind) };
  }
  return { ...json };
}

export class MailboxEngine {
  private engine: Promise<EngineDeps> | null = null;

  constructor(private readonly deps: MailboxEngineDeps) {}

  get mailbox(): string {
    return this.deps.mailbox;
  }

  get store(): SyncStore {
    return this.deps.store;
  }

  /** One run; never throws (a failure is the outcome), and logs one `run` line. */
  async run(
    trigger: RunTrigger,
    options: RunOptions = {},
    onProgress?: Parameters<typeof runSync>[2],
  ): Promise<RunOutcome> {
    const started = Date.now();
    let outcome: RunOutcome;
    try {
      const deps = await this.engineDeps();
      outcome = await runSync(deps, options, onProgress);
    } catch (error) {
      outcome = {
        state: 'failed',
        error:
          error instanceof SyncError
            ? error
            : new SyncError('serverError', 'The service could not start the run', { cause: error }),
      };
    }
    // A session the CRM ended (unpaired, the service switched off, expired): open a new one next
    // time — and with it read the settings again.
    if (outcome.state === 'failed' && ['auth', 'forbidden'].includes(outcome.error.kind)) {
      this.engine = null;
    }
    this.deps.log({
      event: 'run',
      mailbox: this.deps.mailbox,
      trigger,
      seconds: Number(((Date.now() - started) / 1000).toFixed(3)),
      ...outcomeSummary(outcome),
    });
    return outcome;
  }

  private engineDeps(): Promise<EngineDeps> {
    const engine = (this.engine ??= this.connect());
    engine.catch(() => {
      if (this.engine === engine) this.engine = null;
    });
    return engine;
  }

  /**
   * The engine for the mailbox: a CRM service session, the settings the pane would default to
   * (T3/P1 from the CRM's types, the user's zone, both directions on, contacts off — a person's
   * own Preferences live in their Outlook's roaming settings, which the service cannot read), and
   * the mailbox's default calendar.
   */
  private async connect(): Promise<EngineDeps> {
    const { deps } = this;
    const crmSession = await deps.openCrm();
    const types = await new CrmDirectory(crmSession).activityTypes();
    const defaultType = types.find((t) => !t.personal) ?? null;
    const personalType = types.find((t) => t.personal) ?? null;
    const calendars = await new GraphOutlookCalendar({
      client: deps.graph,
      personZone: deps.timeZone,
    }).listCalendars();
    const calendar = calendars.find((c) => c.isDefault);
    if (!calendar) throw new SyncError('invalidResponse', 'The mailbox has no default calendar');
    const settings: SyncSettings = {
      outlookToCrm: DEFAULT_DIRECTION,
      crmToOutlook: DEFAULT_DIRECTION,
      defaultTypeId: defaultType?.id ?? null,
      personalTypeId: personalType?.id ?? null,
      privateMode: 'full',
      busySubject: 'Busy',
      conflictPolicy: 'newest-wins',
      timeZone: deps.timeZone,
      mailbox: deps.mailbox,
      crmUserId: crmSession.userId,
    };
    return createEngineDeps({
      graph: deps.graph,
      store: deps.store,
      crmSession,
      settings,
      calendarId: calendar.id,
      holderId: deps.holderId,
      lock: deps.lock,
      clock: deps.clock ?? isoNow,
    });
  }
}
