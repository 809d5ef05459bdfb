/**
 * One mailbox on the always-on service (issue 17, item 1): its store, its Graph client, its CRM
 * service session and its run loop — the pane's SyncScheduler, unchanged: never two runs at once,
 * a trigger during a run queues exactly one follow-up, bursts coalesce, failures back off, the
 * brake holds regular runs until the person answers, and with no pane open a run at least every
 * pullIntervalMs (SPEC S2: 5 minutes — the safety poll). The engine's own run lock and the CRM
 * lease stand behind it, so a pane that still runs cannot overlap the service either.
 *
 * The engine itself (session, settings, calendar, one run) is ./mailboxEngine.ts, which the
 * scale-out worker's job handler (src/service/scale) drives too.
 */
import { Temporal } from 'temporal-polyfill';
import type { runSync, RunOptions, RunOutcome } from '../sync/engine/run';
import { SyncScheduler, type Timing } from '../sync/scheduler';
import type { RunTrigger, ServiceMailboxStatus } from './control';
import { MailboxEngine, type MailboxEngineDeps, outcomeJson } from './mailboxEngine';

export { outcomeJson } from './mailboxEngine';

export interface MailboxRunnerDeps extends MailboxEngineDeps {
  readonly timing?: Partial<Timing>;
}

/** Milliseconds from `now` to the next midnight in `zone` (the sync windows roll over then). */
export function msUntilMidnightIn(zone: string, now: number): number {
  const here = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(zone);
  const next = here.toPlainDate().add({ days: 1 }).toZonedDateTime({ timeZone: zone });
  return Math.max(1, next.epochMilliseconds - now);
}

export class MailboxRunner {
  readonly scheduler: SyncScheduler;
  private readonly engine: MailboxEngine;
  private lastTrigger: RunTrigger | null = null;
  private nextTrigger: RunTrigger = 'start';
  /** Runs finished (any outcome): tests wait on it instead of sleeping. */
  runs = 0;

  constructor(private readonly deps: MailboxRunnerDeps) {
    this.engine = new MailboxEngine(deps);
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
    const outcome = await this.engine.run(this.lastTrigger, options, onProgress);
    this.runs += 1;
    return outcome;
  }
}
