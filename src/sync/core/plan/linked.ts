/**
 * Linked pairs: a change on either side is merged field by field against the base; a deletion
 * follows SPEC D1 (Outlook delete → CRM cancel, or remove-me for a participant) and D2 (CRM
 * delete → Outlook delete); type filters for edits and deletions (T2) and completed activities
 * (X1) hold changes back.
 */
import type { CrmActivity, OutlookEvent } from '../sides';
import { itemHash, stableStringify } from '../hash';
import { mergeItems, SYNCED_FIELDS, type SyncedField } from '../merge';
import type { CalendarItem } from '../model';
import { normaliseItem } from '../normalise';
import { typeAllowed, type SyncSettings } from '../settings';
import { withZoneOf } from '../time/windowsZone';
import { attendeesOverCap, crmView, writableInOutlook } from './privacy';
import { outlookCannotHold } from './series';
import type { Exclusion, Link, Operation } from './types';

/** What only a meeting's organizer may change (Graph event-update.md; issue 12, item 6). */
const ORGANIZER_ONLY: ReadonlySet<SyncedField> = new Set(['time', 'participants', 'recurrence']);

export function differingFields(a: CalendarItem, b: CalendarItem): SyncedField[] {
  const [na, nb] = [normaliseItem(a), normaliseItem(b)];
  return SYNCED_FIELDS.filter((f) => stableStringify(na[f]) !== stableStringify(nb[f]));
}

export function planDeletion(
  link: Link,
  gone: { outlook: boolean; crm: boolean },
  settings: SyncSettings,
): Operation {
  if (gone.outlook && gone.crm) return { op: 'unlink', link, reason: 'deletedOnBothSides' };
  if (gone.outlook) {
    if (!typeAllowed(settings.outlookToCrm.editTypes, link.crmTypeId)) {
      return { op: 'unlink', link, reason: 'typeNotSynced' };
    }
    return link.isOwner ? { op: 'cancelInCrm', link } : { op: 'removeMeInCrm', link };
  }
  if (!typeAllowed(settings.crmToOutlook.editTypes, link.crmTypeId)) {
    return { op: 'unlink', link, reason: 'typeNotSynced' };
  }
  return { op: 'deleteInOutlook', link };
}

export function planLinkedChange(
  link: Link,
  outlook: OutlookEvent | undefined,
  crm: CrmActivity | undefined,
  settings: SyncSettings,
  excluded: Exclusion[],
): Operation[] {
  const typeId = crm?.crm.typeId ?? link.crmTypeId;
  // Outlook names a zone off Graph's list by its Windows zone: the same rules are no edit.
  const outlookSeen = outlook
    ? withZoneOf(crmView(outlook.item, settings), link.outlookBase)
    : link.outlookBase;
  const crmSeen = crm ? crm.item : link.crmBase;
  let outlookEdited = itemHash(outlookSeen) !== itemHash(link.outlookBase);
  let crmEdited = itemHash(crmSeen) !== itemHash(link.crmBase);
  if (crmEdited && crm?.crm.completed) {
    excluded.push({ side: 'crm', id: link.crmId, reason: 'completedInCrm' }); // SPEC X1
    crmEdited = false;
  }
  if (crmEdited && !typeAllowed(settings.crmToOutlook.editTypes, typeId)) {
    excluded.push({ side: 'crm', id: link.crmId, reason: 'typeNotSynced' }); // SPEC T2
    crmEdited = false;
  }
  const cannot = crmEdited ? outlookCannotHold(crmSeen) : null;
  if (cannot) {
    excluded.push({
      side: 'crm',
      id: link.crmId,
      reason: 'recurrenceNotSupported',
      detail: cannot,
    });
    crmEdited = false;
  }
  if (outlookEdited && !typeAllowed(settings.outlookToCrm.editTypes, typeId)) {
    excluded.push({ side: 'outlook', id: link.outlookId, reason: 'typeNotSynced' });
    outlookEdited = false;
  }
  if (outlookEdited && !link.isOwner) {
    excluded.push({ side: 'outlook', id: link.outlookId, reason: 'notOwner' }); // SPEC F3
    outlookEdited = false;
  }
  if (!outlookEdited && !crmEdited) return [{ op: 'rebase', link }];

  const outlookNow = outlookEdited ? outlookSeen : link.outlookBase;
  const crmNow = crmEdited ? crmSeen : link.crmBase;
  const result = mergeItems({
    outlookBase: link.outlookBase,
    crmBase: link.crmBase,
    outlook: outlookNow,
    crm: crmNow,
    outlookModified: outlook?.lastModified ?? '',
    crmModified: crm?.lastModified ?? '',
    policy: settings.conflictPolicy,
  });
  const ops: Operation[] = result.lost.map((lost) => ({ op: 'trash', link, lost }));
  let toOutlook = writableInOutlook(result.toOutlook, outlook?.item ?? outlookNow, settings);
  // Issue 12, item 3: a participant's copy carries no attendees (its owner's engine invites).
  if (!link.isOwner) toOutlook = toOutlook.filter((f) => f !== 'participants');
  // Issue 12, item 6: a meeting someone else organises is read-only for times, attendees and
  // recurrence; a CRM edit of those is set aside with its reason, the other fields still sync.
  if (outlook && !outlook.isOrganizer) {
    const blocked = toOutlook.filter((f) => ORGANIZER_ONLY.has(f));
    if (blocked.length > 0) {
      excluded.push({ side: 'crm', id: link.crmId, reason: 'organisedByOthers', detail: blocked });
      toOutlook = toOutlook.filter((f) => !ORGANIZER_ONLY.has(f));
    }
  }
  if (result.toCrm.length > 0) {
    const note =
      outlook && result.toCrm.includes('participants') ? attendeesOverCap(outlook, settings) : null;
    if (note) excluded.push(note);
    const final = toOutlook.length === 0;
    const item = { ...outlookNow, recurrence: result.recurrence.crm };
    ops.push({ op: 'updateCrm', link, item, fields: result.toCrm, final });
  }
  if (toOutlook.length > 0) {
    const item = { ...crmNow, recurrence: result.recurrence.outlook };
    ops.push({ op: 'updateOutlook', link, item, fields: toOutlook, final: true });
  }
  if (result.toCrm.length === 0 && toOutlook.length === 0) ops.push({ op: 'rebase', link });
  return ops;
}
