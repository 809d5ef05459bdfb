/**
 * One engine for every item kind (issue 13): a kind says how to gather and plan its items, how to
 * apply one operation and finish one stored intent, and how its operations are keyed and
 * recorded; the apply loop and the outcome records are written once, here, and the outbox replay
 * once in engine/outbox.ts.
 * Calendar items (engine/calendarKind.ts) and contacts (engine/contacts/kind.ts) are two kinds.
 */
import type { ErrorCode } from '../core/errors';
import type { Instant } from '../core/model';
import type { HeldItem } from '../core/plan/brake';
import type { Brake } from '../core/plan/types';
import type { OutboxRow, PendingRow, RunRow, SyncRecordRow } from '../store/rows';
import type { LinkKind, OutcomeEntry, SyncStore } from '../store/syncStore';
import { codeOf, isDeterministic, isLostRace, quarantineNow } from './failures';

/** An item the run could not take in, for the run's failures (Status lists them). */
export interface ItemFailure {
  readonly itemKey: string;
  readonly code: string;
}

/** What one kind's gather and plan produced. */
export interface KindPlan<Op> {
  readonly operations: readonly Op[];
  /**
   * SPEC D3: the run stops to ask. A side-empty brake holds the kind's whole plan and its cursors
   * stay; a mass-delete brake holds only its items (`held`), which wait in pending rows so the
   * cursors move past the rest (issue 15, item 2).
   */
  readonly brake: Brake | null;
  /** The operations the brake held back (Plan.held). */
  readonly held: readonly Op[];
  /** The brake's items (Brake.ids) as its question lists them, in the brake's order. */
  readonly heldItems: readonly HeldItem[];
  /**
   * Issue 14: items the gather or the plan set aside (a feed entry that could not be read, an item
   * whose planning threw); each is already recorded on its item, the run lists them.
   */
  readonly failures?: readonly ItemFailure[];
  /**
   * Moves the kind's cursors; called only after every operation was tried, never after a
   * side-empty brake.
   */
  commitCursors(): Promise<void>;
}

export interface ItemKind<Op extends { readonly op: string }> {
  readonly name: LinkKind;
  /** Whether a stored intent is one of this kind's creates. */
  ownsIntent(operation: OutboxRow['operation']): boolean;
  /** Finishes a stored create (safe to run again: the intent's key makes it idempotent). */
  replayIntent(row: OutboxRow): Promise<void>;
  /** Gathers and plans (what the plan leaves out is recorded on the items here). */
  plan(): Promise<KindPlan<Op>>;
  /** Applies one operation, its link committed in the store. */
  apply(op: Op): Promise<void>;
  /** The item an operation is about (records, quarantine, pending). */
  itemKey(op: Op): string;
  pendingOf(op: Op): PendingRow;
  /** The operation's name in the item's history (the calendar's words, shared by every kind). */
  recordAs(op: Op): SyncRecordRow['op'];
  /** Whether a success goes into the item's history (bookkeeping like a rebase does not). */
  recordsSuccess(op: Op): boolean;
  /** Whether the operation writes to a side, and so needs the CRM lease. */
  needsLease(op: Op): boolean;
  /**
   * Whether the operation is still applied after another write of its item failed in the run
   * (optional; by default it waits for the next run with the rest). Not after a failure that
   * stops the run: those keep the cursors, and the next run sees the item as this one did.
   */
  appliesAfterFailure?(op: Op): boolean;
  /**
   * Issue 16, item 1 (optional): applies several operations side by side, one promise each, in
   * order — their Outlook requests travel together (OutlookCalendar.group) — or null when the
   * adapter cannot group them (they are then applied one at a time). Each promise is what
   * `apply` of that operation would have given.
   */
  applyTogether?(ops: readonly Op[]): readonly Promise<void>[] | null;
  /** Whether an operation may be applied in such a group (applyTogether). */
  groupable?(op: Op): boolean;
  /**
   * The items an operation touches (its item key and, say, the other side's id): operations of
   * one group touch none in common, so no two writes of one item ever run side by side.
   */
  touches?(op: Op): readonly string[];
}

/**
 * Issue 16: the operations applied side by side at most — Graph's $batch takes 20 requests
 * (concepts/json-batching.md), one per operation of a group at each step.
 */
export const APPLY_GROUP = 20;

/** What the shared loops need from the run around them. */
export interface RunScope {
  readonly store: SyncStore;
  readonly clock: () => Instant;
  readonly run: RunRow;
  readonly ensureLease: () => Promise<void>;
  /** Errors about a whole side (sign-in, throttling, offline): they end the run. */
  readonly stopsTheRun: (error: unknown) => boolean;
  /** Issue 14: throws `runTimedOut` once the run's deadline has passed (checked per operation). */
  readonly checkDeadline?: () => void;
}

export type WriteProgress = (done: number, total: number) => void;

/** The code a held item's record carries: it waits for the person's answer (SPEC D3). */
export const HELD_BY_BRAKE: ErrorCode = 'heldByBrake';

/**
 * Issue 15, item 2: the items a mass-delete brake held wait in pending rows, which the next run
 * reads again whatever the cursors say — so the cursors may move past the rest and the question
 * is asked about the same items, not about a full listing's worth again. Not a failure of the
 * item: nothing counts towards setting it aside.
 */
export async function holdBack<Op extends { readonly op: string }>(
  kind: ItemKind<Op>,
  held: readonly Op[],
  scope: RunScope,
): Promise<void> {
  const seen = new Set<string>();
  for (const op of held) {
    const itemKey = kind.itemKey(op);
    if (seen.has(itemKey)) continue;
    seen.add(itemKey);
    await scope.store.recordOutcome({
      kind: kind.name,
      itemKey,
      at: scope.clock(),
      recordAs: kind.recordAs(op),
      outcome: { ok: false, code: HELD_BY_BRAKE, pending: kind.pendingOf(op), counts: false },
    });
  }
}

/**
 * Applies a kind's plan one operation at a time, each committed on its own (vdirsyncer). Once one
 * write of an item fails, its other writes wait for the next run: applying them would move the
 * link's bases past a change the other side never received.
 */
export async function applyPlan<Op extends { readonly op: string }>(
  kind: ItemKind<Op>,
  operations: readonly Op[],
  scope: RunScope,
  onProgress: WriteProgress = () => undefined,
): Promise<void> {
  const { store, run } = scope;
  if (operations.some((op) => kind.needsLease(op))) await scope.ensureLease();
  // An item whose write already failed in this run — its outbox replay, or the planner — waits
  // too: re-planned, a create would go out under its intent's key with what the item holds now,
  // the CRM refuses a key reused with another body, and the refusal dropped the intent whose
  // create had gone through (contacts model, random seed 19872239: a duplicate contact).
  // Item → its failure's code, and whether that failure came before this plan (kept, not replaced).
  const failed = new Map(run.failures.map((f) => [f.itemKey, { code: f.code, beforePlan: true }]));
  let done = 0;

  const entryOf = (op: Op) => ({
    kind: kind.name,
    itemKey: kind.itemKey(op),
    recordAs: kind.recordAs(op),
  });

  /** A success, counted in the run: the entry that records it. */
  const success = (op: Op): OutcomeEntry => {
    run.counts[op.op as keyof RunRow['counts']] =
      (run.counts[op.op as keyof RunRow['counts']] ?? 0) + 1;
    const outcome = { ok: true, recorded: kind.recordsSuccess(op) } as const;
    return { ...entryOf(op), at: scope.clock(), outcome };
  };

  /**
   * An operation that waits for the next run because its item failed before this plan (the
   * replay, the planner): no failure of this plan keeps the change it carries, so a pending row
   * does — the cursors move past it (random seed 221668423: a CRM edit never reached Outlook).
   */
  const wait = async (op: Op): Promise<void> => {
    const failure = failed.get(kind.itemKey(op));
    // Failed in this plan: that failure's pending row covers it.
    if (failure === undefined || !failure.beforePlan) return;
    const outcome = {
      ok: false,
      code: failure.code,
      pending: kind.pendingOf(op),
      counts: false,
    } as const;
    await store.recordOutcome({ ...entryOf(op), at: scope.clock(), outcome });
  };

  /** Records one operation's outcome; a failure of the whole side is thrown back. */
  const settle = async (op: Op, failure: { readonly error: unknown } | null): Promise<void> => {
    if (failure === null) {
      await store.recordOutcome(success(op));
      return;
    }
    const entry = entryOf(op);
    const { itemKey } = entry;
    const { error } = failure;
    if (scope.stopsTheRun(error)) throw error;
    const code = codeOf(error);
    run.failures.push({ itemKey, code });
    if (!failed.has(itemKey)) failed.set(itemKey, { code, beforePlan: false });
    // A lost race is no failure of the item: the next run merges what won.
    const outcome = {
      ok: false,
      code,
      pending: kind.pendingOf(op),
      counts: !isLostRace(error),
    } as const;
    const setAside = await store.recordOutcome({ ...entry, at: scope.clock(), outcome });
    if (!setAside && isDeterministic(error)) {
      await quarantineNow(store, itemKey, code, scope.clock());
    }
  };

  for (let at = 0; at < operations.length;) {
    scope.checkDeadline?.();
    const group = groupFrom(kind, operations, at, failed);
    const together = group.length > 1 ? (kind.applyTogether?.(group) ?? null) : null;
    if (together === null) {
      const op = operations[at] as Op;
      onProgress(done, operations.length);
      done += 1;
      at += 1;
      const afterFailure = failed.has(kind.itemKey(op));
      if (afterFailure && !kind.appliesAfterFailure?.(op)) {
        await wait(op);
        continue;
      }
      try {
        await kind.apply(op);
      } catch (error) {
        await settle(op, { error });
        continue;
      }
      // Applied after its item failed: the failure's record (its pending row) stays as it was.
      if (!afterFailure) await settle(op, null);
      continue;
    }
    onProgress(done, operations.length);
    // Every operation of the group is settled — and recorded — before a failure of the whole
    // side ends the run: the others' writes are done, their outcomes must not be lost.
    const results = await Promise.allSettled(together);
    let stop: { readonly error: unknown } | null = null;
    // Issue 16: the group's successes go into the store together (Dexie: one transaction for up
    // to APPLY_GROUP items, not one each); failures are settled one by one, as before.
    const successes: OutcomeEntry[] = [];
    for (const [index, op] of group.entries()) {
      const result = results[index];
      if (result?.status !== 'rejected') {
        successes.push(success(op));
        continue;
      }
      try {
        await settle(op, { error: result.reason });
      } catch (error) {
        stop ??= { error };
      }
    }
    if (successes.length > 0) {
      try {
        await store.recordSuccesses(successes);
      } catch (error) {
        stop ??= { error };
      }
    }
    done += group.length;
    at += group.length;
    if (stop !== null) throw stop.error;
  }
}

/**
 * The operations from `at` that may be applied side by side: consecutive, groupable, touching no
 * item in common, none of an item that already failed this run, at most APPLY_GROUP.
 */
function groupFrom<Op extends { readonly op: string }>(
  kind: ItemKind<Op>,
  operations: readonly Op[],
  at: number,
  failed: ReadonlyMap<string, unknown>,
): Op[] {
  if (!kind.applyTogether || !kind.groupable) return [];
  const group: Op[] = [];
  const touched = new Set<string>();
  for (let i = at; i < operations.length && group.length < APPLY_GROUP; i++) {
    const op = operations[i] as Op;
    if (!kind.groupable(op) || failed.has(kind.itemKey(op))) break;
    const touches = kind.touches?.(op) ?? [kind.itemKey(op)];
    if (touches.some((t) => touched.has(t))) break;
    for (const t of touches) touched.add(t);
    group.push(op);
  }
  return group;
}
