/**
 * SPEC M3: finding duplicate appointments and acting on the person's answer. Keeping one deletes
 * the others on their side — an Outlook event into the trash first (D4), a CRM activity
 * cancelled (it stays in the CRM, D1) — and merging first fills the kept one from them. Nothing
 * else is touched here: at the next run a deleted duplicate that was linked takes its partner on
 * the other side with it (D1, D2), which is what removes a duplicated pair from both sides.
 */
import { SyncError } from '../core/errors';
import type { CalendarItem } from '../core/model';
import { normaliseItem } from '../core/normalise';
import {
  findAppointmentDuplicates,
  mergeDuplicates,
  type DuplicateGroup,
} from '../core/plan/duplicates';
import { readWindow, windowFor } from '../core/window';
import { itemHash } from '../core/hash';
import { trashAndDelete } from './trashFirst';
import type { CrmActivity, OutlookEvent } from '../ports';
import type { EngineDeps } from './context';

/** Reads both sides in the sync window and returns the groups of duplicates. */
export async function findDuplicates(deps: EngineDeps): Promise<DuplicateGroup[]> {
  const { settings } = deps;
  const now = deps.clock();
  const window = readWindow(
    windowFor(settings.outlookToCrm, now, settings.timeZone),
    windowFor(settings.crmToOutlook, now, settings.timeZone),
  );
  const [outlook, crm] = await Promise.all([
    deps.outlook.changes(deps.calendarId, window, null),
    deps.crm.listWindow(window),
  ]);
  return findAppointmentDuplicates(outlook.changed, crm);
}

export interface DuplicateAnswer {
  readonly side: 'outlook' | 'crm';
  readonly keepId: string;
  readonly otherIds: readonly string[];
  readonly merge: boolean;
}

/** Applies the person's answer for one group; returns the kept item as it now is. */
export async function resolveDuplicates(
  deps: EngineDeps,
  answer: DuplicateAnswer,
): Promise<CalendarItem> {
  const others = answer.otherIds.filter((id) => id !== answer.keepId);
  if (answer.side === 'outlook') {
    const keep = await deps.outlook.get(answer.keepId);
    if (!keep) throw new SyncError('itemNotFound', 'The appointment to keep is gone');
    const gone = (await Promise.all(others.map((id) => deps.outlook.get(id)))).filter(
      (e): e is OutlookEvent => e !== null,
    );
    let kept = keep.item;
    if (answer.merge) {
      const merged = mergeDuplicates(
        keep.item,
        gone.map((e) => e.item),
      );
      if (itemHash(merged) !== itemHash(keep.item)) {
        kept = (await deps.outlook.update(keep.id, merged, { etag: keep.etag })).item;
      }
    }
    for (const event of gone) {
      await trashAndDelete(deps, { outlookId: event.id, crmId: event.crmId ?? '' }, event.item);
    }
    return kept;
  }
  // Issue 16: one bulk read where the CRM offers it; any failure fails the action, as before.
  const ids = [answer.keepId, ...others];
  const read = deps.crm.getMany
    ? (await deps.crm.getMany(ids)).map((o) => {
        if (!o.ok) throw o.error;
        return o.value;
      })
    : await Promise.all(ids.map((id) => deps.crm.get(id)));
  const [keep, ...rest] = read;
  if (!keep) throw new SyncError('itemNotFound', 'The activity to keep is gone');
  const gone = rest.filter((a): a is CrmActivity => a !== null && !a.cancelled);
  let kept = keep.item;
  if (answer.merge) {
    const merged = mergeDuplicates(
      keep.item,
      gone.map((a) => a.item),
    );
    if (itemHash(merged) !== itemHash(keep.item)) {
      kept = (await deps.crm.update(keep.id, merged, { etag: keep.etag })).item;
    }
  }
  for (const activity of gone) {
    await deps.store.addTrash({
      at: deps.clock(),
      outlookId: '',
      crmId: activity.id,
      lost: { field: 'subject', side: 'crm', value: activity.item.subject },
      deleted: normaliseItem(activity.item),
    });
    await deps.crm.cancel(activity.id);
  }
  return kept;
}
