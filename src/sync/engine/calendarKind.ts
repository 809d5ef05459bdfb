/**
 * Calendar items, the first item kind (engine/kind.ts): gathered and planned as SPEC W, M, D and
 * R say (engine/gather.ts, core/plan), applied one operation at a time (engine/apply.ts). Item
 * keys are `o:<Outlook event id>` or, for a CRM activity not yet copied, `c:<activity id>`.
 */
import type { CalendarItem } from '../core/model';
import type { HeldItem, MassDeleteConfirmation } from '../core/plan/brake';
import { normaliseItem } from '../core/normalise';
import { crmView } from '../core/plan/privacy';
import { filtersKey, typeAllowed, type SyncSettings } from '../core/settings';
import type { Link, Operation } from '../core/plan/types';
import type { CrmActivity } from '../ports';
import type { OutboxRow, PendingRow } from '../store/rows';
import { applyOperation } from './apply';
import { applyCreate } from './applyCreate';
import { precreatingCrm } from './bulkCreates';
import type { EngineDeps, Gathered } from './context';
import { gather } from './gather';
import { cursorsPastOwnWrites } from './ownWrites';
import { trashAndDelete } from './trashFirst';
import { type ItemFailure, type ItemKind, quarantineNow, UNPROCESSABLE } from './kind';
import { planGathered } from './planStep';

type Create = Operation & { op: 'createInCrm' | 'createInOutlook' };

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

const isCreate = (op: OutboxRow['operation']): op is Create =>
  op.op === 'createInCrm' || op.op === 'createInOutlook';

/**
 * Whether the item an outbox intent would copy is gone or already carries a stamp, and for a
 * stamped one the link to keep: its bases are what the intent copied, so an edit made on either
 * side since the copy is still an edit at the next run. (Relinking from the stamp without that
 * history could compare only the fields both sides hold exactly, and a changed occurrence of a
 * series would be taken as each side's own spelling — lost.)
 */
async function alreadyDone(
  deps: EngineDeps,
  op: Create,
): Promise<{ readonly done: boolean; readonly link?: Link; readonly existing?: CrmActivity }> {
  const view = (item: CalendarItem) => normaliseItem(crmView(item, deps.settings));
  const common = { outlookEtag: '', crmEtag: '' };
  if (op.op === 'createInCrm') {
    const source = await deps.outlook.get(op.outlook.id);
    if (source === null) return { done: true };
    if (source.crmId === null) {
      // Issue 14, item 4: the CRM remembers an Idempotency-Key for 24 hours only; a create
      // replayed later would make a second activity. The activity is born carrying this
      // event's Outlook link (CrmActivityInput.outlookLink): look for it first.
      const copy = await copyCarryingLink(deps, op.outlook.id, op.input.item);
      return copy ? { done: false, existing: copy } : { done: false };
    }
    const link: Link = {
      ...common,
      outlookId: source.id,
      crmId: source.crmId,
      outlookBase: view(op.outlook.item),
      crmBase: normaliseItem(op.input.item),
      crmTypeId: op.input.typeId,
      isOwner: true,
    };
    return { done: true, link };
  }
  const source = await deps.crm.get(op.crm.id);
  if (source === null) {
    // The activity is gone. A copy this create made before it failed (stamped with the
    // activity's id, but never linked) would be an orphan no later run knows as ours: an unknown
    // stamp whose partner is 404 is set aside, not deleted (issue 14, item 4). Withdraw it here,
    // into the trash first.
    for (const copy of await deps.outlook.findByCrmId(deps.calendarId, op.crm.id)) {
      await trashAndDelete(deps, { outlookId: copy.id, crmId: op.crm.id }, copy.item);
    }
    return { done: true };
  }
  let mine = source.outlookLinks.find((l) => l.mailbox.toLowerCase() === deps.settings.mailbox);
  if (!mine) {
    // The copy may stand under a new id: the person re-made it in Outlook, stamped with this
    // activity, before its link reached the CRM (random seed 1845095909). A second copy would be
    // a duplicate: the one there is linked, and the CRM learns its link now.
    const copy = (await deps.outlook.findByCrmId(deps.calendarId, op.crm.id)).find(
      (e) => e.kind !== 'occurrence' && e.kind !== 'exception' && !e.item.isCancelled,
    );
    if (!copy) return { done: false };
    const { mailbox } = deps.settings;
    // No version kept (as below): an edit made in the CRM since the copy is compared by content.
    await deps.crm.setOutlookLink(source.id, { mailbox, eventId: copy.id });
    mine = { mailbox, eventId: copy.id };
  }
  const link: Link = {
    ...common,
    outlookId: mine.eventId,
    crmId: source.id,
    outlookBase: view(op.item),
    crmBase: normaliseItem(op.crm.item),
    crmTypeId: source.crm.typeId,
    isOwner: source.crm.ownerId === deps.settings.crmUserId,
  };
  return { done: true, link };
}

/** Issue 15: whether a stored create's direction takes its type under the settings of now. */
function createAllowed(settings: SyncSettings, op: Create): boolean {
  return op.op === 'createInCrm'
    ? typeAllowed(settings.outlookToCrm.createTypes, op.input.typeId)
    : typeAllowed(settings.crmToOutlook.createTypes, op.crm.crm.typeId);
}

const DAY_MS = 86_400_000;

/**
 * The CRM activity already carrying this Outlook event's link, if any: the CRM has no query by
 * link, so the replay lists the item's days (a day either side, for zones) and looks there; a
 * series is listed whenever any occurrence may fall in the window (CrmActivities.listWindow).
 */
async function copyCarryingLink(
  deps: EngineDeps,
  eventId: string,
  item: CalendarItem,
): Promise<CrmActivity | null> {
  const [start, end] =
    item.time.kind === 'timed'
      ? [item.time.start, item.time.end]
      : [`${item.time.startDate}T00:00:00Z`, `${item.time.endDate}T00:00:00Z`];
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const window = { start: iso(Date.parse(start) - DAY_MS), end: iso(Date.parse(end) + DAY_MS) };
  if (!(Date.parse(window.end) > Date.parse(window.start))) return null;
  const listed = await deps.crm.listWindow(window);
  const mailbox = deps.settings.mailbox.toLowerCase();
  return (
    listed.find(
      (a) =>
        !a.cancelled &&
        a.outlookLinks.some((l) => l.eventId === eventId && l.mailbox.toLowerCase() === mailbox),
    ) ?? null
  );
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
    activities: () => activities,
  };
}
