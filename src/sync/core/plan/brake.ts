/**
 * SPEC D3's brake, for every item kind (issue 14, item 4; issue 15, item 2). It stops a run
 * before it deletes, cancels or overwrites (a conflict's loser) a large share of the linked items —
 * counting what the runs of a sliding window did already (the engine sums it from the store: a
 * drip of deletions trips it too) — and before anything when a full listing of one side comes
 * back empty while links exist (vdirsyncer's StorageEmpty).
 *
 * Every brake can be confirmed, and a confirmation names what it allows: the kind, the items the
 * person was shown and, for a side-empty brake, that side. Any other item trips it again.
 */
import { MASS_DELETE_MIN, MASS_DELETE_RATIO } from '../settings';
import type { Brake } from './types';

/** The item kinds a brake is about: activities (the calendar) or contacts (SPEC K2). */
export type BrakeItems = 'calendar' | 'contacts';

/** What a person confirmed: one brake they were shown, by its kind, its items and its side. */
export interface BrakeConfirmation {
  readonly items: BrakeItems;
  /** The held items (Outlook ids) the question listed: these, and no others, may go ahead. */
  readonly ids: readonly string[];
  /** Set when the brake was a side-empty one: that side may be empty, no other. */
  readonly sideEmpty?: 'outlook' | 'crm';
}

/**
 * `true` allows everything (the model tests' final quiet runs; the pane never sends it); a list
 * allows what it names: a BrakeConfirmation, or a bare Outlook id (issue 14's form: that item of
 * a mass-delete question, of either kind — it never confirms a side-empty brake).
 */
export type MassDeleteConfirmation = boolean | readonly (string | BrakeConfirmation)[];

/** One item a brake holds, as its question lists it: enough to recognise it, nothing more. */
export interface HeldItem {
  /** The Outlook id (what a confirmation names). */
  readonly id: string;
  /** The subject, or a contact's name; '' when it has none. */
  readonly subject: string;
  /** ISO instant, or the date of an all-day item; null where an item has no time (contacts). */
  readonly start: string | null;
}

export interface BrakeInput {
  readonly items: BrakeItems;
  /**
   * The Outlook ids of the pairs linked before this run. A loser's values count only on those: a
   * pair this run links for the first time (first sync, a match) overwrites nobody's synced value —
   * the first-sync preview shows those, and counting them braked every first sync of existing
   * items.
   */
  readonly known: readonly string[];
  /** The items (Outlook ids) this run would delete or cancel. */
  readonly deletions: readonly string[];
  /** The items (Outlook ids) whose value a person made this run would overwrite (D4's losers). */
  readonly overwrites: readonly string[];
  /** Whether each side came back as a full listing with nothing in it. */
  readonly listedNothing: { readonly outlook: boolean; readonly crm: boolean };
  readonly confirmed: MassDeleteConfirmation;
  /** What the window's earlier runs deleted or overwrote since the last confirmation. */
  readonly recent: number;
}

/** The items a run would destroy, each once: every deletion, and the overwrites of known pairs. */
export function destructiveItems(
  input: Pick<BrakeInput, 'known' | 'deletions' | 'overwrites'>,
): string[] {
  const known = new Set(input.known);
  return [...new Set([...input.deletions, ...input.overwrites.filter((id) => known.has(id))])];
}

/** The ids a confirmation allows for one kind; `sideEmpty` narrows it to that side's brake. */
function allowedBy(
  confirmed: Exclude<MassDeleteConfirmation, boolean>,
  items: BrakeItems,
  sideEmpty?: 'outlook' | 'crm',
): Set<string> | null {
  const ids = new Set<string>();
  let found = false;
  for (const entry of confirmed) {
    if (typeof entry === 'string') {
      if (sideEmpty === undefined) ids.add(entry);
      continue;
    }
    if (entry.items !== items) continue;
    if (sideEmpty !== undefined && entry.sideEmpty !== sideEmpty) continue;
    found = true;
    for (const id of entry.ids) ids.add(id);
  }
  return sideEmpty === undefined || found ? ids : null;
}

/**
 * The items the mass-delete brake holds back, or null when the run may go on: those not
 * confirmed, when they and the window's earlier ones reach MASS_DELETE_MIN and
 * MASS_DELETE_RATIO of the links.
 */
export function massDeleteHold(input: Omit<BrakeInput, 'listedNothing'>): readonly string[] | null {
  if (input.confirmed === true) return null;
  const allowed =
    input.confirmed === false ? new Set<string>() : allowedBy(input.confirmed, input.items);
  const asked = destructiveItems(input).filter((id) => !allowed?.has(id));
  if (asked.length === 0) return null;
  const total = asked.length + input.recent;
  const linked = input.known.length;
  return total >= MASS_DELETE_MIN && total >= MASS_DELETE_RATIO * linked ? asked : null;
}

/**
 * SPEC D3: why this kind's run stops to ask, or null. A side that lists nothing stops the kind's
 * whole run unless the person confirmed that side's brake and every item it would destroy was
 * among those shown; then the mass-delete rule still applies to anything new.
 */
export function brakeFor(input: BrakeInput): Brake | null {
  const linked = input.known.length;
  const kindOf = input.items === 'contacts' ? ({ items: 'contacts' } as const) : {};
  const empty =
    linked < MASS_DELETE_MIN
      ? null
      : input.listedNothing.outlook
        ? ('outlook' as const)
        : input.listedNothing.crm
          ? ('crm' as const)
          : null;
  if (empty !== null && input.confirmed !== true) {
    const ids = destructiveItems(input);
    const allowed =
      input.confirmed === false ? null : allowedBy(input.confirmed, input.items, empty);
    if (allowed === null || ids.some((id) => !allowed.has(id))) {
      return { kind: 'sideEmpty', side: empty, linked, ids, ...kindOf };
    }
  }
  const held = massDeleteHold(input);
  if (held === null) return null;
  return {
    kind: 'massDelete',
    destructive: held.length + input.recent,
    linked,
    ids: held,
    ...kindOf,
  };
}

/** What confirming these brakes allows: each one's kind, items and side, nothing more. */
export function confirmationOf(brakes: readonly Brake[]): BrakeConfirmation[] {
  return brakes.map((brake) => ({
    items: brake.items ?? 'calendar',
    ids: brake.ids,
    ...(brake.kind === 'sideEmpty' ? { sideEmpty: brake.side } : {}),
  }));
}

/** Two confirmations allow what either allowed. */
export function mergeConfirmations(
  a: MassDeleteConfirmation | undefined,
  b: MassDeleteConfirmation | undefined,
): MassDeleteConfirmation {
  if (a === true || b === true) return true;
  const lists = [a, b].filter((c): c is Exclude<MassDeleteConfirmation, boolean> =>
    Array.isArray(c),
  );
  return lists.length === 0 ? false : lists.flat();
}
