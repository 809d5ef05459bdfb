/**
 * SPEC K3 (M3): the duplicate finder for contacts, and the person's answer — keep one, or merge
 * the others into it. The others are archived in the CRM and their Outlook copies deleted, each
 * into the trash first (D4); a merge fills the kept contact's empty fields from them. The next
 * run carries the kept contact's new fields to its Outlook copy like any CRM edit.
 */
import { findDuplicates, mergeInto, type DuplicateGroup } from '../../core/contacts/duplicates';
import { contactLabel, normaliseContact } from '../../core/contacts/model';
import { SyncError } from '../../core/errors';
import type { CrmContact } from '../../ports';
import type { ContactDeps, EngineDeps } from '../context';

/** The groups among the CRM's live contacts (same e-mail, or same name and customer). */
export async function findContactDuplicates(contacts: ContactDeps): Promise<{
  readonly groups: readonly DuplicateGroup[];
  readonly byId: ReadonlyMap<string, CrmContact>;
}> {
  const all = (await contacts.crm.changes(null)).changed.filter((c) => !c.archived);
  const groups = findDuplicates(
    all.map((c) => ({ id: c.id, item: c.item, company: c.customerId })),
  );
  return { groups, byId: new Map(all.map((c) => [c.id, c])) };
}

export async function resolveDuplicates(
  deps: EngineDeps,
  contacts: ContactDeps,
  answer: {
    readonly keepId: string;
    readonly otherIds: readonly string[];
    readonly merge: boolean;
  },
): Promise<CrmContact> {
  const keep = await contacts.crm.get(answer.keepId);
  if (!keep) throw new SyncError('itemNotFound', 'The contact to keep is gone');
  const others = (await Promise.all(answer.otherIds.map((id) => contacts.crm.get(id)))).filter(
    (c): c is CrmContact => c !== null && c.id !== keep.id,
  );
  let kept = keep;
  if (answer.merge) {
    const merged = mergeInto(
      keep.item,
      others.map((o) => o.item),
    );
    if (JSON.stringify(merged) !== JSON.stringify(normaliseContact(keep.item))) {
      kept = await contacts.crm.update(keep.id, merged, { etag: keep.etag });
    }
  }
  for (const other of others) {
    const link = await deps.store.linkByCrmId('contacts', other.id);
    const label = contactLabel(other.item);
    await deps.store.addTrash({
      at: deps.clock(),
      outlookId: link?.outlookId ?? '',
      crmId: other.id,
      lost: { field: 'subject', side: 'crm', value: label },
      contact: { deleted: other.item },
    });
    await contacts.crm.archive(other.id);
    if (link) {
      await contacts.outlook.delete(link.outlookId);
      await deps.store.dropLink('contacts', link.outlookId);
    }
  }
  return kept;
}
