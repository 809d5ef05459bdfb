/** What the sync loop (../scheduler.ts) is given and what it shows. */
import type { ProgressListener, RunOptions, RunOutcome, RunProgress } from '../engine/run';
import type { SchedulerState, Timing } from './policy';

export type TimerHandle = ReturnType<typeof setTimeout>;

export interface SchedulerDelegate {
  /**
   * One sync run (runSync bound to its deps). It should not throw; if it does: a server failure.
   * `onProgress` (optional to call) feeds the snapshot's `progress`.
   */
  run(options: RunOptions, onProgress: ProgressListener): Promise<RunOutcome>;
  now?(): number;
  setTimeout?(callback: () => void, ms: number): TimerHandle;
  clearTimeout?(handle: TimerHandle): void;
  /** In [0, 1), for the jitter. */
  random?(): number;
}

export interface SchedulerOptions extends Partial<Timing> {
  /**
   * Milliseconds from `now` to the next local midnight (strictly after `now`) in the person's zone:
   * the sync windows roll over then, so a run is due (the loop itself knows no time zones).
   */
  readonly msUntilMidnight: (now: number) => number;
}

export interface SchedulerSnapshot {
  readonly state: SchedulerState;
  /** A pane is open (SPEC S1 "real time while both are open"). */
  readonly active: boolean;
  /** SPEC S4: when the last run finished well (epoch ms). */
  readonly lastSyncAt: number | null;
  readonly nextRunAt: number | null;
  readonly lastOutcome: RunOutcome | null;
  /** While `syncing`: how far the run is, as far as it said (SPEC S4); null otherwise. */
  readonly progress: RunProgress | null;
}
