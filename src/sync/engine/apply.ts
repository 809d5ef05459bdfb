/**
 * The apply phase: one operation at a time, each committed on its own (vdirsyncer). Creates go
 * through the outbox — the intent and its idempotency key are stored before anything is sent,
 * and the link is written in the same transaction that clears the intent — so a crash at any
 * point is repaired by replaying the outbox, and the replay cannot make a duplicate. A create
 * itself is ./applyCreate.ts; what a write deletes or replaces goes to the trash (./trashFirst.ts).
 */
import { ConflictError } from '../core/errors';
import { itemHash } from '../core/hash';
import { withFields, type SyncedField } from '../core/merge';
import type { CalendarItem } from '../core/model';
import { normaliseItem } from '../core/normalise';
import { crmView } from '../core/plan/privacy';
import type { Held, Link, Operation } from '../core/plan/types';
import { typeAllowed } from '../core/settings';
import type { CrmActivity, OutlookEvent } from '../ports';
import { applyCreate, linkFor } from './applyCreate';
import type { EngineDeps, Gathered } from './context';
import { createThroughOutbox } from './outbox';
import { trashAndDelete, trashPreImage } from './trashFirst';

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

/**
 * Issue 15: a side's base after a write. A held side (its own edit waits for a filter) moves
 * only by the fields the engine wrote onto it; any other side takes what it holds now.
 */
function movedBase(
  base: CalendarItem,
  now: CalendarItem,
  written: readonly SyncedField[],
  held: boolean | undefined,
): CalendarItem {
  return normaliseItem(held ? withFields(base, now, written) : now);
}

/**
 * The Outlook side of a committed link: what it holds now, unless it is held (issue 15) — then
 * its base and version stay as they were.
 */
function outlookSide(
  deps: EngineDeps,
  link: Link,
  outlook: OutlookEvent,
  held: Held | undefined,
): Pick<Link, 'outlookBase' | 'outlookEtag'> {
  if (held?.outlook) return { outlookBase: link.outlookBase, outlookEtag: link.outlookEtag };
  return { outlookBase: viewOf(deps, outlook), outlookEtag: outlook.etag };
}

/**
 * The CRM side of a committed link, as for Outlook. A held side keeps its version too: no
 * version of it has the base's content, and `updateCrm` writes onto the base when the run did not
 * read the activity — the old version makes that write a 412 and a re-read, never a blind
 * overwrite of the held edit.
 */
function crmSide(
  link: Link,
  crm: CrmActivity,
  held: Held | undefined,
): Pick<Link, 'crmBase' | 'crmEtag'> {
  if (held?.crm) return { crmBase: link.crmBase, crmEtag: link.crmEtag };
  return { crmBase: normaliseItem(crm.item), crmEtag: crm.etag };
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
      // Issue 16 item 2: the versions come from the writes' answers, none is read back.
      let outlook = op.outlook;
      let crm = op.crm;
      if (op.outlook.crmId !== op.crm.id) {
        const stamped = await deps.outlook.stamp(op.outlook.id, op.crm.id);
        outlook = { ...op.outlook, etag: stamped.etag, crmId: op.crm.id };
      }
      if (!op.crm.outlookLinks.some((l) => l.eventId === op.outlook.id)) {
        const link = { mailbox: deps.settings.mailbox, eventId: op.outlook.id };
        crm = await deps.crm.setOutlookLink(op.crm.id, link);
      }
      if (!op.commit) return; // the reconciling update that follows writes the link
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
        crmBase: movedBase(op.link.crmBase, updated.item, op.fields, op.held?.crm),
        crmEtag: op.held?.crm ? op.link.crmEtag : updated.etag,
        ...(outlook ? outlookSide(deps, op.link, outlook, op.held) : {}),
      });
      return;
    }
    case 'updateOutlook': {
      const current =
        gathered.outlook.get(op.link.outlookId) ?? (await deps.outlook.get(op.link.outlookId));
      if (!current) {
        // Gone: meanwhile, or before this run with no delta round to say so — a delta link older
        // than the event never lists its deletion (a run that died before its cursors moved past
        // its own create: issue 17's kill property). The deletion syncs now, as planDeletion
        // plans it (D1; held by a type filter: the link stays, T2).
        if (!typeAllowed(deps.settings.outlookToCrm.editTypes, op.link.crmTypeId)) return;
        if (op.link.isOwner) await deps.crm.cancel(op.link.crmId);
        else await deps.crm.removeMe(op.link.crmId);
        await store.dropLink('calendar', op.link.outlookId);
        return;
      }
      const body = withFields(current.item, op.item, op.fields);
      await trashPreImage(deps, op.link, current.item, body, op.fields);
      const seenHash = itemHash(current.item);
      const updated = await retryIfVersionOnly(
        (etag) => deps.outlook.update(op.link.outlookId, body, { etag }),
        current.etag,
        (now: OutlookEvent) => (itemHash(now.item) === seenHash ? now.etag : null),
      );
      const crm = gathered.crm.get(op.link.crmId);
      // Issue 15: an event this run did not read may hold an edit a filter held back at an
      // earlier run (or one made since): only the fields written move its base then.
      const unread = !gathered.outlook.has(op.link.outlookId);
      await store.commitLink('calendar', {
        ...op.link,
        outlookBase: movedBase(
          op.link.outlookBase,
          viewOf(deps, updated),
          op.fields,
          op.held?.outlook === true || unread,
        ),
        outlookEtag: updated.etag,
        ...(crm ? crmSide(op.link, crm, op.held) : {}),
      });
      return;
    }
    case 'rebase': {
      const outlook = gathered.outlook.get(op.link.outlookId);
      const crm = gathered.crm.get(op.link.crmId);
      await store.commitLink('calendar', {
        ...op.link,
        ...(outlook ? outlookSide(deps, op.link, outlook, op.held) : {}),
        ...(crm ? { ...crmSide(op.link, crm, op.held), crmTypeId: crm.crm.typeId } : {}),
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
    case 'unlink': {
      // A relinked pair's old row (core/plan/identity.ts) goes after the new link's commit, which
      // may have replaced it in place (the same event, a new activity): then it is not the old
      // row any more, and stays.
      const row =
        op.reason === 'replaced'
          ? await store.linkByOutlookId('calendar', op.link.outlookId)
          : op.link;
      if (row?.crmId === op.link.crmId) await store.dropLink('calendar', op.link.outlookId);
      return;
    }
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
