/**
 * How the engine tells one item's failure from the side's (engine/kind.ts applies them): an error
 * that is not a SyncError is the item's own and sets it aside at once (issue 14); a lost race is
 * no failure of the item.
 */
import { SyncError } from '../core/errors';
import type { Instant } from '../core/model';
import type { SyncStore } from '../store/syncStore';

/**
 * Issue 14: anything that is not a SyncError (a RangeError from a date or a zone, a stack overflow
 * in a converter, a bug) is about the item it happened on: the same input fails the same way at
 * every run, so the item is set aside at once rather than after three runs.
 */
export const UNPROCESSABLE = 'itemUnprocessable';
export const isDeterministic = (error: unknown): boolean => !(error instanceof SyncError);
export const codeOf = (error: unknown): string =>
  error instanceof SyncError ? error.code : UNPROCESSABLE;
export const isLostRace = (error: unknown): boolean =>
  error instanceof SyncError && error.kind === 'conflict';

/** A bound on quarantineNow's loop; the store's own rule (three failures) decides before it. */
const MAX_COUNTS = 10;

/**
 * Sets an item aside now (SPEC E4) through the store's own failure count, so Status shows it with
 * its reason like any item set aside after three failed runs, and releasing it works the same.
 */
export async function quarantineNow(
  store: SyncStore,
  itemKey: string,
  code: string,
  at: Instant,
): Promise<void> {
  for (let i = 0; i < MAX_COUNTS; i += 1) {
    if (await store.noteFailure(itemKey, code, at)) return;
  }
}
