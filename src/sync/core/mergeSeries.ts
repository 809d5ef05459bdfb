/**
 * The 3-way merge inside a series (SPEC R1). A series travels as one item, but its cancelled
 * occurrences and its exceptions are merged one by one: an occurrence moved in Outlook and
 * another cancelled in the CRM are both kept, and an exception only one side can see (outside
 * the other's window) is never dropped by the side that cannot see it.
 *
 * Each side is compared with its own base (merge.ts), and the other side's edits are applied to
 * what this side holds now — never its whole value copied over.
 */
import { stableStringify } from './hash';
import type { OccurrenceChange, Recurrence, RecurrenceId } from './model';

export type SeriesSide = 'outlook' | 'crm';

export interface SeriesMergeInput {
  readonly outlookBase: Recurrence | null;
  readonly crmBase: Recurrence | null;
  readonly outlook: Recurrence | null;
  readonly crm: Recurrence | null;
  /** Who wins where both sides changed the same thing. */
  readonly winner: SeriesSide;
}

export interface SeriesMergeResult {
  /** What each side should hold after the merge (equal to its current value: nothing to write). */
  readonly outlook: Recurrence | null;
  readonly crm: Recurrence | null;
  /** Where both sides changed the same thing differently: the loser's value, for the trash. */
  readonly conflict: boolean;
}

const same = (a: unknown, b: unknown) => stableStringify(a) === stableStringify(b);

/** The rule itself: whether it is a series, and its RRULE. A change here replaces the series. */
const ruleOf = (r: Recurrence | null) => (r === null ? null : r.rrule);

function withChanges(
  target: Recurrence,
  exdates: { readonly add: readonly RecurrenceId[]; readonly remove: readonly RecurrenceId[] },
  overrides: ReadonlyMap<RecurrenceId, OccurrenceChange | undefined>,
): Recurrence {
  const ex = new Set(target.exdates);
  for (const id of exdates.add) ex.add(id);
  for (const id of exdates.remove) ex.delete(id);
  const out: Record<RecurrenceId, OccurrenceChange> = { ...(target.overrides ?? {}) };
  for (const [id, change] of overrides) {
    if (change === undefined) delete out[id];
    else out[id] = change;
  }
  const sortedIds = Object.keys(out).sort();
  return {
    rrule: target.rrule,
    exdates: [...ex].sort(),
    ...(sortedIds.length > 0
      ? { overrides: Object.fromEntries(sortedIds.map((id) => [id, out[id] as OccurrenceChange])) }
      : {}),
  };
}

function exdateEdits(now: Recurrence, base: Recurrence) {
  const [n, b] = [new Set(now.exdates), new Set(base.exdates)];
  return {
    add: [...n].filter((id) => !b.has(id)),
    remove: [...b].filter((id) => !n.has(id)),
  };
}

/** Both values normalised (normaliseItem), as merge.ts hands them over. */
export function mergeSeries(input: SeriesMergeInput): SeriesMergeResult {
  const { outlookBase: ob, crmBase: cb, outlook: o, crm: c } = input;
  const outlookRuleEdited = !same(ruleOf(o), ruleOf(ob));
  const crmRuleEdited = !same(ruleOf(c), ruleOf(cb));
  if (
    outlookRuleEdited ||
    crmRuleEdited ||
    o === null ||
    c === null ||
    ob === null ||
    cb === null
  ) {
    // A new rule (or a series made single, or the other way) replaces the whole series: its
    // exceptions belonged to the old rule. One side's edit wins over no edit; both: the winner.
    const outlookEdited = outlookRuleEdited || !same(o, ob);
    const crmEdited = crmRuleEdited || !same(c, cb);
    if (same(o, c) || (!outlookEdited && !crmEdited))
      return { outlook: o, crm: c, conflict: false };
    const takeOutlook = outlookEdited && (!crmEdited || input.winner === 'outlook');
    return {
      outlook: takeOutlook ? o : c,
      crm: takeOutlook ? o : c,
      conflict: outlookEdited && crmEdited,
    };
  }

  // The same rule on both sides: cancellations are a set (an edit is an add or a remove), and
  // each exception is merged on its own.
  const toCrmOverrides = new Map<RecurrenceId, OccurrenceChange | undefined>();
  const toOutlookOverrides = new Map<RecurrenceId, OccurrenceChange | undefined>();
  let conflict = false;
  const ids = new Set([o, ob, c, cb].flatMap((r) => Object.keys(r.overrides ?? {})));
  for (const id of ids) {
    const [ov, obv, cv, cbv] = [o, ob, c, cb].map((r) => r.overrides?.[id]);
    const outlookEdited = !same(ov, obv);
    const crmEdited = !same(cv, cbv);
    if (same(ov, cv) || (!outlookEdited && !crmEdited)) continue;
    if (outlookEdited && crmEdited) {
      conflict = true;
      if (input.winner === 'outlook') toCrmOverrides.set(id, ov);
      else toOutlookOverrides.set(id, cv);
    } else if (outlookEdited) toCrmOverrides.set(id, ov);
    else toOutlookOverrides.set(id, cv);
  }
  return {
    crm: withChanges(c, exdateEdits(o, ob), toCrmOverrides),
    outlook: withChanges(o, exdateEdits(c, cb), toOutlookOverrides),
    conflict,
  };
}
