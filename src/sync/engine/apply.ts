/**
 * The apply phase: one operation at a time, each committed on its own (vdirsyncer). Creates go
 * through the outbox — the intent and its idempotency key are stored before anything is sent,
 * and the link is written in the same transaction that clears the intent — so a crash at any
 * point is repaired by replaying the outbox, and the replay cannot make a duplicate.
 */
import { ConflictError, SyncError } from '../core/errors';
import { itemHash, stableStringify } from '../core/hash';
import { EXACT_FIELDS, type SyncedField, withFields } from '../core/merge';
import type { CalendarItem } from '../core/model';
import { normaliseItem } from '../core/normalise';
import { crmView } from '../core/plan/privacy';
import type { Link, Operation } from '../core/plan/types';
import type { CrmActivity, OutlookEvent } from '../ports';
import type { EngineDeps, Gathered } from './context';
import { createThroughOutbox } from './kind';

/**
 * A new link. Each side's base is what that side holds (`stored`, read back after the write), so
 * its own spelling of what it cannot hold is no edit later. For the fields every side holds
 * exactly, the base is what the plan saw (`seen`): an edit made meanwhile — or before an outbox
 * replay returned the existing item — still counts as an edit at the next run.
 */
function linkFor(
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

/** SPEC D2, D4: deletes an Outlook event, keeping the whole item in the trash first. */
export async function trashAndDelete(
  deps: EngineDeps,
  pair: { readonly outlookId: string; readonly crmId: string },
  item: CalendarItem,
): Promise<void> {
  await deps.store.addTrash({
    at: deps.clock(),
    outlookId: pair.outlookId,
    crmId: pair.crmId,
    lost: { field: 'subject', side: 'outlook', value: item.subject },
    deleted: item,
  });
  await deps.outlook.delete(pair.outlookId);
}

/**
 * Issue 12, item 2 ("whatever an overwrite replaces goes to the trash"): before a CRM-side edit
 * is written onto an Outlook event, the event as read goes to the trash with the fields the
 * write replaces. The port gives the item as the sync models it (plain-text description); the
 * adapter splices a new description into the HTML it holds, so the rest of the markup stays in
 * Outlook. Nothing is kept when no field's value actually changes.
 */
async function trashPreImage(
  deps: EngineDeps,
  pair: { readonly outlookId: string; readonly crmId: string },
  before: CalendarItem,
  after: CalendarItem,
  fields: readonly SyncedField[],
): Promise<void> {
  const replaced = fields.filter((f) => stableStringify(before[f]) !== stableStringify(after[f]));
  const first = replaced[0];
  if (first === undefined) return;
  await deps.store.addTrash({
    at: deps.clock(),
    outlookId: pair.outlookId,
    crmId: pair.crmId,
    lost: { field: first, side: 'outlook', value: before[first] },
    overwritten: { item: before, fields: replaced },
  });
}

/**
 * A 412 whose current record still has the content we merged against moved only its version
 * (our own stamp, a read receipt): that is not a change (REQUIREMENTS.md), so write again with the
 * current version. `sameContent` returns that version, or null when the content moved too.
 */
async function retryIfVersionOnly<T>(
  write: (etag: string) => Promise<T>,
  etag: string,
  sameContent: (current: T) => string | null,
): Promise<T> {
  try {
    return await write(etag);
  } catch (error) {
    if (!(error instanceof ConflictError) || error.current === null) throw error;
    const retryWith = sameContent(error.current as T);
    if (retryWith === null) throw error;
    return write(retryWith);
  }
}

/** An Outlook event as the CRM side sees it (busy blocks masked), normalised: a base. */
function viewOf(deps: EngineDeps, event: OutlookEvent): CalendarItem {
  return normaliseItem(crmView(event.item, deps.settings));
}

function isGone(error: unknown): boolean {
  return error instanceof SyncError && error.kind === 'notFound';
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
  /** A replay's find: the activity this create already made (calendarKind.ts), not sent again. */
  existing?: CrmActivity,
): Promise<void> {
  const { mailbox } = deps.settings;
  if (op.op === 'createInCrm') {
    const created =
      existing ?? (await deps.crm.create(op.input, { idempotencyKey: op.idempotencyKey }));
    try {
      await deps.outlook.stamp(op.outlook.id, created.id);
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
    try {
      // Born linked (CrmActivityInput.outlookLink); a CRM that ignored it gets the link now.
      if (!created.outlookLinks.some((l) => l.eventId === op.outlook.id)) {
        await deps.crm.setOutlookLink(created.id, { mailbox, eventId: op.outlook.id });
      }
    } catch (error) {
      if (!isGone(error)) throw error;
      // The CRM copy was deleted before the link was made: a CRM deletion (SPEC D2, D4). What
      // Outlook holds now goes to the trash, an edit made since the copy included.
      const held = (await deps.outlook.get(op.outlook.id))?.item ?? op.outlook.item;
      await trashAndDelete(deps, { outlookId: op.outlook.id, crmId: created.id }, held);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    // Both writes above moved the versions: read them back so the link's etags are current.
    const stamped = (await deps.outlook.get(op.outlook.id)) ?? op.outlook;
    const current = await deps.crm.get(created.id);
    if (current === null || current.cancelled) {
      // A replayed create answers as the activity was then; deleted or cancelled in the CRM
      // since, the link would outlive it (the feed has passed that change): D2 now instead.
      await trashAndDelete(deps, { outlookId: op.outlook.id, crmId: created.id }, stamped.item);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    const linked = current;
    await commitCreate(
      deps,
      op.idempotencyKey,
      linkFor(
        deps,
        { outlook: stamped, crm: linked },
        // Outlook got only a stamp: its base is the event we copied, so an edit made there
        // meanwhile is still an edit at the next run (a re-read would swallow it).
        { outlook: op.outlook.item, crm: created.item },
        { outlook: op.outlook.item, crm: created.item },
      ),
    );
  } else {
    const created = await deps.outlook.create(deps.calendarId, op.item, {
      transactionId: op.transactionId,
      crmId: op.crm.id,
    });
    try {
      await deps.crm.setOutlookLink(op.crm.id, { mailbox, eventId: created.id });
    } catch (error) {
      if (!isGone(error)) throw error;
      // The CRM activity went while it was being copied: the copy is withdrawn, trashed first.
      await trashAndDelete(deps, { outlookId: created.id, crmId: op.crm.id }, created.item);
      await deps.store.dropIntent(op.transactionId);
      return;
    }
    const linked = (await deps.crm.get(op.crm.id)) ?? op.crm;
    await commitCreate(
      deps,
      op.transactionId,
      linkFor(
        deps,
        { outlook: created, crm: linked },
        // The CRM got only the link: its base is the activity we copied (see above).
        { outlook: created.item, crm: op.crm.item },
        { outlook: op.item, crm: op.crm.item },
      ),
    );
  }
}

export async function applyOperation(
  deps: EngineDeps,
  op: Operation,
  gathered: Gathered,
): Promise<void> {
  const { store } = deps;
  switch (op.op) {
    case 'createInCrm':
    case 'createInOutlook': {
      const key = op.op === 'createInCrm' ? op.idempotencyKey : op.transactionId;
      const row = { key, operation: op, createdAt: deps.clock(), attempts: 0 };
      return createThroughOutbox(store, row, () => applyCreate(deps, op));
    }
    case 'link': {
      if (op.outlook.crmId !== op.crm.id) await deps.outlook.stamp(op.outlook.id, op.crm.id);
      if (!op.crm.outlookLinks.some((l) => l.eventId === op.outlook.id)) {
        const link = { mailbox: deps.settings.mailbox, eventId: op.outlook.id };
        await deps.crm.setOutlookLink(op.crm.id, link);
      }
      if (!op.commit) return; // the reconciling update that follows writes the link
      const outlook = (await deps.outlook.get(op.outlook.id)) ?? op.outlook;
      const crm = (await deps.crm.get(op.crm.id)) ?? op.crm;
      await store.commitLink(
        'calendar',
        // Neither side's content was written, only stamps: the bases are what the plan saw.
        linkFor(
          deps,
          { outlook, crm },
          { outlook: op.outlook.item, crm: op.crm.item },
          { outlook: op.outlook.item, crm: op.crm.item },
        ),
      );
      return;
    }
    case 'updateCrm': {
      // The merge was made against what the gather read: send that version as If-Match.
      const seen = gathered.crm.get(op.link.crmId);
      const body = withFields(seen?.item ?? op.link.crmBase, op.item, op.fields);
      const seenHash = seen ? itemHash(seen.item) : null;
      const updated = await retryIfVersionOnly(
        (etag) => deps.crm.update(op.link.crmId, body, { etag }),
        seen?.etag ?? op.link.crmEtag,
        (current: CrmActivity) => (itemHash(current.item) === seenHash ? current.etag : null),
      );
      if (!op.final) return;
      const outlook = gathered.outlook.get(op.link.outlookId);
      await store.commitLink('calendar', {
        ...op.link,
        crmBase: normaliseItem(updated.item),
        crmEtag: updated.etag,
        ...(outlook ? { outlookBase: viewOf(deps, outlook), outlookEtag: outlook.etag } : {}),
      });
      return;
    }
    case 'updateOutlook': {
      const current =
        gathered.outlook.get(op.link.outlookId) ?? (await deps.outlook.get(op.link.outlookId));
      if (!current) return; // gone meanwhile: the next run sees the deletion
      const body = withFields(current.item, op.item, op.fields);
      await trashPreImage(deps, op.link, current.item, body, op.fields);
      const seenHash = itemHash(current.item);
      const updated = await retryIfVersionOnly(
        (etag) => deps.outlook.update(op.link.outlookId, body, { etag }),
        current.etag,
        (now: OutlookEvent) => (itemHash(now.item) === seenHash ? now.etag : null),
      );
      const crm = gathered.crm.get(op.link.crmId);
      await store.commitLink('calendar', {
        ...op.link,
        outlookBase: viewOf(deps, updated),
        outlookEtag: updated.etag,
        ...(crm ? { crmBase: normaliseItem(crm.item), crmEtag: crm.etag } : {}),
      });
      return;
    }
    case 'rebase': {
      const outlook = gathered.outlook.get(op.link.outlookId);
      const crm = gathered.crm.get(op.link.crmId);
      await store.commitLink('calendar', {
        ...op.link,
        ...(outlook ? { outlookBase: viewOf(deps, outlook), outlookEtag: outlook.etag } : {}),
        ...(crm
          ? { crmBase: normaliseItem(crm.item), crmEtag: crm.etag, crmTypeId: crm.crm.typeId }
          : {}),
      });
      return;
    }
    case 'cancelInCrm':
      await deps.crm.cancel(op.link.crmId);
      await store.dropLink('calendar', op.link.outlookId);
      return;
    case 'removeMeInCrm':
      await deps.crm.removeMe(op.link.crmId);
      await store.dropLink('calendar', op.link.outlookId);
      return;
    case 'deleteInOutlook': {
      // SPEC D4: what sync deletes can be seen and taken back — the whole item as Outlook holds
      // it, read now when the run did not (issue 14, item 4): the link's base is the CRM's view,
      // a private item's masked "busy block", and the trash stays on this device.
      const doomed =
        gathered.outlook.get(op.link.outlookId)?.item ??
        (await deps.outlook.get(op.link.outlookId))?.item ??
        op.link.outlookBase;
      await trashAndDelete(deps, { outlookId: op.link.outlookId, crmId: op.link.crmId }, doomed);
      await store.dropLink('calendar', op.link.outlookId);
      return;
    }
    case 'unlink':
      await store.dropLink('calendar', op.link.outlookId);
      return;
    case 'trash':
      await store.addTrash({
        at: deps.clock(),
        outlookId: op.link.outlookId,
        crmId: op.link.crmId,
        lost: op.lost,
      });
      return;
  }
}
