/**
 * Gather's reads of single items (split from engine/gather.ts, issue 13): one item's read that
 * sets aside only that item (issue 14), the re-read of ids the last run's own-writes round left
 * to check (issue 15, item 5), and the reads that let the plan repair a stored pair whose row
 * could not be read (issue 15, item 3).
 */
import { SyncError } from '../core/errors';
import type { PairToRepair } from '../core/plan/identity';
import { isCrmId } from '../core/plan/matching';
import type { CrmActivity, OutlookEvent } from '../ports';

/** Marks one item's read that failed on the item itself, not on its side. */
export const UNREADABLE = Symbol('unreadable');

/**
 * Issue 14: one item's read. An answer about the item alone — outside the contract (invalidData)
 * or one the mapping threw on (not a SyncError) — makes it unreadable; anything about the whole
 * side (sign-in, throttling, offline, a server failure) still ends the run.
 */
export async function readOne<T>(read: () => Promise<T>): Promise<T | typeof UNREADABLE> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SyncError && error.kind !== 'invalidData') throw error;
    return UNREADABLE;
  }
}

/**
 * Issue 15, item 3: both items of each stored pair whose row could not be read, so that the plan
 * repairs the pair from their stamps (core/plan/identity.ts). A 404 is that side's deletion, as
 * for a link; a pair gone on both sides leaves nothing to repair, and its row goes.
 */
export async function readPairsToRepair(
  repairs: readonly PairToRepair[],
  io: {
    readonly events: ReadonlyMap<string, OutlookEvent>;
    readonly activities: ReadonlyMap<string, CrmActivity>;
    readonly getOutlook: (id: string) => Promise<OutlookEvent | null | typeof UNREADABLE>;
    readonly getCrm: (id: string) => Promise<CrmActivity | null | typeof UNREADABLE>;
    readonly found: (item: OutlookEvent | CrmActivity) => void;
    readonly outlookDeleted: string[];
    readonly crmDeleted: string[];
    readonly drop: (outlookId: string) => Promise<void>;
  },
): Promise<void> {
  for (const pair of repairs) {
    let event = io.events.get(pair.outlookId);
    let eventGone = io.outlookDeleted.includes(pair.outlookId);
    if (!event && !eventGone) {
      const got = await io.getOutlook(pair.outlookId);
      if (got === null) {
        eventGone = true;
        io.outlookDeleted.push(pair.outlookId);
      } else if (got !== UNREADABLE) {
        event = got;
        io.found(got);
      }
    }
    const named = pair.crmId ?? event?.crmId ?? undefined;
    const crmId = named !== undefined && isCrmId(named) ? named : undefined;
    let activityGone = crmId === undefined || io.crmDeleted.includes(crmId);
    if (crmId !== undefined && !activityGone && !io.activities.has(crmId)) {
      const got = await io.getCrm(crmId);
      if (got === null) {
        activityGone = true;
        io.crmDeleted.push(crmId);
      } else if (got !== UNREADABLE) io.found(got);
    }
    if (eventGone && activityGone) await io.drop(pair.outlookId);
  }
}

/** Reads each id not listed already; what is gone is returned apart, the unreadable are dropped. */
export async function recheck<T>(
  ids: readonly string[],
  listed: readonly string[],
  read: (id: string) => Promise<T | null | typeof UNREADABLE>,
): Promise<{ found: T[]; gone: string[] }> {
  const skip = new Set(listed);
  const found: T[] = [];
  const gone: string[] = [];
  for (const id of new Set(ids)) {
    if (skip.has(id)) continue;
    const got = await read(id);
    if (got === null) gone.push(id);
    else if (got !== UNREADABLE) found.push(got);
  }
  return { found, gone };
}
