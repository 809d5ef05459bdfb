/**
 * Linked pairs: a change on either side is merged field by field against the base; a deletion
 * follows SPEC D1 (Outlook delete → CRM cancel, or remove-me for a participant) and D2 (CRM
 * delete → Outlook delete); type filters for edits and deletions (T2) and completed activities
 * (X1) hold changes back. A direction with no types is off: its target side is read-only, and
 * what the filter holds keeps its difference from the base until it may sync (issue 15).
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

/**
 * SPEC D1, D2 with T2: a deletion syncs only where its direction's "edit / delete" types allow
 * it. Otherwise it is held (issue 15): the link stays, so the deletion is found again — by the
 * full listing a change of the filters starts (engine/calendarKind.ts) — and syncs once allowed.
 * Dropping the link, as before, left the other side's copy an orphan whose stamp later made a run
 * delete or cancel it on a side that was read-only.
 */
export function planDeletion(
  link: Link,
  gone: { outlook: boolean; crm: boolean },
  settings: SyncSettings,
  excluded: Exclusion[],
): Operation[] {
  if (gone.outlook && gone.crm) return [{ op: 'unlink', link, reason: 'deletedOnBothSides' }];
  if (gone.outlook) {
    if (!typeAllowed(settings.outlookToCrm.editTypes, link.crmTypeId)) {
      excluded.push({ side: 'outlook', id: link.outlookId, reason: 'typeNotSynced' });
      return [];
    }
    return [link.isOwner ? { op: 'cancelInCrm', link } : { op: 'removeMeInCrm', link }];
  }
  if (!typeAllowed(settings.crmToOutlook.editTypes, link.crmTypeId)) {
    excluded.push({ side: 'crm', id: link.crmId, reason: 'typeNotSynced' });
    return [];
  }
  return [{ op: 'deleteInOutlook', link }];
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
  // Issue 15: an edit a type filter excludes is held, not swallowed — its side's base stays.
  const held = { outlook: false, crm: false };
  if (crmEdited && !typeAllowed(settings.crmToOutlook.editTypes, typeId)) {
    excluded.push({ side: 'crm', id: link.crmId, reason: 'typeNotSynced' }); // SPEC T2
    crmEdited = false;
    held.crm = true;
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
    held.outlook = true;
  }
  const hold = held.outlook || held.crm ? { held } : {};
  if (outlookEdited && !link.isOwner) {
    excluded.push({ side: 'outlook', id: link.outlookId, reason: 'notOwner' }); // SPEC F3
    outlookEdited = false;
  }
  if (!outlookEdited && !crmEdited) return [{ op: 'rebase', link, ...hold }];

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
  // Issue 15: a held edit meets an edit of the same field that may sync: the one that may sync
  // is written, the held value goes to the trash first (D4). Outlook's pre-image is kept by the
  // write itself (engine/trashFirst.ts); the CRM's is kept here.
  if (held.crm && result.toCrm.length > 0) {
    const heldFields = new Set(differingFields(crmSeen, link.crmBase));
    for (const field of result.toCrm.filter((f) => heldFields.has(f))) {
      ops.push({ op: 'trash', link, lost: { field, side: 'crm', value: crmSeen[field] } });
    }
  }
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
    ops.push({ op: 'updateCrm', link, item, fields: result.toCrm, final, ...hold });
  }
  if (toOutlook.length > 0) {
    const item = { ...crmNow, recurrence: result.recurrence.outlook };
    ops.push({ op: 'updateOutlook', link, item, fields: toOutlook, final: true, ...hold });
  }
  if (result.toCrm.length === 0 && toOutlook.length === 0)
    ops.push({ op: 'rebase', link, ...hold });
  return ops;
}
