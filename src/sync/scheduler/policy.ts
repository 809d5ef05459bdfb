/**
 * What the sync loop does after a run, as a pure decision table: no timers, no clock, the random
 * number is an argument. The loop (../scheduler.ts) only carries the decision out.
 */
import type { RunOutcome } from '../engine/run';

/**
 * The loop's state, shown by the pane as it is (REQUIREMENTS.md, Dexie's sync state):
 * - `stopped`: not started, or stopped (signed out of the add-in, pane setting off).
 * - `idle`: the last run went well; the next regular run is at `nextRunAt`.
 * - `syncing`: a run is under way.
 * - `waiting`: the last run did not finish (another client held the lease, the service failed, the
 *   first sign-in failure); a retry is due at `nextRunAt`, `lastOutcome` says why.
 * - `offline`: the network or the service is unreachable; retrying with backoff.
 * - `throttled`: the service asked us to wait; nothing runs before `nextRunAt`, not even "Sync
 * now". - `signedOut`: sign-in failed repeatedly (SPEC E4); nothing runs until `resume()`.
 * - `braked`: a run would delete a large share (SPEC D3); nothing runs by itself until the person
 *   confirms or dismisses.
 */
export type SchedulerState =
  'stopped' | 'idle' | 'syncing' | 'waiting' | 'offline' | 'throttled' | 'signedOut' | 'braked';

export interface Timing {
  /** SPEC S1: while a pane is open, how often Outlook is polled for changes. */
  readonly pushPollMs: number;
  /** SPEC S2: CRM → Outlook when no pane is open. */
  readonly pullIntervalMs: number;
  /** SPEC S1: a local change runs this long after the first notice (later notices coalesce). */
  readonly debounceMs: number;
  /** Exponential backoff for offline and server failures, from min to max (doubling). */
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
  /** Another client holds the lease: try again soon (it is probably syncing right now). */
  readonly busyRetryMs: number;
  /** SPEC E4 "repeated sign-in failures": this many in a row sign the person out. */
  readonly authFailuresToSignOut: number;
}

export const defaultTiming: Timing = {
  pushPollMs: 5_000, // SPEC S1 "about 5 seconds"
  pullIntervalMs: 300_000, // SPEC S2 "every 5 minutes"
  debounceMs: 1_000,
  backoffMinMs: 5_000,
  backoffMaxMs: 300_000,
  busyRetryMs: 10_000,
  authFailuresToSignOut: 2,
};

/** Failures in a row: all of them (for the backoff) and sign-in ones (SPEC E4). */
export interface Streaks {
  readonly failures: number;
  readonly authFailures: number;
}

export const noStreaks: Streaks = { failures: 0, authFailures: 0 };

/**
 * Which runs wait for the next run's time: `none` (any trigger may run sooner), `automatic`
 * (backoff: polls and local changes wait, "Sync now" does not), `all` (the service named a time).
 */
export type Hold = 'none' | 'automatic' | 'all';

export interface Decision {
  readonly state: SchedulerState;
  readonly streaks: Streaks;
  /** Until the next automatic run; null: none until the person acts. */
  readonly delayMs: number | null;
  readonly hold: Hold;
}

/**
 * The n-th failure in a row waits min·2^(n−1), stretched by up to ×2 with jitter so that clients
 * that failed together do not retry together, and never more than max: 5 s … 5 min by default.
 */
export function backoffMs(failures: number, timing: Timing, random: number): number {
  const raw = timing.backoffMinMs * 2 ** Math.max(0, failures - 1);
  return Math.round(Math.min(timing.backoffMaxMs, raw * (1 + random)));
}

export function decide(
  outcome: RunOutcome,
  streaks: Streaks,
  regularMs: number,
  timing: Timing,
  random: number,
): Decision {
  switch (outcome.state) {
    case 'done':
      return { state: 'idle', streaks: noStreaks, delayMs: regularMs, hold: 'none' };
    case 'braked':
      // SPEC D3: stop and ask; the engine got through, so the failure streaks end here.
      return { state: 'braked', streaks: noStreaks, delayMs: null, hold: 'none' };
    case 'busy': {
      // Someone else is syncing this mailbox: no failure of ours, so the backoff neither grows nor
      // resets; the jitter keeps two clients from colliding again.
      const delayMs = Math.round(timing.busyRetryMs * (1 + random));
      return { state: 'waiting', streaks: { ...streaks, authFailures: 0 }, delayMs, hold: 'none' };
    }
    case 'failed': {
      const { error } = outcome;
      const failures = streaks.failures + 1;
      const authFailures = error.kind === 'auth' ? streaks.authFailures + 1 : 0;
      if (authFailures >= timing.authFailuresToSignOut) {
        // SPEC E4: "repeated sign-in failures stop sync for that person and ask them to sign in".
        return {
          state: 'signedOut',
          streaks: { failures, authFailures },
          delayMs: null,
          hold: 'none',
        };
      }
      // A Retry-After (Graph 429/503, CRM 429) is a floor the service set: every run waits for it.
      const delayMs = Math.max(error.retryAfterMs ?? 0, backoffMs(failures, timing, random));
      const state =
        error.kind === 'offline' ? 'offline' : error.kind === 'throttled' ? 'throttled' : 'waiting';
      const hold = error.retryAfterMs !== undefined || state === 'throttled' ? 'all' : 'automatic';
      return { state, streaks: { failures, authFailures }, delayMs, hold };
    }
  }
}
