/**
 * One sync run: lock → lease → replay the outbox → per item kind (engine/kind.ts): gather → plan
 * → apply → record (docs/ARCHITECTURE.md).
 * One failing item does not stop the run (it is counted, and set aside after three runs — SPEC
 * E4); a failure of the whole side (sign-in, throttling, offline) ends the run for a later retry.
 */
import { SyncError } from '../core/errors';
import type { PlainDate } from '../core/model';
import type { HeldItem, MassDeleteConfirmation } from '../core/plan/brake';
import type { Brake } from '../core/plan/types';
import { isBrokenStore } from '../store/brokenStore';
import { BRAKE_WINDOW_HOURS, PRUNE_EVERY_RUNS } from '../store/retention';
import type { RunRow } from '../store/rows';
import type { EngineDeps } from './context';
import { applyPlan, holdBack } from './kind';
import { replayOutbox } from './outbox';
import { lazyLease, LeaseHeld } from './lease';
import { applyRestores } from './restore';
import { destructiveOf, hoursBefore, kindsOf, settingsFrom } from './runKinds';
import { markWriting, writesConfirmed, writesWereCut } from './unconfirmedWrites';

export type RunOutcome =
  | {
      readonly state: 'done';
      readonly counts: RunRow['counts'];
      readonly failures: number;
      /** The error codes of the items that failed (SPEC E5 reports them; never content). */
      readonly failureCodes?: readonly string[];
    }
  | {
      readonly state: 'braked';
      /** The first kind's brake (the calendar's when it braked). */
      readonly brake: Brake;
      /** SPEC D3: every kind's brake of this run with the items it holds — one question for all. */
      readonly asked: readonly AskedBrake[];
    }
  | { readonly state: 'busy' } // another run (this client or another) holds the lock or lease
  | { readonly state: 'failed'; readonly error: SyncError };

/** One kind's brake as the person is asked it: the brake and the items it holds. */
export interface AskedBrake {
  readonly brake: Brake;
  readonly items: readonly HeldItem[];
}

export interface RunOptions {
  /** SPEC S3 "Full sync now": read everything again and relink. */
  readonly full?: boolean;
  /**
   * SPEC D3: the person confirmed what a braked run asked about — each brake's kind, the items it
   * showed (Brake.ids) and, for a side-empty brake, its side (confirmationOf); `true` allows
   * everything (issue 14, item 4; issue 15, item 2: a confirmation is bound to what was shown).
   */
  readonly massDeleteConfirmed?: MassDeleteConfirmation;
  readonly typeChoices?: Readonly<Record<string, string>>;
  /**
   * SPEC S3 "sync again from date …": with `full`, this run's history windows start on this day
   * (in the person's zone) when that is earlier than the settings' own; later runs use the
   * settings again, and leaving the window is no deletion (W3).
   */
  readonly from?: PlainDate;
}

/** SPEC S4: how far a run is, for the pane's progress bar. */
export type RunProgress =
  | { readonly phase: 'reading' }
  | {
      readonly phase: 'writing';
      readonly done: number;
      readonly total: number;
      /**
       * Issue 16 item 4: seconds still to go at the pace of this run's writes so far (the
       * pacer's waits for Graph's budget included), or null before there is a pace to go by.
       */
      readonly etaSeconds?: number | null;
    };

/**
 * The seconds left for `total - done` writes at the pace of the `done` ones that took
 * `elapsedMs`; null until a second has passed and something was written.
 */
export function estimateSeconds(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs < 1_000 || total <= done) return total <= done ? 0 : null;
  return Math.ceil(((total - done) * elapsedMs) / done / 1_000);
}

export { settingsFrom };

export type ProgressListener = (progress: RunProgress) => void;

/**
 * Issue 14: the longest a run may take. Every request is bounded (timeouts, retries, Retry-After,
 * pages), but a huge plan on a slow service could still hold the lock for hours; past this the
 * run ends between two operations (its cursors not moved, so the next run goes on from there).
 */
export const RUN_DEADLINE_MS = 15 * 60_000;

/**
 * Errors that are about the whole side, not one item: stop the run. Anything else that goes wrong
 * while one item is handled is that item's (issue 14: a RangeError, a converter's overflow):
 * it is set aside and the run goes on (engine/kind.ts).
 */
export function stopsTheRun(error: unknown): boolean {
  // A store that is full, damaged or of another version is no item's fault: the run stops and
  // runSync rebuilds the store (issue 14, item 5).
  if (isBrokenStore(error)) return true;
  return (
    error instanceof SyncError && ['auth', 'throttled', 'offline', 'server'].includes(error.kind)
  );
}

async function syncOnce(
  baseDeps: EngineDeps,
  options: RunOptions,
  lease: { ensure(): Promise<void> },
  onProgress: ProgressListener,
): Promise<RunOutcome> {
  const { store } = baseDeps;
  const run: RunRow = { startedAt: baseDeps.clock(), state: 'running', counts: {}, failures: [] };
  const deps: EngineDeps =
    options.from === undefined
      ? baseDeps
      : { ...baseDeps, settings: settingsFrom(baseDeps.settings, options.from, run.startedAt) };
  run.id = await store.startRun(run);
  onProgress({ phase: 'reading' });
  const deadlineAt = Date.parse(run.startedAt) + (deps.runDeadlineMs ?? RUN_DEADLINE_MS);
  const checkDeadline = () => {
    if (Date.parse(deps.clock()) > deadlineAt) {
      throw new SyncError('runTimedOut', 'The run passed its deadline and was ended');
    }
  };
  const scope = {
    store,
    clock: deps.clock,
    run,
    ensureLease: () => lease.ensure(),
    stopsTheRun,
    checkDeadline,
  };
  try {
    // Issue 14, item 4: the brake's sliding window — what the runs of the last day deleted or
    // overwrote since the person last confirmed one.
    const since = hoursBefore(run.startedAt, BRAKE_WINDOW_HOURS);
    // A run that stopped mid-write left cursors older than its writes: this one lists in full.
    const cut = await writesWereCut(store);
    const kindOptions = cut ? { ...options, full: true } : options;
    const kinds = kindsOf(deps, kindOptions, run.startedAt, await store.destructiveSince(since));
    const restores = (await store.requestedRestores()).length;
    let writing = false;
    let heldWhole = false; // a side-empty brake kept a kind's cursors where they were
    const beforeWrites = async () => {
      if (!writing) await markWriting(store, run.startedAt);
      writing = true;
    };
    if ((await store.intentCount()) > 0 || restores > 0) {
      await lease.ensure();
      await beforeWrites();
    }
    await replayOutbox(kinds, scope);
    if (restores > 0) run.failures.push(...(await applyRestores(deps, stopsTheRun)));
    const asked: AskedBrake[] = [];
    for (const [index, kind] of kinds.entries()) {
      checkDeadline();
      const planned = await kind.plan();
      // SPEC S4: the progress bar follows the calendar's writes, the first and largest kind.
      const writingFrom = Date.parse(deps.clock());
      const progress =
        index === 0
          ? (done: number, total: number) => {
              const elapsed = Date.parse(deps.clock()) - writingFrom;
              const etaSeconds = estimateSeconds(done, total, elapsed);
              onProgress({ phase: 'writing', done, total, etaSeconds });
            }
          : undefined;
      run.failures.push(...(planned.failures ?? []));
      if (planned.operations.length > 0) await beforeWrites();
      await applyPlan(kind, planned.operations, scope, progress);
      // Issue 15, item 2: a brake holds what it asks about, no more — the other kinds still sync,
      // and a mass-delete brake's items wait in pending rows while the cursors move past the
      // rest. A side-empty brake holds the kind's whole plan: its cursors stay, so the confirmed
      // run lists that side again and sees it is still the side the person confirmed empty.
      if (planned.brake) asked.push({ brake: planned.brake, items: planned.heldItems });
      if (planned.brake?.kind === 'sideEmpty') {
        heldWhole = true;
        continue;
      }
      if (planned.brake) await holdBack(kind, planned.held, scope);
      checkDeadline(); // a run past its deadline keeps the old cursors: nothing is skipped
      await planned.commitCursors();
    }
    if ((writing || cut) && !heldWhole) await writesConfirmed(store);
    const [first] = asked;
    if (first) {
      run.state = 'braked';
      run.brake = first.brake.kind;
      return { state: 'braked', brake: first.brake, asked };
    }
    run.state = 'done';
    return {
      state: 'done',
      counts: run.counts,
      failures: run.failures.length,
      failureCodes: [...new Set(run.failures.map((f) => f.code))],
    };
  } catch (error) {
    if (isBrokenStore(error)) throw error; // runSync rebuilds the store
    if (error instanceof LeaseHeld) {
      run.state = 'done';
      return { state: 'busy' };
    }
    run.state = 'failed';
    const failure =
      error instanceof SyncError
        ? error
        : new SyncError('serverError', 'Unexpected failure', { cause: error });
    run.failures.push({ itemKey: '*', code: failure.code });
    return { state: 'failed', error: failure };
  } finally {
    run.finishedAt = deps.clock();
    run.destructive = destructiveOf(run.counts);
    if (options.massDeleteConfirmed) run.confirmed = true;
    await store.finishRun(run);
    // Issue 14, item 5: the store stays bounded (index ranges only, store/retention.ts), pruned
    // every PRUNE_EVERY_RUNS runs — a run every few seconds needs no sweep each time.
    if ((run.id ?? 0) % PRUNE_EVERY_RUNS === 1) await store.prune(run.finishedAt).catch(() => 0);
  }
}

/**
 * Runs one sync if no other run of this mailbox is under way here or on another client.
 * `onProgress` hears how far it is (SPEC S4): reading, then each write of the plan.
 */
export async function runSync(
  deps: EngineDeps,
  options: RunOptions = {},
  onProgress: ProgressListener = () => undefined,
): Promise<RunOutcome> {
  const outcome = await deps.lock.ifAvailable(`crm-sync:${deps.settings.mailbox}`, async () => {
    const lease = lazyLease(deps);
    try {
      return await syncOnce(deps, options, lease, onProgress);
    } catch (error) {
      if (!isBrokenStore(error)) throw error;
      // Issue 14, item 5: quota, corruption or a downgrade ended the run on the store itself.
      // It is a cache of what the stamps rebuild: made anew here, relinked by the next run, and
      // Status says so (errors.storeRebuilt) instead of a bare server error.
      await deps.store.rebuild();
      const rebuilt = new SyncError('storeRebuilt', 'The local store was rebuilt', {
        cause: error,
      });
      return { state: 'failed' as const, error: rebuilt };
    } finally {
      await lease.release();
    }
  });
  return outcome ?? { state: 'busy' };
}
