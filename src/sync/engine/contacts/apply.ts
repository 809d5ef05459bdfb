/**
 * Applying the contact plan (SPEC K2) through the calendar's machinery: creates wait in the
 * shared outbox (create.ts); what sync overwrites or deletes goes to the shared trash first (D4,
 * trash.ts).
 */
import { SyncError } from '../../core/errors';
import { contactLabel, normaliseContact, type ContactItem } from '../../core/contacts/model';
import type { ContactLink, ContactOperation } from '../../core/contacts/types';
import type { CrmContact, OutlookContact } from '../../ports';
import type { ContactDeps, EngineDeps } from '../context';
import { createThroughOutbox } from '../outbox';
import { applyContactCreate } from './create';
import { changes, trash, withValues } from './trash';

export interface ContactLookup {
  readonly folderId: string;
  readonly outlook: ReadonlyMap<string, OutlookContact>;
  readonly crm: ReadonlyMap<string, CrmContact>;
}

/** The item a contact operation is about, in the shared records and quarantine: `k:o:` / `k:c:`. */
export function contactItemKey(op: ContactOperation): string {
  switch (op.op) {
    case 'contactCreateInCrm':
    case 'contactLink':
      return `k:o:${op.outlook.id}`;
    case 'contactCreateInOutlook':
      return `k:c:${op.crm.id}`;
    case 'contactDeleteInOutlook':
      return `k:o:${op.outlookId}`;
    default:
      return `k:o:${op.link.outlookId}`;
  }
}

export async function applyContactOperation(
  deps: EngineDeps,
  contacts: ContactDeps,
  op: ContactOperation,
  lookup: ContactLookup,
): Promise<void> {
  const { store } = deps;
  switch (op.op) {
    case 'contactCreateInCrm':
    case 'contactCreateInOutlook': {
      const key = op.op === 'contactCreateInCrm' ? op.idempotencyKey : op.key;
      const row = { key, operation: op, createdAt: deps.clock(), attempts: 0 };
      const create = () => applyContactCreate(deps, contacts, lookup.folderId, op);
      return createThroughOutbox(store, row, create);
    }
    case 'contactLink':
      if (op.outlook.crmId !== op.crm.id) await contacts.outlook.stamp(op.outlook.id, op.crm.id);
      await store.commitLink('contacts', {
        outlookId: op.outlook.id,
        crmId: op.crm.id,
        outlookBase: op.base,
        crmBase: op.base,
      });
      return;
    case 'contactUpdate': {
      const ids = { outlookId: op.link.outlookId, crmId: op.link.crmId };
      // Issue 14, item 4: one trash row per update — the values that lost a conflict and the
      // whole contact of each side the update writes over, as read before the write.
      const writesCrm = Object.keys(op.toCrm).length > 0;
      const writesOutlook = Object.keys(op.toOutlook).length > 0;
      const crmBefore = writesCrm
        ? (lookup.crm.get(op.link.crmId) ?? (await contacts.crm.get(op.link.crmId)))
        : null;
      const outlookBefore = writesOutlook
        ? (lookup.outlook.get(op.link.outlookId) ?? (await contacts.outlook.get(op.link.outlookId)))
        : null;
      const overwritten = {
        ...(crmBefore && changes(crmBefore.item, op.toCrm) ? { crm: crmBefore.item } : {}),
        ...(outlookBefore && changes(outlookBefore.item, op.toOutlook)
          ? { outlook: outlookBefore.item }
          : {}),
      };
      if (op.lost.length > 0 || overwritten.crm || overwritten.outlook) {
        const label = contactLabel(overwritten.outlook ?? overwritten.crm ?? op.link.outlookBase);
        const side = op.lost[0]?.side ?? (overwritten.outlook ? 'outlook' : 'crm');
        await trash(deps, ids, { lost: op.lost, overwritten, label, side });
      }
      // Each write moves only the bases of the fields it carried: if the next write fails, the
      // next run still sees that side's pending change as a change.
      let link: ContactLink = {
        ...op.link,
        outlookBase: withValues(op.link.outlookBase, op.agreed),
        crmBase: withValues(op.link.crmBase, op.agreed),
      };
      await store.commitLink('contacts', link);
      if (Object.keys(op.toCrm).length > 0) {
        const seen = crmBefore;
        if (!seen) throw new SyncError('itemNotFound', 'The CRM contact is gone');
        const updated = await contacts.crm.update(op.link.crmId, withValues(seen.item, op.toCrm), {
          etag: seen.etag,
        });
        const written = normaliseContact(updated.item);
        const fields = Object.keys(op.toCrm) as (keyof ContactItem)[];
        link = {
          ...link,
          crmBase: withValues(link.crmBase, Object.fromEntries(fields.map((f) => [f, written[f]]))),
          outlookBase: withValues(link.outlookBase, op.toCrm),
        };
        await store.commitLink('contacts', link);
      }
      if (Object.keys(op.toOutlook).length > 0) {
        const seen = outlookBefore;
        if (!seen) return; // gone meanwhile: the next run sees the deletion
        const updated = await contacts.outlook.update(
          op.link.outlookId,
          withValues(seen.item, op.toOutlook),
          { etag: seen.etag },
        );
        const written = normaliseContact(updated.item);
        const fields = Object.keys(op.toOutlook) as (keyof ContactItem)[];
        link = {
          ...link,
          outlookBase: withValues(
            link.outlookBase,
            Object.fromEntries(fields.map((f) => [f, written[f]])),
          ),
          crmBase: withValues(link.crmBase, op.toOutlook),
        };
        await store.commitLink('contacts', link);
      }
      return;
    }
    case 'contactArchiveInCrm':
      // The contact as the CRM holds it now (an edit made there since included), else the plan's.
      await trash(deps, op.link, {
        deleted: (await contacts.crm.get(op.link.crmId))?.item ?? op.item,
        label: contactLabel(op.item),
        side: 'crm',
      });
      await contacts.crm.archive(op.link.crmId);
      await store.dropLink('contacts', op.link.outlookId);
      return;
    case 'contactDeleteInOutlook':
      await trash(deps, op, { deleted: op.item, label: contactLabel(op.item), side: 'outlook' });
      await contacts.outlook.delete(op.outlookId);
      if (op.linked) await store.dropLink('contacts', op.outlookId);
      return;
    case 'contactUnlink':
      await store.dropLink('contacts', op.link.outlookId);
      if (op.reason === 'setAside') {
        await store.setAside(`k:c:${op.link.crmId}`, 'setAside', deps.clock());
      }
      return;
  }
}
