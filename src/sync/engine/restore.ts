/**
 * SPEC D4 "undone": trash rows the person asked back (store/actions.ts requestRestore) are
 * written at the start of a run, before the gather, so the same run sees them as ordinary edits
 * and carries them to the other side through the plan:
 * - a value that lost a conflict is written back on the side it was made on; the merge then
 *   finds that side edited and copies it over; the same for what a CRM-side edit overwrote in
 *   Outlook (the fields of the pre-image the row keeps);
 * - an Outlook item that sync deleted comes back as a new, unstamped Outlook event, which the plan
 *   copies to the CRM like any new item (its CRM activity is gone).
 */
import { SyncError } from '../core/errors';
import type { CalendarItem } from '../core/model';
import { type LostValue, withFields } from '../core/merge';
import type { TrashRow } from '../store/rows';
import type { EngineDeps } from './context';
import { codeOf } from './failures';

function withValue(item: CalendarItem, lost: LostValue): CalendarItem {
  return Object.assign({}, item, { [lost.field]: lost.value });
}

function gone(what: string): SyncError {
  return new SyncError('itemNotFound', `The item to restore ${what} is gone`);
}

async function restoreValue(deps: EngineDeps, row: TrashRow): Promise<void> {
  const link = await deps.store.linkByOutlookId('calendar', row.outlookId);
  // Unlinked or relinked since: there is no pair whose merge could carry the value.
  if (!link || link.crmId !== row.crmId) throw gone('pair');
  if (row.lost.side === 'outlook') {
    const event = await deps.outlook.get(row.outlookId);
    if (!event) throw gone('Outlook event');
    // A pre-image (trashFirst.ts trashPreImage): every field the overwrite replaced goes back.
    const restored = row.overwritten
      ? withFields(event.item, row.overwritten.item, row.overwritten.fields)
      : withValue(event.item, row.lost);
    await deps.outlook.update(row.outlookId, restored, { etag: event.etag });
  } else {
    const activity = await deps.crm.get(row.crmId);
    if (!activity) throw gone('CRM activity');
    await deps.crm.update(row.crmId, withValue(activity.item, row.lost), {
      etag: activity.etag,
    });
  }
}

async function restoreDeleted(deps: EngineDeps, row: TrashRow, item: CalendarItem) {
  // The create must carry a stamp (the port's contract); the old one names an activity that is
  // gone, so it is taken off at once. The transaction id makes a replay after a crash return the
  // same event instead of a second copy.
  const created = await deps.outlook.create(
    deps.calendarId,
    { ...item, occurrenceOf: null, isCancelled: false },
    { transactionId: `restore-${row.id ?? row.at}`, crmId: row.crmId },
  );
  await deps.outlook.stamp(created.id, null);
}

/**
 * Writes every requested restore. A failure of one item marks that row `failed` (with the code the
 * pane shows) and the rest go on; a failure of a whole side is thrown for the run to end on, and
 * the requests stay for the next run.
 * @returns the item failures, for the run's history.
 */
export async function applyRestores(
  deps: EngineDeps,
  stopsTheRun: (error: unknown) => boolean,
): Promise<{ itemKey: string; code: string }[]> {
  const failures: { itemKey: string; code: string }[] = [];
  const rows = await deps.store.requestedRestores();
  for (const row of rows) {
    if (row.id === undefined || row.restore === undefined) continue;
    const { requestedAt } = row.restore;
    try {
      if (row.deleted) await restoreDeleted(deps, row, row.deleted);
      else await restoreValue(deps, row);
      await deps.store.setRestore(row.id, { state: 'done', requestedAt, at: deps.clock() });
    } catch (error) {
      if (stopsTheRun(error)) throw error;
      // A lost race leaves the request for the next run, which reads the item afresh.
      if (error instanceof SyncError && error.kind === 'conflict') continue;
      const code = codeOf(error);
      failures.push({ itemKey: `o:${row.outlookId}`, code });
      await deps.store.setRestore(row.id, {
        state: 'failed',
        requestedAt,
        at: deps.clock(),
        code,
      });
    }
  }
  return failures;
}
