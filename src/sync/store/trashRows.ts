/**
 * When two trash rows are one (issue 14, item 4: one row per operation). Pure comparisons over
 * the rows; the store (store/dexieSyncStore.ts) applies them to the pair's newest row.
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
