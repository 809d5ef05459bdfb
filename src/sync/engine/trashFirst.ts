/**
 * What sync deletes or overwrites in Outlook goes to the trash first (SPEC D4; issue 12, item 2):
 * the engine's deletions and the pre-image of a CRM-side edit written onto an Outlook event.
 */
import { stableStringify } from '../core/hash';
import type { SyncedField } from '../core/merge';
import type { CalendarItem } from '../core/model';
import type { EngineDeps } from './context';

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
export async function trashPreImage(
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
