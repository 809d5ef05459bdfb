/**
 * The sync loop: decides when runs happen (issue 4). One object, behind a delegate, tested with
 * fake timers against an exact log of what ran when (REQUIREMENTS.md, Replicache's connection
 * loop). No DOM and no Office: the caller wires the triggers (pane open → setActive, item changed →
 * notifyLocalChange, buttons → syncNow …). The decision after each run is ./scheduler/policy.ts.
 *
 * Rules: never two runs at once; a trigger during a run queues exactly one follow-up; only one
 * wake-up timer (plus the midnight one) is ever armed, and stop() clears both.
 */
import { SyncError } from './core/errors';
import { confirmationOf } from './core/plan/brake';
import type { PlainDate } from './core/model';
import type { RunOptions, RunOutcome } from './engine/run';
import {
  decide,
  defaultTiming,
  noStreaks,
  type Hold,
  type Streaks,
  type Timing,
} from './scheduler/policy';
import { mergeRunOptions } from './scheduler/mergeRunOptions';
import type {
  SchedulerDelegate,
  SchedulerOptions,
  SchedulerSnapshot,
  TimerHandle,
} from './scheduler/types';

export { backoffMs, defaultTiming, type SchedulerState, type Timing } from './scheduler/policy';
export type { SchedulerDelegate, SchedulerOptions, SchedulerSnapshot } from './scheduler/types';

interface Wake {
  readonly at: number;
  readonly handle: TimerHandle;
  options: RunOptions;
}

export class SyncScheduler {
  private snapshot: SchedulerSnapshot = {
    state: 'stopped',
    active: false,
    lastSyncAt: null,
    nextRunAt: null,
    lastOutcome: null,
    progress: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly timing: Timing;
  private started = false;
  private running = false;
  private wake: Wake | null = null;
  private midnight: TimerHandle | null = null;
  private queued: { options: RunOptions; manual: boolean } | null = null;
  private block: 'signedOut' | 'braked' | null = null;
  private streaks: Streaks = noStreaks;
  private hold: Hold = 'none';
  private notBefore = 0;

  constructor(
    private readonly delegate: SchedulerDelegate,
    private readonly options: SchedulerOptions,
  ) {
    this.timing = { ...defaultTiming, ...withoutUndefined(options) };
  }

  getSnapshot = (): SchedulerSnapshot => this.snapshot;

  /** For the pane (useSyncExternalStore): called after every change of the snapshot. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** SPEC S5: sync starts by itself (after sign-in), so the first run is at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    // A fresh start (e.g. after signing in again) forgets what the last session was waiting for.
    this.block = null;
    this.streaks = noStreaks;
    this.hold = 'none';
    this.armMidnight();
    this.set({ state: 'idle' });
    this.trigger({}, true, 0);
  }

  /** Clears every timer; a run under way finishes, but nothing follows it. */
  stop(): void {
    this.started = false;
    this.clearWake();
    if (this.midnight !== null) this.clearTimer(this.midnight);
    this.midnight = null;
    this.queued = null;
    this.set({ state: 'stopped', nextRunAt: null });
  }

  /** SPEC S1: while a pane is open, poll every pushPollMs; otherwise pull every pullIntervalMs. */
  setActive(active: boolean): void {
    if (active === this.snapshot.active) return;
    this.set({ active });
    // Closing needs nothing: the next poll runs and then the pull interval applies.
    if (active && !this.running) this.trigger({}, false, this.timing.pushPollMs);
  }

  /** SPEC S1: an item changed (launch event, or the pane saw it); bursts coalesce into one run. */
  notifyLocalChange(): void {
    this.trigger({}, false, this.timing.debounceMs);
  }

  /** The network is back (the caller wires `online`): end an offline backoff at once. */
  notifyOnline(): void {
    if (this.snapshot.state === 'offline' && this.hold !== 'all') this.trigger({}, true, 0);
  }

  /** SPEC S3 "Sync now": at once, or right after the run under way. */
  syncNow(): void {
    this.trigger({}, true, 0);
  }

  /** SPEC S3 "Full sync now": read everything again and relink. */
  fullSyncNow(): void {
    this.trigger({ full: true }, true, 0);
  }

  /** SPEC S3 "sync again from date …": a full sync whose history windows start on `date`. */
  syncFrom(date: PlainDate): void {
    this.trigger({ full: true, from: date }, true, 0);
  }

  /**
   * SPEC D3: the person confirmed the deletions the brake asked about: one run with the
   * confirmation. Its follow-ups carry none, so a new mass deletion asks again.
   */
  confirmMassDelete(): void {
    if (this.block !== 'braked') return; // a stale button must not confirm anything
    this.block = null;
    // Issue 14, item 4; issue 15, item 2: the confirmation allows what the question showed —
    // each brake's kind, items and (side-empty) side — and nothing else; never a blanket true.
    const shown = this.snapshot.lastOutcome;
    const brakes = shown?.state === 'braked' ? shown.asked.map((asked) => asked.brake) : [];
    this.trigger({ massDeleteConfirmed: confirmationOf(brakes) }, true, 0);
  }

  /** SPEC D3: not now; automatic runs resume (and will ask again if the deletions remain). */
  dismissBrake(): void {
    if (this.block !== 'braked') return;
    this.block = null;
    this.set({ state: 'idle' });
    this.trigger({}, false, this.regularMs());
  }

  /** SPEC E4: the person signed in again after the loop signed them out. */
  resume(): void {
    if (this.block !== 'signedOut') return;
    this.block = null;
    this.streaks = noStreaks;
    this.hold = 'none';
    this.set({ state: 'idle' });
    this.trigger({}, true, 0);
  }

  private trigger(options: RunOptions, manual: boolean, delayMs: number): void {
    if (!this.started || this.block === 'signedOut') return;
    if (this.block === 'braked' && !manual) return;
    if (this.running) {
      this.queued = {
        options: mergeRunOptions(this.queued?.options, options),
        manual: manual || this.queued?.manual === true,
      };
      return;
    }
    const now = this.now();
    const waits = this.hold === 'all' || (this.hold === 'automatic' && !manual);
    this.arm(Math.max(now + delayMs, waits ? this.notBefore : now), options);
  }

  /** Moves the one wake-up earlier if need be; what it runs gathers every request's options. */
  private arm(at: number, options: RunOptions): void {
    const merged = mergeRunOptions(this.wake?.options, options);
    const now = this.now();
    if (at <= now) return this.begin(merged);
    if (this.wake !== null && this.wake.at <= at) {
      this.wake.options = merged;
      return;
    }
    this.clearWake();
    const handle = (this.delegate.setTimeout ?? setTimeout)(() => {
      const wake = this.wake;
      this.wake = null;
      if (wake !== null) this.begin(wake.options);
    }, at - now);
    this.wake = { at, handle, options: merged };
    this.set({ nextRunAt: at });
  }

  private begin(options: RunOptions): void {
    this.clearWake();
    this.running = true;
    this.set({ state: 'syncing', nextRunAt: null, progress: null });
    void this.execute(options);
  }

  private async execute(options: RunOptions): Promise<void> {
    let outcome: RunOutcome;
    try {
      outcome = await this.delegate.run(options, (progress) => {
        if (this.running) this.set({ progress });
      });
    } catch (cause) {
      const error = new SyncError('serverError', 'The sync run threw', { cause });
      outcome = { state: 'failed', error };
    }
    this.running = false;
    this.finish(outcome);
  }

  private finish(outcome: RunOutcome): void {
    const now = this.now();
    const lastSyncAt = outcome.state === 'done' ? now : this.snapshot.lastSyncAt;
    if (!this.started) return this.set({ lastOutcome: outcome, lastSyncAt, progress: null });
    const decision = decide(outcome, this.streaks, this.regularMs(), this.timing, this.random());
    this.streaks = decision.streaks;
    this.hold = decision.hold;
    this.notBefore = decision.delayMs === null ? 0 : now + decision.delayMs;
    this.block =
      decision.state === 'signedOut' || decision.state === 'braked' ? decision.state : null;
    this.set({ state: decision.state, lastOutcome: outcome, lastSyncAt, progress: null });
    // A request made during a run that ended in a brake or sign-out was made before the person
    // saw it: the brake or the sign-in comes first (a confirmation of the brake still counts).
    const asked = this.queued?.options.massDeleteConfirmed;
    const confirms = this.block === 'braked' && asked !== undefined && asked !== false;
    const queued = this.block === null || confirms ? this.queued : null;
    this.queued = null;
    if (decision.delayMs !== null) this.arm(now + decision.delayMs, {});
    if (queued !== null) this.trigger(queued.options, queued.manual, 0);
  }

  private armMidnight(): void {
    // At least 1 ms: a function that answers 0 at midnight itself must not spin.
    const ms = Math.max(1, this.options.msUntilMidnight(this.now()));
    this.midnight = (this.delegate.setTimeout ?? setTimeout)(() => {
      this.midnight = null;
      this.armMidnight();
      this.trigger({}, false, 0); // the windows moved (SPEC W3): read the new day
    }, ms);
  }

  private regularMs(): number {
    return this.snapshot.active ? this.timing.pushPollMs : this.timing.pullIntervalMs;
  }

  private clearWake(): void {
    if (this.wake !== null) this.clearTimer(this.wake.handle);
    this.wake = null;
  }

  private clearTimer(handle: TimerHandle): void {
    (this.delegate.clearTimeout ?? clearTimeout)(handle);
  }

  private now(): number {
    return this.delegate.now?.() ?? Date.now();
  }

  private random(): number {
    return this.delegate.random?.() ?? Math.random();
  }

  private set(patch: Partial<SchedulerSnapshot>): void {
    const keys = Object.keys(patch) as (keyof SchedulerSnapshot)[];
    if (keys.every((key) => patch[key] === this.snapshot[key])) return;
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}

function withoutUndefined(options: SchedulerOptions): Partial<Timing> {
  const timing: Partial<Record<keyof Timing, number>> = {};
  for (const key of Object.keys(defaultTiming) as (keyof Timing)[]) {
    const value = options[key];
    if (value !== undefined) timing[key] = value;
  }
  return timing;
}
