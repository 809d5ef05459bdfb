/**
 * Contact creates (SPEC K2) through the shared outbox: keys `k-o2c-…` (the CRM's Idempotency-Key)
 * and `k-c2o-…`; the link is written in the transaction that clears the intent, and a replay
 * (engine/kind.ts) finishes what a crashed or failed run left.
 */
import { SyncError } from '../../core/errors';
import { contactLabel, normaliseContact, type ContactItem } from '../../core/contacts/model';
import type { ContactLink, ContactOperation } from '../../core/contacts/types';
import type { OutlookContact } from '../../ports';
import type { OutboxRow } from '../../store/rows';
import type { ContactDeps, EngineDeps } from '../context';
import { changes, trash, withValues } from './trash';

export type ContactCreate = ContactOperation & {
  op: 'contactCreateInCrm' | 'contactCreateInOutlook';
};

const isGone = (error: unknown) => error instanceof SyncError && error.kind === 'notFound';

async function commit(deps: EngineDeps, key: string, link: ContactLink): Promise<void> {
  await deps.store.commitCreate('contacts', key, link);
}

/**
 * Creates; safe to run again for the same intent (outbox replay, `replay` set). Issue 16 item 2:
 * a first attempt reads nothing back — the create's own answer is the contact as it now is.
 */
export async function applyContactCreate(
  deps: EngineDeps,
  contacts: ContactDeps,
  folderId: string,
  op: ContactCreate,
  replay = false,
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
    // A first attempt's answer is the contact it just made: nothing to ask.
    const now = created.archived || !replay ? created : await contacts.crm.get(created.id);
    if (now === null || now.archived) {
      const ids = { outlookId: op.outlook.id, crmId: created.id };
      // What Outlook holds now goes to the trash: an edit made there since the copy included.
      const held = (await contacts.outlook.get(op.outlook.id))?.item ?? op.item;
      await trash(deps, ids, { deleted: held, label: contactLabel(held), side: 'outlook' });
      await contacts.outlook.delete(op.outlook.id);
      await deps.store.dropIntent(op.idempotencyKey);
      return;
    }
    // Another client's copy of the contact this intent made can exist only once the intent was
    // interrupted (withdrawSecondCopy): looked for on a replay only.
    const copy = replay
      ? (await contacts.outlook.findByCrmId(folderId, created.id)).find(
          (c) => c.id !== op.outlook.id,
        )
      : undefined;
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
  // Issue 15: an Outlook → CRM create stored under two-way sync waits while the mode is one-way
  // (the CRM is read-only then); it is finished, not dropped, if two-way comes back.
  if (op.op === 'contactCreateInCrm' && contacts.settings.mode !== 'twoWay') return;
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
  } else {
    // Gone or archived since the intent was stored (SPEC K2: archived in the CRM is deleted in
    // Outlook): nothing to copy — the archive went by in the change feed while the contact had no
    // copy, so no later run would withdraw one made now (random seed 2033886778).
    const source = await contacts.crm.get(op.crm.id);
    if (source === null || source.archived) {
      await deps.store.dropIntent(row.key);
      return;
    }
  }
  await applyContactCreate(deps, contacts, folderId, op, true);
}
