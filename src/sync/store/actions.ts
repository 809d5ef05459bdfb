/**
 * What the person can do from the Status view (SPEC D4, E2, E4), as changes to the store that the
 * next run carries out: the pane never writes to Outlook or the CRM itself, and a run holds the
 * lock and the lease while it does.
 */
import type { Instant } from '../core/model';
import type { PendingRow, SyncDb } from './schema';

/** Item keys are `o:<Outlook event id>` or `c:<CRM activity id>` (engine/run.ts). */
function pendingFor(itemKey: string): PendingRow {
  const id = itemKey.slice(2);
  return itemKey.startsWith('c:') ? { itemKey, crmId: id } : { itemKey, outlookId: id };
}

/**
 * SPEC E4 "retry": the item leaves the quarantine and the next run reads it again by id. Its
 * change is behind the cursors by now, so without the pending row it would wait for its next edit.
 */
export async function retryItem(db: SyncDb, itemKey: string): Promise<void> {
  await db.transaction('rw', db.quarantine, db.pending, async () => {
    await db.quarantine.delete(itemKey);
    if ((await db.pending.get(itemKey)) === undefined) await db.pending.put(pendingFor(itemKey));
  });
}

/**
 * SPEC E2 "unlink": stop syncing this item; both copies stay as they are. The link alone is not
 * enough — the stamps on the items would relink them at the next run (SPEC M2) — so both keys are
 * set aside for good (the run leaves quarantined items out of the plan) until the person retries.
 */
export async function unlinkItem(db: SyncDb, itemKey: string, at: Instant): Promise<void> {
  await db.transaction('rw', [db.links, db.pending, db.outbox, db.quarantine], async () => {
    const id = itemKey.slice(2);
    const link = itemKey.startsWith('c:')
      ? await db.links.where('crmId').equals(id).first()
      : await db.links.get(id);
    const keys = new Set([itemKey]);
    if (link) {
      keys.add(`o:${link.outlookId}`);
      keys.add(`c:${link.crmId}`);
      await db.links.delete(link.outlookId);
    }
    const ids = new Set([...keys].map((key) => key.slice(2)));
    for (const row of await db.outbox.toArray()) {
      const op = row.operation;
      const source =
        op.op === 'createInCrm' ? op.outlook.id : op.op === 'createInOutlook' ? op.crm.id : null;
      if (source !== null && ids.has(source)) await db.outbox.delete(row.key);
    }
    for (const key of keys) {
      const before = await db.quarantine.get(key);
      await db.pending.delete(key);
      await db.quarantine.put({
        itemKey: key,
        failures: before?.failures ?? 0,
        lastCode: before?.lastCode ?? 'unlinked',
        since: at,
        quarantined: true,
        unlinkedAt: at,
      });
    }
  });
}

/**
 * SPEC D4 "undone": asks the next run to write the trashed value (or the deleted item) back. A
 * failed restore may be asked for again.
 * @returns false when the row is gone or already restored.
 */
export async function requestRestore(db: SyncDb, trashId: number, at: Instant): Promise<boolean> {
  return db.transaction('rw', db.trash, async () => {
    const row = await db.trash.get(trashId);
    if (!row || row.restore?.state === 'done' || row.restore?.state === 'requested') return false;
    const restore = { state: 'requested', requestedAt: at } as const;
    await db.trash.update(trashId, { restore, restoreState: restore.state });
    return true;
  });
}
