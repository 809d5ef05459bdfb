/**
 * How much the store keeps (issue 14, item 5): IndexedDB grew without bound — a run row every few
 * seconds, records of items long gone, every trash row ever written. The store is a cache of what
 * the stamps can rebuild, so what falls out of these bounds is history, never a link.
 */
import type { RunRow } from './rows';

/** The last runs kept whatever they did (the Status view shows the latest). */
export const IDLE_RUNS_KEPT = 50;
/** Runs that changed, failed or braked: kept up to this many, and no older than RUN_DAYS. */
export const RUNS_KEPT = 1000;
export const RUN_DAYS = 30;
/** Records of items (SPEC E1 keeps three per item): none older than this, at most this many. */
export const RECORD_DAYS = 90;
export const RECORDS_KEPT = 5000;
/** SPEC D4's trash: rows older than this go, and beyond this many the oldest. */
export const TRASH_DAYS = 30;
export const TRASH_KEPT = 1000;
/** The mass-delete brake's sliding window (issue 14, item 4). */
export const BRAKE_WINDOW_HOURS = 24;

const DAY_MS = 86_400_000;

/** The instant `days` before `now`, in the store's format (UTC, whole seconds). */
export function daysBefore(now: string, days: number): string {
  return new Date(Date.parse(now) - days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A run prunes the store once every this many runs (the first run of a store included). */
export const PRUNE_EVERY_RUNS = 20;

/** Whether a run changed nothing: such runs are kept only as the latest IDLE_RUNS_KEPT. */
export function isIdleRun(run: RunRow): boolean {
  return (
    run.state === 'done' &&
    run.failures.length === 0 &&
    Object.keys(run.counts).length === 0 &&
    !run.destructive
  );
}

/**
 * Issue 14, item 4: the deletions and overwrites of `runs` (oldest first), counted from the last
 * run whose brake the person confirmed — the brake's sliding window.
 */
export function destructiveTotal(runs: readonly RunRow[]): number {
  let total = 0;
  for (const run of runs) total = run.confirmed ? 0 : total + (run.destructive ?? 0);
  return total;
}
