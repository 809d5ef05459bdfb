/**
 * A create and its stamps (the calendar's createInCrm / createInOutlook), run through the outbox
 * by ./apply.ts and again by an outbox replay (./calendarKind.ts): each ends with the link written
 * in the transaction that clears the intent, or with the copy withdrawn when its source went.
 */
import { SyncError } from '../core/errors';
import { EXACT_FIELDS, withFields } from '../core/merge';
import type { CalendarItem } from '../core/model';
import { normaliseItem } from '../core/normalise';
import { crmView } from '../core/plan/privacy';
import { typeAllowed } from '../core/settings';
import type { Link, Operation } from '../core/plan/types';
import type { CrmActivity, OutlookEvent } from '../ports';
import type { EngineDeps } from './context';
import { trashAndDelete } from './trashFirst';

/**
 * A new link. Each side's base is what that side holds (`stored`, from the write's answer), so
 * its own spelling of what it cannot hold is no edit later. For the fields every side holds
 * exactly, the base is what the plan saw (`seen`): an edit made meanwhile — or before an outbox
 * replay returned the existing item — still counts as an edit at the next run.
 */
export function linkFor(
  deps: EngineDeps,
  ids: { readonly outlook: OutlookEvent; readonly crm: CrmActivity },
  stored: { readonly outlook: CalendarItem; readonly crm: CalendarItem },
  seen: { readonly outlook: CalendarItem; readonly crm: CalendarItem },
): Link {
  const view = (item: CalendarItem) => crmView(item, deps.settings);
  return {
    outlookId: ids.outlook.id,
    crmId: ids.crm.id,
    outlookBase: normaliseItem(withFields(view(stored.outlook), view(seen.outlook), EXACT_FIELDS)),
    crmBase: normaliseItem(withFields(stored.crm, seen.crm, EXACT_FIELDS)),
    outlookEtag: ids.outlook.etag,
    crmEtag: ids.crm.etag,
    crmTypeId: ids.crm.crm.typeId,
    isOwner: ids.crm.crm.ownerId === deps.settings.crmUserId,
  };
}

async function commitCreate(deps: EngineDeps, key: string, link: Link): Promise<void> {
  await deps.store.commitCreate('calendar', key, link);
}

function isGone(error: unknown): boolean {
  return error instanceof SyncError && error.kind === 'notFound';
}

/**
 * Issue 14 (model counterexample 1786049443): a replayed create answers with the item as it is
 * now (Graph returns the event the transactionId already made; the CRM copy is found by its
 * link), and an occurrence the person changed or cancelled since the first attempt is in it.
 * Taken as the base, that change would be the side's own spelling and never reach the other. The
 * base keeps the side's spelling of the series (its RRULE) but the exceptions the create copied.
 */
function withCopiedOccurrences(current: CalendarItem, copied: CalendarItem): CalendarItem {
  if (!current.recurrence) return current;
  const { overrides, exdates } = copied.recurrence ?? { exdates: [] };
  const series = { rrule: current.recurrence.rrule, exdates };
  return { ...current, recurrence: overrides ? { ...series, overrides } : series };
}

/**
 * Issue 15: the CRM copy a create made is gone before it was linked — a CRM deletion, which
 * deletes the Outlook event only where CRM → Outlook may delete its type (SPEC D2, T2). When it
 * may not, the Outlook side is read-only: the pair is linked as it stands, so the deletion is found
 * again (and synced) once the filter allows it. Returns whether it held the deletion.
 */
async function heldDeletion(
  deps: EngineDeps,
  op: Operation & { op: 'createInCrm' },
  created: CrmActivity,
  outlook: OutlookEvent,
): Promise<boolean> {
  if (typeAllowed(deps.settings.crmToOutlook.editTypes, created.crm.typeId)) return false;
  const sent = { outlook: op.outlook.item, crm: created.item };
  await commitCreate(deps, op.idempotencyKey, linkFor(deps, { outlook, crm: created }, sent, sent));
  return true;
}

/**
 * Creates and their stamps; safe to run again for the same operation (outbox replay). When the
 * source vanished before it could be stamped (deleted while the create was in flight or waiting
 * in the outbox), the copy is withdrawn the way a deletion would be: cancelled in the CRM (D1),
 * deleted in Outlook (D2).
 */
export async function applyCreate(
  deps: EngineDeps,
  op: Operation & { op: 'createInCrm' | 'createInOutlook' },
  /**
   * Set when the outbox replays the create (calendarKind.ts). `existing`: the activity this
   * create already made, not sent again.
   */
  replay?: { readonly existing?: CrmActivity },
): Promise<void> {
  const existing = replay?.existing;
  const { mailbox } = deps.settings;
  if (op.op === 'createInCrm') {
    const created =
      existing ?? (await deps.crm.create(op.input, { idempotencyKey: op.idempotencyKey }));
    let stamped: { readonly etag: string };
    try {
      stamped = await deps.outlook.stamp(op.outlook.id, created.id);
    } catch (error) {
      if (!isGone(error)) throw error;
      // Issue 14, item 4: the withdrawn copy's content goes to the trash first, as any deletion.
      await deps.store.addTrash({
        at: deps.clock(),
        outlookId: op.outlook.id,
        crmId: created.id,
        lost: { field: 'subject', side: 'crm', value: op.outlook.item.subject },
        deleted: op.outlook.item,
      });
      await deps.crm.cancel(created.id);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    // Issue 16 item 2: every version below comes from a write's own answer, none is read back.
    let current: CrmActivity | null = created;
    try {
      // Born linked (CrmActivityInput.outlookLink); a CRM that ignored it gets the link now.
      if (!created.outlookLinks.some((l) => l.eventId === op.outlook.id)) {
        current = await deps.crm.setOutlookLink(created.id, { mailbox, eventId: op.outlook.id });
      } else if (replay && !existing) {
        // A replayed create's answer is the activity as it was then (the Idempotency-Key's
        // stored answer): whether it still stands is asked once, on a replay only.
        current = await deps.crm.get(created.id);
      }
    } catch (error) {
      if (!isGone(error)) throw error;
      if (
        await heldDeletion(deps, op, created, {
          ...op.outlook,
          etag: stamped.etag,
          crmId: created.id,
        })
      )
        return;
      // The CRM copy was deleted before the link was made: a CRM deletion (SPEC D2, D4). What
      // Outlook holds now goes to the trash, an edit made since the copy included.
      const held = (await deps.outlook.get(op.outlook.id))?.item ?? op.outlook.item;
      await trashAndDelete(deps, { outlookId: op.outlook.id, crmId: created.id }, held);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    const stampedEvent = { ...op.outlook, etag: stamped.etag, crmId: created.id };
    if (current === null || current.cancelled) {
      if (await heldDeletion(deps, op, created, stampedEvent)) return;
      // A replayed create answers as the activity was then; deleted or cancelled in the CRM
      // since, the link would outlive it (the feed has passed that change): D2 now instead.
      // What Outlook holds goes to the trash: read here, on this rare path only.
      const held = (await deps.outlook.get(op.outlook.id))?.item ?? op.outlook.item;
      await trashAndDelete(deps, { outlookId: op.outlook.id, crmId: created.id }, held);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    const linked = current;
    // The activity a replay found (`existing`) is as it is now, a CRM edit made since the first
    // attempt included (model counterexample 1786049443, path 453): its base is what was sent.
    const crmBase = existing ? withCopiedOccurrences(existing.item, op.input.item) : created.item;
    const crmSeen = existing ? op.input.item : created.item;
    await commitCreate(
      deps,
      op.idempotencyKey,
      linkFor(
        deps,
        { outlook: stampedEvent, crm: linked },
        // Outlook got only a stamp: its base is the event we copied, so an edit made there
        // meanwhile is still an edit at the next run (a re-read would swallow it).
        { outlook: op.outlook.item, crm: crmBase },
        { outlook: op.outlook.item, crm: crmSeen },
      ),
    );
  } else {
    const created = await deps.outlook.create(deps.calendarId, op.item, {
      transactionId: op.transactionId,
      crmId: op.crm.id,
    });
    let linked: CrmActivity;
    try {
      // Its answer is the activity as the link left it: the link's CRM version (issue 16 item 2).
      linked = await deps.crm.setOutlookLink(op.crm.id, { mailbox, eventId: created.id });
    } catch (error) {
      if (!isGone(error)) throw error;
      // The CRM activity went while it was being copied: the copy is withdrawn, trashed first.
      await trashAndDelete(deps, { outlookId: created.id, crmId: op.crm.id }, created.item);
      await deps.store.dropIntent(op.transactionId);
      return;
    }
    await commitCreate(
      deps,
      op.transactionId,
      linkFor(
        deps,
        { outlook: created, crm: linked },
        // The CRM got only the link: its base is the activity we copied (see above).
        {
          outlook: replay ? withCopiedOccurrences(created.item, op.item) : created.item,
          crm: op.crm.item,
        },
        { outlook: op.item, crm: op.crm.item },
      ),
    );
  }
}
