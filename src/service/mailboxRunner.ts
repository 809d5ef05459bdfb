/**
 * One mailbox on the always-on service (issue 17, item 1): its store, its Graph client, its CRM
 * service session and its run loop — the pane's SyncScheduler, unchanged: never two runs at once,
 * a trigger during a run queues exactly one follow-up, bursts coalesce, failures back off, the
 * brake holds regular runs until the person answers, and with no pane open a run at least every
 * pullIntervalMs (SPEC S2: 5 minutes — the safety poll). The engine's own run lock and the CRM
 * lease stand behind it, so a pane that still runs cannot overlap the service either.
 *
 * Logs carry the mailbox, counts, states and error codes only: never a token, a key or content.
 */
import { Temporal } from 'temporal-polyfill';
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
import { SyncScheduler, type Timing } from '../sync/scheduler';
import type { SyncStore } from '../sync/store/syncStore';
import type { RunTrigger, ServiceMailboxStatus, ServiceRunOutcome } from './control';

export interface MailboxRunnerDeps {
  readonly mailbox: string;
  /** The CRM user's IANA zone (GET /sync-service/mailboxes). */
  readonly timeZone: string;
  readonly store: SyncStore;
  readonly graph: GraphClient;
  /** Opens a CRM service session for the mailbox (POST /sessions/service). */
  readonly openCrm: () => Promise<CrmSession>;
  readonly holderId: string;
  /** Shared by every mailbox of the process; runs are keyed by mailbox. */
  readonly lock: RunLock;
  readonly timing?: Partial<Timing>;
  readonly log: (event: Readonly<Record<string, unknown>>) => void;
  readonly clock?: () => Instant;
}

const isoNow = (): Instant => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Milliseconds from `now` to the next midnight in `zone` (the sync windows roll over then). */
export function msUntilMidnightIn(zone: string, now: number): number {
  const here = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(zone);
  const next = here.toPlainDate().add({ days: 1 }).toZonedDateTime({ timeZone: zone });
  return Math.max(1, next.epochMilliseconds - now);
}

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

export class MailboxRunner {
  readonly scheduler: SyncScheduler;
  private engine: Promise<EngineDeps> | null = null;
  private lastTrigger: RunTrigger | null = null;
  private nextTrigger: RunTrigger = 'start';
  /** Runs finished (any outcome): tests wait on it instead of sleeping. */
  runs = 0;

  constructor(private readonly deps: MailboxRunnerDeps) {
    this.scheduler = new SyncScheduler(
      { run: (options, onProgress) => this.run(options, onProgress) },
      {
        ...deps.timing,
        msUntilMidnight: (now) => msUntilMidnightIn(deps.timeZone, now),
      },
    );
  }

  get mailbox(): string {
    return this.deps.mailbox;
  }

  start(): void {
    this.nextTrigger = 'start';
    this.scheduler.start();
  }

  stop(): void {
    this.scheduler.stop();
  }

  /**
   * A signal that the mailbox changed (a Graph notification, the CRM's change signal): a run
   * soon — bursts coalesce (debounce), a run under way is followed by exactly one more.
   */
  changed(trigger: RunTrigger): void {
    this.nextTrigger = trigger;
    this.scheduler.notifyLocalChange();
  }

  /** SPEC S3 "Sync now" (and a catch-up after a gap in notifications: `resync`). */
  syncNow(trigger: RunTrigger = 'syncNow'): void {
    this.nextTrigger = trigger;
    this.scheduler.syncNow();
  }

  confirmBrake(): void {
    this.nextTrigger = 'brakeConfirmed';
    this.scheduler.confirmMassDelete();
  }

  dismissBrake(): void {
    this.scheduler.dismissBrake();
  }

  status(): ServiceMailboxStatus {
    const snap = this.scheduler.getSnapshot();
    const outcome = snap.lastOutcome;
    const state =
      snap.state === 'syncing'
        ? 'syncing'
        : snap.state === 'braked'
          ? 'braked'
          : outcome?.state === 'failed'
            ? 'failing'
            : 'idle';
    const at = (ms: number | null) =>
      ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      mailboxId: this.deps.mailbox,
      state,
      lastSyncAt: at(snap.lastSyncAt),
      nextRunAt: at(snap.nextRunAt),
      lastOutcome: outcome === null ? null : outcomeJson(outcome),
      lastTrigger: this.lastTrigger,
    };
  }

  private async run(
    options: RunOptions,
    onProgress: Parameters<typeof runSync>[2],
  ): Promise<RunOutcome> {
    this.lastTrigger = this.nextTrigger;
    // What follows a run unasked is the safety poll, unless a signal names itself first.
    this.nextTrigger = 'poll';
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
    this.runs += 1;
    this.deps.log({
      event: 'run',
      mailbox: this.deps.mailbox,
      trigger: this.lastTrigger,
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

/** Counts, states and codes: what a log line may say about a run. */
function outcomeSummary(outcome: RunOutcome): Record<string, unknown> {
  const json = outcomeJson(outcome);
  if (json.state === 'braked') {
    return { state: 'braked', brakes: json.asked.map((a) => a.brake.kind) };
  }
  return { ...json };
}
