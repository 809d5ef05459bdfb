/**
 * When two trash rows are one (issue 14, item 4: one row per operation). Pure comparisons over
 * the rows; both stores (store/dexieSyncStore.ts, store/sqlite/history.ts) apply `mergeTrash`'s
 * answer to the pair's newest rows.
 */
import { stableStringify } from '../core/hash';
import type { TrashRow } from './rows';

/** What a row keeps, without its id, time and restore state. */
function content(row: TrashRow): string {
  return stableStringify({
    lost: row.lost,
    deleted: row.deleted ?? null,
    overwritten: row.overwritten ?? null,
    contact: row.contact ?? null,
  });
}

/** The same write tried again (a retry after a failure): the same thing kept twice. */
export function sameTrash(a: TrashRow, b: TrashRow): boolean {
  return a.outlookId === b.outlookId && a.crmId === b.crmId && content(a) === content(b);
}

/**
 * Whether `next`, a pre-image, holds everything `prior` keeps: `prior` is a bare lost value (a
 * conflict's loser) of a field `next` overwrote, with the same value, on the same side.
 */
export function trashCovers(next: TrashRow, prior: TrashRow): boolean {
  if (!next.overwritten || prior.deleted || prior.overwritten || prior.contact) return false;
  const field = prior.lost.field;
  return (
    prior.lost.side === next.lost.side &&
    next.overwritten.fields.includes(field) &&
    stableStringify(next.overwritten.item[field]) === stableStringify(prior.lost.value)
  );
}

/** What a new trash row does to its pair's rows: the row whose id it takes, and those that go. */
export interface TrashMerge {
  readonly keep: number | undefined;
  readonly drop: readonly number[];
}

/**
 * Issue 14, item 4, given the pair's newest rows (newest first): `null` when `row` repeats the
 * newest open row (a write retried after a failure) and adds nothing; otherwise a pre-image that
 * holds the value of open rows (the conflict's losers the plan trashed just before the overwrite)
 * takes the oldest one's id, and every other one goes. A row asked back is never merged.
 */
export function mergeTrash(recent: readonly TrashRow[], row: TrashRow): TrashMerge | null {
  const open = recent.filter((r) => r.restore === undefined);
  if (open[0] && sameTrash(open[0], row)) return null;
  const ids = open
    .filter((r) => trashCovers(row, r))
    .map((r) => r.id)
    .filter((id): id is number => id !== undefined);
  // Newest first here, so the oldest covered row is the last, not the first.
  const keep = ids.length > 0 ? Math.min(...ids) : undefined;
  return { keep, drop: ids.filter((id) => id !== keep) };
}

/**
 * A trash row as stored: the state of its restore copied where the store indexes it. Always a
 * copy — Dexie writes the id it gives into the object it adds, and the caller's row is not ours.
 */
export function storedTrash(row: TrashRow): TrashRow {
  return row.restore ? { ...row, restoreState: row.restore.state } : { ...row };
}
