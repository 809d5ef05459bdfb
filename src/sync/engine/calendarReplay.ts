/**
 * The calendar's outbox replay (engine/kind.ts replayOutbox): whether a create stored before a
 * crash was done meanwhile — its source gone, stamped, or its copy standing under a new id — and
 * whether the settings of now still take it.
 */
import type { CalendarItem } from '../core/model';
import { normaliseItem } from '../core/normalise';
import { crmView } from '../core/plan/privacy';
import { typeAllowed, type SyncSettings } from '../core/settings';
import type { Link, Operation } from '../core/plan/types';
import type { CrmActivity } from '../ports';
import type { OutboxRow } from '../store/rows';
import type { EngineDeps } from './context';
import { trashAndDelete } from './trashFirst';

export type Create = Operation & { op: 'createInCrm' | 'createInOutlook' };

export const isCreate = (op: OutboxRow['operation']): op is Create =>
  op.op === 'createInCrm' || op.op === 'createInOutlook';

/**
 * Whether the item an outbox intent would copy is gone or already carries a stamp, and for a
 * stamped one the link to keep: its bases are what the intent copied, so an edit made on either
 * side since the copy is still an edit at the next run. (Relinking from the stamp without that
 * history could compare only the fields both sides hold exactly, and a changed occurrence of a
 * series would be taken as each side's own spelling — lost.)
 */
export async function alreadyDone(
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
export function createAllowed(settings: SyncSettings, op: Create): boolean {
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
