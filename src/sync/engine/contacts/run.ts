/**
 * The contact step of a run (SPEC K1, K2): after the calendar's, under the same lock and lease,
 * with the same outbox, trash, records, quarantine and brake. Contact keys are `k:o:<id>` and
 * `k:c:<id>` in the shared tables, so one item's failure is set aside after three runs (E4)
 * exactly as an activity's.
 */
import { SyncError } from '../../core/errors';
import { planContacts } from '../../core/contacts/plan';
import type { ContactOperation } from '../../core/contacts/types';
import type { Brake } from '../../core/plan/types';
import type { Operation } from '../../core/plan/types';
import { noteFailure, noteSuccess, quarantinedKeys, recordSync } from '../../store/records';
import type { PendingRow, RunRow } from '../../store/schema';
import type { ContactDeps, EngineDeps } from '../context';
import { applyContactOperation, contactItemKey, replayContactOutbox } from './apply';
import { gatherContacts } from './gather';

export interface ContactStepOptions {
  readonly full: boolean;
  readonly massDeleteConfirmed: boolean;
  /** SPEC K1: CRM contact people of the activities this run found linked. */
  readonly activityContactIds: ReadonlySet<string>;
  readonly ensureLease: () => Promise<void>;
  readonly stopsTheRun: (error: unknown) => boolean;
}

/** The records speak the calendar's words, so the item and status views need nothing new. */
const RECORDED_AS: Record<ContactOperation['op'], Operation['op']> = {
  contactLink: 'link',
  contactCreateInCrm: 'createInCrm',
  contactCreateInOutlook: 'createInOutlook',
  contactUpdate: 'updateCrm',
  contactArchiveInCrm: 'cancelInCrm',
  contactDeleteInOutlook: 'deleteInOutlook',
  contactUnlink: 'unlink',
};

function pendingOf(op: ContactOperation): PendingRow {
  const itemKey = contactItemKey(op);
  switch (op.op) {
    case 'contactCreateInCrm':
      return { itemKey, outlookId: op.outlook.id };
    case 'contactCreateInOutlook':
      return { itemKey, crmId: op.crm.id };
    case 'contactLink':
      return { itemKey, outlookId: op.outlook.id, crmId: op.crm.id };
    case 'contactDeleteInOutlook':
      return { itemKey, outlookId: op.outlookId, crmId: op.crmId };
    default:
      return { itemKey, outlookId: op.link.outlookId, crmId: op.link.crmId };
  }
}

/** Runs the contact step; returns the brake when it stopped to ask (SPEC D3). */
export async function syncContacts(
  deps: EngineDeps,
  contacts: ContactDeps,
  run: RunRow,
  options: ContactStepOptions,
): Promise<{ readonly brake: Brake | null }> {
  const { db } = deps;
  const settings = contacts.settings;
  if (settings.mode === 'off' && !settings.addActivityContacts) return { brake: null };
  const failed = async (itemKey: string, error: unknown, drop?: () => Promise<void>) => {
    if (options.stopsTheRun(error)) throw error;
    const { code, kind } = error as SyncError;
    run.failures.push({ itemKey, code });
    if (kind !== 'conflict' && (await noteFailure(db, itemKey, code, deps.clock())) && drop) {
      await drop();
    }
  };

  const hasIntents =
    (await db.outbox.filter((r) => r.operation.op.startsWith('contact')).count()) > 0;
  if (hasIntents) {
    await options.ensureLease();
    const folderId = (await db.cursors.get('outlookContactFolder'))?.value;
    if (folderId) await replayContactOutbox(deps, contacts, folderId, failed);
  }
  const g = await gatherContacts(deps, contacts, options.full, options.activityContactIds);
  const quarantined = await quarantinedKeys(db);
  const setAside = new Set(
    [...quarantined].filter((k) => k.startsWith('k:c:')).map((k) => k.slice('k:c:'.length)),
  );
  const { operations, brake } = planContacts(
    {
      links: await db.contactLinks.toArray(),
      outlookChanged: g.outlookChanged.filter((c) => !quarantined.has(`k:o:${c.id}`)),
      outlookDeleted: g.outlookDeleted,
      crmChanged: g.crmChanged,
      crmDeleted: g.crmDeleted,
      outlookIsFullListing: g.outlookIsFullListing,
      crmIsFullListing: g.crmIsFullListing,
      activityContactIds: options.activityContactIds,
      setAside,
      massDeleteConfirmed: options.massDeleteConfirmed,
    },
    settings,
  );
  if (operations.length > 0) await options.ensureLease();
  const lookup = {
    folderId: g.folderId,
    outlook: new Map(g.outlookChanged.map((c) => [c.id, c])),
    crm: new Map(g.crmChanged.map((c) => [c.id, c])),
  };
  const failedItems = new Set<string>();
  for (const op of operations) {
    const itemKey = contactItemKey(op);
    if (failedItems.has(itemKey)) continue;
    try {
      await applyContactOperation(deps, contacts, op, lookup);
      run.counts[op.op] = (run.counts[op.op] ?? 0) + 1;
      await recordSync(db, { itemKey, at: deps.clock(), op: RECORDED_AS[op.op], outcome: 'ok' });
      await noteSuccess(db, itemKey);
      await db.contactPending.delete(itemKey);
    } catch (error) {
      failedItems.add(itemKey);
      const row = pendingOf(op);
      await db.contactPending.put(row);
      const code = error instanceof SyncError ? error.code : 'serverError';
      await recordSync(db, {
        itemKey,
        at: deps.clock(),
        op: RECORDED_AS[op.op],
        outcome: 'failed',
        code,
      });
      await failed(itemKey, error);
    }
  }
  if (brake) return { brake };
  // Cursors move only after everything they cover was applied.
  await db.cursors.put({ name: 'crmContactChanges', value: g.crm.cursor });
  await db.cursors.put({ name: 'outlookContactsDelta', value: g.outlook.deltaLink });
  return { brake: null };
}
