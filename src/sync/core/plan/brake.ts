/**
 * SPEC D3's mass-delete brake, for every item kind (issue 14, item 4). It counts the items a run
 * would delete or cancel and those whose value a person made it would overwrite (a conflict's
 * loser), adds what the runs of a sliding window did already (the engine sums it from the store:
 * a drip of deletions trips it too), and stops before the items nobody confirmed. A confirmation
 * names the items it allows — the ones the person was shown: any other item trips it again.
 */
import { MASS_DELETE_MIN, MASS_DELETE_RATIO } from '../settings';

/** `true` allows everything (the model tests' final quiet runs); a list allows those items. */
export type MassDeleteConfirmation = boolean | readonly string[];

export interface BrakeInput {
  /** The items (Outlook ids) this run would delete, cancel or overwrite; each counted once. */
  readonly destructive: readonly string[];
  readonly linked: number;
  readonly confirmed: MassDeleteConfirmation;
  /** What the window's earlier runs deleted or overwrote since the last confirmation. */
  readonly recent: number;
}

/** The items the brake holds back, or null when the run may go on. */
export function massDeleteHold(input: BrakeInput): readonly string[] | null {
  if (input.confirmed === true) return null;
  const allowed = new Set(input.confirmed === false ? [] : input.confirmed);
  const asked = [...new Set(input.destructive)].filter((id) => !allowed.has(id));
  if (asked.length === 0) return null;
  const total = asked.length + input.recent;
  return total >= MASS_DELETE_MIN && total >= MASS_DELETE_RATIO * input.linked ? asked : null;
}
