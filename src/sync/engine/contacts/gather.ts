/**
 * Gathering contacts (SPEC K2): the calendar's gather (../gather.ts) for the second kind. A
 * `@removed` is confirmed with a read, every stamp is resolved to its partner, K1's contacts of
 * synced activities are read by id, deletions after a full listing come as absences confirmed by
 * a 404, and contacts whose last write failed are read again.
 */
import { SyncError } from '../../core/errors';
import type {
  CrmContact,
  CrmContactChanges,
  OutlookContact,
  OutlookContactChanges,
} from '../../ports';
import { isCrmId } from '../../core/plan/matching';
import type { ContactDeps, EngineDeps } from '../context';

export interface ContactGather {
  readonly folderId: string;
  readonly outlook: OutlookContactChanges;
  readonly crm: CrmContactChanges;
  /** Issue 14: CRM contacts the feed or a read could not read: set aside, never taken as gone. */
  readonly crmUnreadable: readonly string[];
  readonly outlookChanged: OutlookContact[];
  readonly crmChanged: CrmContact[];
  readonly outlookDeleted: string[];
  readonly crmDeleted: string[];
  readonly outlookIsFullListing: boolean;
  readonly crmIsFullListing: boolean;
}

const isResync = (error: unknown) => error instanceof SyncError && error.kind === 'resyncRequired';

/** The product's contact folder: created on first use, its id kept with the cursors. */
export async function contactFolder(deps: EngineDeps, contacts: ContactDeps): Promise<string> {
  const stored = await deps.store.cursor('outlookContactFolder');
  if (stored) return stored.value;
  const id = await contacts.outlook.ensureFolder(contacts.folderName);
  await deps.store.putCursor({ name: 'outlookContactFolder', value: id });
  return id;
}

export async function gatherContacts(
  deps: EngineDeps,
  contacts: ContactDeps,
  full: boolean,
  activityContactIds: ReadonlySet<string>,
): Promise<ContactGather> {
  const { store } = deps;
  let folderId = await contactFolder(deps, contacts);
  let deltaLink = full ? null : ((await store.cursor('outlookContactsDelta'))?.value ?? null);
  let outlook: OutlookContactChanges;
  try {
    outlook = await contacts.outlook.changes(folderId, deltaLink);
  } catch (error) {
    if (error instanceof SyncError && error.kind === 'notFound') {
      // The person deleted our folder: make it again and read it whole.
      await store.dropCursor('outlookContactFolder');
      folderId = await contactFolder(deps, contacts);
    } else if (!isResync(error)) throw error;
    deltaLink = null;
    outlook = await contacts.outlook.changes(folderId, null);
  }
  let cursor = full ? null : ((await store.cursor('crmContactChanges'))?.value ?? null);
  let crm: CrmContactChanges;
  try {
    crm = await contacts.crm.changes(cursor);
  } catch (error) {
    if (!isResync(error)) throw error;
    cursor = null;
    crm = await contacts.crm.changes(null);
  }

  const links = await store.links('contacts');
  const linkedOutlook = new Set(links.map((l) => l.outlookId));
  const linkedCrm = new Set(links.map((l) => l.crmId));
  const outlookChanged = [...outlook.changed];
  const crmChanged = [...crm.changed];
  const outlookIds = new Set(outlookChanged.map((c) => c.id));
  const crmIds = new Set(crmChanged.map((c) => c.id));
  const outlookDeleted: string[] = [];
  const crmDeleted = [...crm.deleted];
  for (const id of outlook.removed) {
    if (!outlookIds.has(id) && (await contacts.outlook.get(id)) === null) outlookDeleted.push(id);
  }
  const crmUnreadable = new Set(crm.unreadable ?? []);
  const readCrm = async (id: string) => {
    if (crmIds.has(id) || crmDeleted.includes(id) || crmUnreadable.has(id)) return;
    // Issue 15, item 4: a stamp that cannot be a CRM id is never asked for (the CRM refuses it,
    // 400): it names no contact, and its Outlook contact waits as an unresolved stamp.
    if (!isCrmId(id)) return;
    crmIds.add(id);
    let contact;
    try {
      contact = await contacts.crm.get(id);
    } catch (error) {
      // One contact outside the contract (or one the mapping throws on) is that contact's.
      if (error instanceof SyncError && error.kind !== 'invalidData') throw error;
      crmUnreadable.add(id);
      return;
    }
    if (contact) crmChanged.push(contact);
    else crmDeleted.push(id);
  };
  // Every stamp resolved, so relinking never falls back to creating (SPEC M2).
  for (const c of outlook.changed) {
    // An unlinked contact stamped with a linked CRM contact may be that pair's contact under a
    // new id (issue 15, item 4): the CRM contact is read so that the plan can relink it.
    if (c.crmId !== null && (!linkedCrm.has(c.crmId) || !linkedOutlook.has(c.id))) {
      await readCrm(c.crmId);
    }
  }
  // Issue 15, item 3: a stored pair whose row could not be read is repaired from the stamp of
  // its Outlook contact: both read, the plan relinks them by stamp (SPEC M2). A pair whose
  // Outlook contact is gone leaves nothing to repair from, and its row goes.
  for (const pair of await store.linksToRepair('contacts')) {
    const known = outlookChanged.find((c) => c.id === pair.outlookId);
    const contact = known ?? (await contacts.outlook.get(pair.outlookId));
    if (!contact) {
      await store.dropLink('contacts', pair.outlookId);
      continue;
    }
    if (!known) {
      outlookChanged.push(contact);
      outlookIds.add(contact.id);
    }
    if (contact.crmId !== null) await readCrm(contact.crmId);
  }
  // SPEC K1: the contact people of synced activities, read by id when the feed did not bring them.
  for (const id of activityContactIds) if (!linkedCrm.has(id)) await readCrm(id);
  if (deltaLink === null) {
    for (const link of links) {
      if (outlookIds.has(link.outlookId) || outlookDeleted.includes(link.outlookId)) continue;
      if ((await contacts.outlook.get(link.outlookId)) === null)
        outlookDeleted.push(link.outlookId);
    }
  }
  if (cursor === null) {
    for (const link of links) {
      if (crmIds.has(link.crmId) || crmDeleted.includes(link.crmId)) continue;
      await readCrm(link.crmId);
    }
  }
  for (const row of await store.pending('contacts')) {
    if (row.outlookId && !outlookIds.has(row.outlookId)) {
      outlookIds.add(row.outlookId);
      const contact = await contacts.outlook.get(row.outlookId);
      if (contact) outlookChanged.push(contact);
      else if (linkedOutlook.has(row.outlookId) && !outlookDeleted.includes(row.outlookId)) {
        outlookDeleted.push(row.outlookId);
      }
    }
    if (row.crmId) await readCrm(row.crmId);
  }
  return {
    folderId,
    outlook,
    crm,
    crmUnreadable: [...crmUnreadable],
    outlookChanged,
    crmChanged,
    outlookDeleted,
    crmDeleted,
    outlookIsFullListing: deltaLink === null,
    crmIsFullListing: cursor === null,
  };
}
