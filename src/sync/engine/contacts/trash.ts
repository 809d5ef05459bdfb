/**
 * What a contact write keeps (SPEC D4; issue 14, item 4): the trash row of a contact, and which
 * fields a write changes. Shared by the contact creates (create.ts) and the other writes (apply.ts).
 */
import { normaliseContact, type ContactItem } from '../../core/contacts/model';
import type { ContactLost } from '../../core/contacts/types';
import type { EngineDeps } from '../context';

export async function trash(
  deps: EngineDeps,
  ids: { readonly outlookId: string; readonly crmId: string },
  entry: {
    readonly lost?: readonly ContactLost[];
    readonly deleted?: ContactItem;
    readonly overwritten?: { readonly outlook?: ContactItem; readonly crm?: ContactItem };
    readonly label: string;
    readonly side: 'outlook' | 'crm';
  },
): Promise<void> {
  const first = entry.lost?.[0];
  await deps.store.addTrash({
    at: deps.clock(),
    outlookId: ids.outlookId,
    crmId: ids.crmId,
    // Lists made for activities show the contact's name (schema.ts TrashRow.contact).
    lost: { field: 'subject', side: entry.side, value: entry.label },
    contact: {
      ...(first ? { lost: first } : {}),
      ...(entry.lost && entry.lost.length > 1 ? { lostAll: entry.lost } : {}),
      ...(entry.deleted ? { deleted: entry.deleted } : {}),
      ...(entry.overwritten ? { overwritten: entry.overwritten } : {}),
    },
  });
}

/** Whether writing `values` over `item` changes any field (an overwrite to keep). */
export function changes(item: ContactItem, values: Partial<ContactItem>): boolean {
  const now = normaliseContact(item);
  const next = withValues(item, values);
  return (Object.keys(values) as (keyof ContactItem)[]).some((f) => now[f] !== next[f]);
}

export function withValues(item: ContactItem, values: Partial<ContactItem>): ContactItem {
  return normaliseContact({ ...item, ...values });
}
