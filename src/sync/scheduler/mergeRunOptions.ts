/**
 * How the scheduler folds two run requests into one (the queued follow-up, the one wake-up,
 * ../scheduler.ts): a full sync, a brake confirmation and the earliest "sync again from" day are
 * kept from either; any other field is the later request's.
 */
import type { PlainDate } from '../core/model';
import { mergeConfirmations } from '../core/plan/brake';
import type { RunOptions } from '../engine/run';

export function mergeRunOptions(a: RunOptions | undefined, b: RunOptions): RunOptions {
  const full = a?.full === true || b.full === true;
  const confirmed = mergeConfirmations(a?.massDeleteConfirmed, b.massDeleteConfirmed);
  // Two "sync again from" requests: the earlier day covers both (ISO dates sort as strings).
  const froms = [a?.from, b.from].filter((d): d is PlainDate => d !== undefined).sort();
  return {
    ...a,
    ...b,
    ...(full ? { full } : {}),
    ...(confirmed !== false ? { massDeleteConfirmed: confirmed } : {}),
    ...(froms[0] !== undefined ? { from: froms[0] } : {}),
  };
}
