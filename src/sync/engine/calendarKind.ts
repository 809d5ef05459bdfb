/**
 * Calendar items, the first item kind (engine/kind.ts): gathered and planned as SPEC W, M, D and
 * R say (engine/gather.ts, core/plan), applied one operation at a time (engine/apply.ts). Item
 * keys are `o:<Outlook event id>` or, for a CRM activity not yet copied, `c:<activity id>`.
 */
import type { CalendarItem } from '../core/model';
import type { HeldItem, MassDeleteConfirmation } from '../core/plan/brake';
import { filtersKey } from '../core/settings';
import type { Link, Operation } from '../core/plan/types';
import type { CrmActivity } from '../ports';
import type { PendingRow } from '../store/rows';
import { applyOperation } from './apply';
import { applyCreate } from './applyCreate';
import { precreatingCrm } from './bulkCreates';
import type { EngineDeps, Gathered } from './context';
import { gather } from './gather';
import { cursorsPastOwnWrites } from './ownWrites';
import { quarantineNow, UNPROCESSABLE } from './failures';
import type { ItemFailure, ItemKind } from './kind';
import { planGathered } from './planStep';
import { alreadyDone, createAllowed, isCreate, type Create } from './calendarReplay';

/**
 * Issue 16, item 1: the operations applied side by side, their Outlook writes in one $batch —
 * creates (transactionId and stamp in the body), stamps, updates, deletes — and those that only
 * move the store. The CRM-only writes stay one at a time: the CRM has its own bulk calls.
 */
const GROUPABLE: ReadonlySet<Operation['op']> = new Set([
  'createInCrm',
  'createInOutlook',
  'link',
  'updateOutlook',
  'deleteInOutlook',
  'rebase',
  'unlink',
  'trash',
]);

/** Both items an operation touches: no two operations of one group share either. */
function touchesOf(op: Operation): string[] {
  switch (op.op) {
    case 'createInCrm':
      return [`o:${op.outlook.id}`];
    case 'createInOutlook':
      return [`c:${op.crm.id}`];
    case 'link':
      return [`o:${op.outlook.id}`, `c:${op.crm.id}`];
    default:
      return [`o:${op.link.outlookId}`, `c:${op.link.crmId}`];
  }
}

export function itemKeyOf(op: Operation): string {
  switch (op.op) {
    case 'createInCrm':
    case 'link':
      return `o:${op.outlook.id}`;
    case 'createInOutlook':
      return `c:${op.crm.id}`;
    default:
      return `o:${op.link.outlookId}`;
  }
}

function pendingOf(op: Operation): PendingRow {
  const itemKey = itemKeyOf(op);
  switch (op.op) {
    case 'createInCrm':
      return { itemKey, outlookId: op.outlook.id };
    case 'createInOutlook':
      return { itemKey, crmId: op.crm.id };
    case 'link':
      return { itemKey, outlookId: op.outlook.id, crmId: op.crm.id };
    default:
      return { itemKey, outlookId: op.link.outlookId, crmId: op.link.crmId };
  }
}

function startOf(item: CalendarItem): string {
  return item.time.kind === 'timed' ? item.time.start : item.time.startDate;
}

/**
 * SPEC D3: the brake's items as its question lists them — the event as read now, or as it was
 * when last synced when it is gone.
 */
function describeHeld(
  ids: readonly string[],
  lookup: Gathered,
  links: readonly Link[],
): HeldItem[] {
  const bases = new Map(links.map((link) => [link.outlookId, link.outlookBase]));
  return ids.map((id) => {
    const item = lookup.outlook.get(id)?.item ?? bases.get(id);
    return { id, subject: item?.subject ?? '', start: item ? startOf(item) : null };
  });
}

export interface CalendarKindOptions {
  readonly full: boolean;
  readonly massDeleteConfirmed: MassDeleteConfirmation;
  readonly recentDestructive: number;
  readonly typeChoices?: Readonly<Record<string, string>>;
  readonly startedAt: string;
}

/** The calendar kind of one run; `activities()` is what its gather read from the CRM. */
export function calendarKind(
  deps: EngineDeps,
  options: CalendarKindOptions,
): ItemKind<Operation> & { activities(): readonly CrmActivity[] } {
  let activities: readonly CrmActivity[] = [];
  let apply: (op: Operation) => Promise<void> = () => Promise.reject(new Error('Not planned'));
  let applyTogether: (ops: readonly Operation[]) => readonly Promise<void>[] | null = () => null;
  return {
    name: 'calendar',
    ownsIntent: isCreate,
    async replayIntent(row) {
      const op = row.operation as Create;
      // Issue 15: the settings may have changed since the intent was stored. A create whose
      // direction no longer takes its type waits in the outbox — not sent, not dropped — and is
      // finished once the filter allows it again (it is dropped only as before: its source gone
      // or stamped meanwhile, found when it may run).
      if (!createAllowed(deps.settings, op)) return;
      const done = await alreadyDone(deps, op);
      // Stamped meanwhile (by this client before the crash, or by another): sending the create
      // again could only make a copy. Linked here unless a link exists already.
      if (done.done) await deps.store.commitReplayed('calendar', row.key, done.link);
      else {
        await applyCreate(deps, op, done.existing ? { existing: done.existing } : {});
      }
    },
    async plan() {
      // Issue 15: filters that changed since the last run read both sides in full, so what they
      // held back (an edit, a deletion) is seen again and syncs where they now allow it.
      const filters = filtersKey(deps.settings);
      const lastFilters = (await deps.store.cursor('calendarFilters'))?.value;
      const refilter = lastFilters !== undefined && lastFilters !== filters;
      const gathered = await gather(deps, options.full || refilter);
      const { result, lookup, links, unprocessable } = await planGathered(
        deps,
        gathered,
        options,
        options.startedAt,
      );
      activities = [...lookup.crm.values()];
      // Issue 16, item 3: the plan's creates in the CRM go out in chunks (bulk where offered).
      const applyDeps = { ...deps, crm: precreatingCrm(deps, result.operations) };
      apply = (op) => applyOperation(applyDeps, op, lookup);
      applyTogether = (ops) => {
        const group = deps.outlook.group?.(ops.length);
        if (!group) return null;
        const together = { ...applyDeps, outlook: group.calendar };
        return ops.map((op) => applyOperation(together, op, lookup).finally(() => group.leave()));
      };
      const linkOfCrm = new Map(links.map((l) => [l.crmId, l.outlookId]));
      const keyOf = (side: 'outlook' | 'crm', id: string) => {
        const linked = side === 'crm' ? linkOfCrm.get(id) : undefined;
        return side === 'outlook' ? `o:${id}` : linked ? `o:${linked}` : `c:${id}`;
      };
      const failures: ItemFailure[] = [];
      // Issue 14: what the planner threw on is set aside now, with its reason on the item.
      for (const bad of unprocessable) {
        const itemKey = keyOf(bad.side, bad.id);
        failures.push({ itemKey, code: UNPROCESSABLE });
        await deps.store.recordOutcome({
          kind: 'calendar',
          itemKey,
          at: options.startedAt,
          recordAs: 'skip',
          outcome: { ok: false, code: UNPROCESSABLE, pending: { itemKey }, counts: true },
        });
        await quarantineNow(deps.store, itemKey, UNPROCESSABLE, options.startedAt);
      }
      for (const id of gathered.crmUnreadable) {
        failures.push({ itemKey: keyOf('crm', id), code: 'invalidResponse' });
      }
      if (gathered.crmUnidentified > 0) failures.push({ itemKey: 'c:?', code: 'invalidResponse' });
      for (const ex of result.excluded) {
        const itemKey = keyOf(ex.side, ex.id);
        const detail = ex.detail ? { detail: ex.detail } : {};
        await deps.store.recordSkipped({
          itemKey,
          at: options.startedAt,
          code: ex.reason,
          ...detail,
        });
      }
      return {
        operations: result.operations,
        brake: result.brake,
        held: result.held,
        heldItems: describeHeld(result.brake?.ids ?? [], lookup, links),
        failures,
        // Cursors move only after everything they cover was applied: a crash re-reads, harmlessly.
        // Issue 15 item 5: and past this run's own writes (engine/ownWrites.ts).
        async commitCursors() {
          const { crm, outlook } = await cursorsPastOwnWrites(deps, result.operations, {
            crm: { name: 'crmChanges', value: gathered.crm.cursor },
            outlook: {
              name: 'outlookDelta',
              value: gathered.outlook.deltaLink,
              window: gathered.window,
            },
          });
          await deps.store.putCursor(crm);
          await deps.store.putCursor(outlook);
          await deps.store.putCursor({ name: 'calendarFilters', value: filters });
        },
      };
    },
    apply: (op) => apply(op),
    applyTogether: (ops) => applyTogether(ops),
    groupable: (op) => GROUPABLE.has(op.op),
    touches: touchesOf,
    itemKey: itemKeyOf,
    pendingOf,
    recordAs: (op) => op.op,
    recordsSuccess: (op) => op.op !== 'rebase' && op.op !== 'trash',
    needsLease: (op) => op.op !== 'rebase',
    // A relinked pair's old row (core/plan/identity.ts) goes even when the relink's stamp failed:
    // the cursors move past what showed the relink, and a row naming a gone activity would hold
    // the event for good (model seed 636713631); the next run pairs the two by their stamps. A
    // run stopped half-way keeps both the row and its cursors, and relinks again (1893510459).
    appliesAfterFailure: (op) => op.op === 'unlink' && op.reason === 'replaced',
    activities: () => activities,
  };
}
