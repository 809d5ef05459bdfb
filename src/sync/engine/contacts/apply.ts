/**
 * Applying the contact plan (SPEC K2) through the calendar's machinery: creates wait in the
 * shared outbox (keys `k-o2c-…`, `k-c2o-…`) and the link is written in the transaction that
 * clears the intent; what sync overwrites or deletes goes to the shared trash first (D4).
 */
import { SyncError } from '../../core/errors';
import { contactLabel, normaliseContact, type ContactItem } from '../../core/contacts/model';
import type { ContactLink, ContactLost, ContactOperation } from '../../core/contacts/types';
import type { CrmContact, OutlookContact } from '../../ports';
import type { OutboxRow } from '../../store/rows';
import type { ContactDeps, EngineDeps } from '../context';
import { createThroughOutbox } from '../kind';

export interface ContactLookup {
  readonly folderId: string;
  readonly outlook: ReadonlyMap<string, OutlookContact>;
  readonly crm: ReadonlyMap<string, CrmContact>;
}

export type ContactCreate = ContactOperation & {
  op: 'contactCreateInCrm' | 'contactCreateInOutlook';
};

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

const isGone = (error: unknown) => error instanceof SyncError && error.kind === 'notFound';

async function trash(
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

async function commit(deps: EngineDeps, key: string, link: ContactLink): Promise<void> {
  await deps.store.commitCreate('contacts', key, link);
}

/** Creates; safe to run again for the same intent (outbox replay). */
export async function applyContactCreate(
  deps: EngineDeps,
  contacts: ContactDeps,
  folderId: string,
  op: ContactCreate,
): Promise<void> {
  if (op.op === 'contactCreateInCrm') {
    const created = await contacts.crm.create(
      { item: op.item, syncToOutlook: true },
      { idempotencyKey: op.idempotencyKey },
    );
    // A replay is answered with the copy this intent made — maybe as it was then (the contract
    // replays the first answer): ask how it is now. Archived or deleted in the CRM since is K2's
    // CRM deletion — the Outlook contact goes too, into the trash first (the model test found a
    // copy linked to an archived contact for good: the feed had already passed the archive).
    const now = created.archived ? created : await contacts.crm.get(created.id);
    if (now === null || now.archived) {
      const ids = { outlookId: op.outlook.id, crmId: created.id };
      // What Outlook holds now goes to the trash: an edit made there since the copy included.
      const held = (await contacts.outlook.get(op.outlook.id))?.item ?? op.item;
      await trash(deps, ids, { deleted: held, label: contactLabel(held), side: 'outlook' });
      await contacts.outlook.delete(op.outlook.id);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    const copy = (await contacts.outlook.findByCrmId(folderId, created.id)).find(
      (c) => c.id !== op.outlook.id,
    );
    if (copy) return withdrawSecondCopy(deps, contacts, op, created.id, copy);
    try {
      await contacts.outlook.stamp(op.outlook.id, created.id);
    } catch (error) {
      if (!isGone(error)) throw error;
      // Deleted in Outlook while it was being copied: K2's Outlook deletion. The copy is
      // withdrawn, its content kept in the trash first (issue 14, item 4).
      const ids = { outlookId: op.outlook.id, crmId: created.id };
      await trash(deps, ids, { deleted: op.item, label: contactLabel(op.item), side: 'crm' });
      await contacts.crm.archive(created.id);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    await commit(deps, op.idempotencyKey, {
      outlookId: op.outlook.id,
      crmId: created.id,
      // Outlook got only a stamp: its base is what we copied, so an edit made meanwhile counts.
      outlookBase: op.item,
      // The CRM's base is what we sent, not what the create answered: a replay of the create
      // answers the contact as it is now, and an edit made in the CRM since would vanish into
      // the base (the model test found it: a phone set in the CRM never reached Outlook).
      crmBase: normaliseContact(op.item),
    });
    return;
  }
  // Graph has no transactionId for contacts: a replay looks for the stamped copy first.
  const existing = (await contacts.outlook.findByCrmId(folderId, op.crm.id))[0];
  const created =
    existing ?? (await contacts.outlook.create(folderId, op.item, { crmId: op.crm.id }));
  await commit(deps, op.key, {
    outlookId: created.id,
    crmId: op.crm.id,
    outlookBase: existing ? op.item : normaliseContact(created.item),
    crmBase: op.item,
  });
}

/**
 * Issue 14 (PROPERTY_SEED=2091532280, two clients): this create's stamp failed, and before it was
 * replayed another client — which has no record of the create — copied the CRM contact it made
 * into Outlook. Stamping the source too would give one CRM contact two Outlook copies for good.
 * The other client has linked its copy, so the copy stays and the source is withdrawn: the edits
 * the person made to the source since it was copied are carried onto the copy (the next run takes
 * them to the CRM), and the source and what the copy held go to the trash first (D4).
 */
async function withdrawSecondCopy(
  deps: EngineDeps,
  contacts: ContactDeps,
  op: ContactCreate & { op: 'contactCreateInCrm' },
  crmId: string,
  copy: OutlookContact,
): Promise<void> {
  const held = (await contacts.outlook.get(op.outlook.id))?.item ?? op.item;
  const now = normaliseContact(held);
  const edited = (Object.keys(now) as (keyof ContactItem)[]).filter((f) => now[f] !== op.item[f]);
  const edits: Partial<ContactItem> = Object.fromEntries(edited.map((f) => [f, now[f]]));
  const overwrites = changes(copy.item, edits);
  await trash(
    deps,
    { outlookId: op.outlook.id, crmId },
    {
      deleted: held,
      ...(overwrites ? { overwritten: { outlook: copy.item } } : {}),
      label: contactLabel(held),
      side: 'outlook',
    },
  );
  if (overwrites) {
    await contacts.outlook.update(copy.id, withValues(copy.item, edits), { etag: copy.etag });
  }
  await contacts.outlook.delete(op.outlook.id);
  await deps.store.dropIntent(op.idempotencyKey);
}

/** Finishes one stored contact create (the run's replay, engine/kind.ts, calls it). */
export async function replayContactIntent(
  deps: EngineDeps,
  contacts: ContactDeps,
  row: OutboxRow,
): Promise<void> {
  const op = row.operation as ContactCreate;
  const folderId = (await deps.store.cursor('outlookContactFolder'))?.value;
  if (!folderId) return; // no folder yet: nothing can have been created in it
  if (op.op === 'contactCreateInCrm') {
    const source = await contacts.outlook.get(op.outlook.id);
    if (source === null || source.crmId !== null) {
      // Gone, or stamped meanwhile (by this client before a crash, or by another).
      const link = source?.crmId
        ? { outlookId: source.id, crmId: source.crmId, outlookBase: op.item, crmBase: op.item }
        : undefined;
      await deps.store.commitReplayed('contacts', row.key, link);
      return;
    }
  } else if ((await contacts.crm.get(op.crm.id)) === null) {
    await deps.store.dropIntent(row.key);
    return;
  }
  await applyContactCreate(deps, contacts, folderId, op);
}

/** Whether writing `values` over `item` changes any field (an overwrite to keep). */
function changes(item: ContactItem, values: Partial<ContactItem>): boolean {
  const now = normaliseContact(item);
  const next = withValues(item, values);
  return (Object.keys(values) as (keyof ContactItem)[]).some((f) => now[f] !== next[f]);
}

function withValues(item: ContactItem, values: Partial<ContactItem>): ContactItem {
  return normaliseContact({ ...item, ...values });
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
