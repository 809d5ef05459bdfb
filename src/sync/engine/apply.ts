/**
 * The apply phase: one operation at a time, each committed on its own (vdirsyncer). Creates go
 * through the outbox — the intent and its idempotency key are stored before anything is sent,
 * and the link is written in the same transaction that clears the intent — so a crash at any
 * point is repaired by replaying the outbox, and the replay cannot make a duplicate.
 */
import { itemHash } from '../core/hash';
import { withFields } from '../core/merge';
import type { CalendarItem } from '../core/model';
import { normaliseItem } from '../core/normalise';
import { crmView } from '../core/plan/privacy';
import type { Link, Operation } from '../core/plan/types';
import type { CrmActivity, OutlookEvent } from '../ports';
import type { EngineDeps, Gathered } from './context';

function linkFor(
  deps: EngineDeps,
  outlook: OutlookEvent,
  crm: CrmActivity,
  base: CalendarItem,
): Link {
  return {
    outlookId: outlook.id,
    crmId: crm.id,
    base: normaliseItem(base),
    outlookHash: itemHash(crmView(outlook.item, deps.settings)),
    crmHash: itemHash(crm.item),
    outlookEtag: outlook.etag,
    crmEtag: crm.etag,
    crmTypeId: crm.crm.typeId,
    isOwner: crm.crm.ownerId === deps.settings.crmUserId,
  };
}

async function commitCreate(deps: EngineDeps, key: string, link: Link): Promise<void> {
  await deps.db.transaction('rw', deps.db.links, deps.db.outbox, async () => {
    await deps.db.links.put(link);
    await deps.db.outbox.delete(key);
  });
}

/** Creates and their stamps; safe to run again for the same operation (outbox replay). */
export async function applyCreate(
  deps: EngineDeps,
  op: Operation & { op: 'createInCrm' | 'createInOutlook' },
): Promise<void> {
  const { mailbox } = deps.settings;
  if (op.op === 'createInCrm') {
    const created = await deps.crm.create(op.input, { idempotencyKey: op.idempotencyKey });
    await deps.outlook.stamp(op.outlook.id, created.id);
    await deps.crm.setOutlookLink(created.id, { mailbox, eventId: op.outlook.id });
    // Both writes above moved the versions: read them back so the link's etags are current.
    const stamped = (await deps.outlook.get(op.outlook.id)) ?? op.outlook;
    const linked = (await deps.crm.get(created.id)) ?? created;
    await commitCreate(deps, op.idempotencyKey, linkFor(deps, stamped, linked, linked.item));
  } else {
    const created = await deps.outlook.create(deps.calendarId, op.item, {
      transactionId: op.transactionId,
      crmId: op.crm.id,
    });
    await deps.crm.setOutlookLink(op.crm.id, { mailbox, eventId: created.id });
    const linked = (await deps.crm.get(op.crm.id)) ?? op.crm;
    await commitCreate(deps, op.transactionId, linkFor(deps, created, linked, linked.item));
  }
}

export async function applyOperation(
  deps: EngineDeps,
  op: Operation,
  gathered: Gathered,
): Promise<void> {
  const { db } = deps;
  switch (op.op) {
    case 'createInCrm':
    case 'createInOutlook': {
      const key = op.op === 'createInCrm' ? op.idempotencyKey : op.transactionId;
      await db.outbox.put({ key, operation: op, createdAt: deps.clock(), attempts: 0 });
      await applyCreate(deps, op);
      return;
    }
    case 'link': {
      if (op.outlook.crmId !== op.crm.id) await deps.outlook.stamp(op.outlook.id, op.crm.id);
      if (!op.crm.outlookLinks.some((l) => l.eventId === op.outlook.id)) {
        await deps.crm.setOutlookLink(op.crm.id, {
          mailbox: deps.settings.mailbox,
          eventId: op.outlook.id,
        });
      }
      const outlook = (await deps.outlook.get(op.outlook.id)) ?? op.outlook;
      const crm = (await deps.crm.get(op.crm.id)) ?? op.crm;
      await db.links.put(linkFor(deps, outlook, crm, crmView(op.outlook.item, deps.settings)));
      return;
    }
    case 'updateCrm': {
      const current = gathered.crm.get(op.link.crmId)?.item ?? op.link.base;
      const updated = await deps.crm.update(
        op.link.crmId,
        withFields(current, op.item, op.fields),
        {
          etag: op.link.crmEtag,
        },
      );
      const outlook = gathered.outlook.get(op.link.outlookId);
      await db.links.put({
        ...op.link,
        base: normaliseItem(op.item),
        crmHash: itemHash(updated.item),
        crmEtag: updated.etag,
        ...(outlook
          ? {
              outlookHash: itemHash(crmView(outlook.item, deps.settings)),
              outlookEtag: outlook.etag,
            }
          : {}),
      });
      return;
    }
    case 'updateOutlook': {
      const current =
        gathered.outlook.get(op.link.outlookId) ?? (await deps.outlook.get(op.link.outlookId));
      if (!current) return; // gone meanwhile: the next run sees the deletion
      const latest = (await db.links.get(op.link.outlookId)) ?? op.link;
      const updated = await deps.outlook.update(
        op.link.outlookId,
        withFields(current.item, op.item, op.fields),
        {
          etag: current.etag,
        },
      );
      const crm = gathered.crm.get(op.link.crmId);
      await db.links.put({
        ...latest,
        base: normaliseItem(op.item),
        outlookHash: itemHash(crmView(updated.item, deps.settings)),
        outlookEtag: updated.etag,
        ...(crm ? { crmHash: itemHash(crm.item), crmEtag: crm.etag } : {}),
      });
      return;
    }
    case 'rebase': {
      const outlook = gathered.outlook.get(op.link.outlookId);
      const crm = gathered.crm.get(op.link.crmId);
      await db.links.put({
        ...op.link,
        base: normaliseItem(op.base),
        ...(outlook
          ? {
              outlookHash: itemHash(crmView(outlook.item, deps.settings)),
              outlookEtag: outlook.etag,
            }
          : {}),
        ...(crm
          ? { crmHash: itemHash(crm.item), crmEtag: crm.etag, crmTypeId: crm.crm.typeId }
          : {}),
      });
      return;
    }
    case 'cancelInCrm':
      await deps.crm.cancel(op.link.crmId);
      await db.links.delete(op.link.outlookId);
      return;
    case 'removeMeInCrm':
      await deps.crm.removeMe(op.link.crmId);
      await db.links.delete(op.link.outlookId);
      return;
    case 'deleteInOutlook': {
      // SPEC D4: what sync deletes can be seen and taken back.
      const doomed = gathered.outlook.get(op.link.outlookId)?.item ?? op.link.base;
      await db.trash.add({
        at: deps.clock(),
        outlookId: op.link.outlookId,
        crmId: op.link.crmId,
        lost: { field: 'subject', side: 'outlook', value: doomed.subject },
        deleted: doomed,
      });
      await deps.outlook.delete(op.link.outlookId);
      await db.links.delete(op.link.outlookId);
      return;
    }
    case 'unlink':
      await db.links.delete(op.link.outlookId);
      return;
    case 'trash':
      await db.trash.add({
        at: deps.clock(),
        outlookId: op.link.outlookId,
        crmId: op.link.crmId,
        lost: op.lost,
      });
      return;
  }
}
