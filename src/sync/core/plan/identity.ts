/**
 * Issue 15, items 3 and 4: identity wins over ids (vdirsyncer's "ident" over "href").
 *
 * - A linked item that reappears under a new id carrying the same stamp — a CRM activity replaced
 *   by a new record with the same Outlook link, an Outlook event re-made with the same CRM stamp —
 *   is the same item: the pair is relinked to the new id, never deleted or cancelled on the
 *   other side.
 * - A stored pair whose row could not be read (store/linkRows.ts: an older shape, snapshots
 *   missing) is repaired from the items: linked again as a pair with no base (like a stamp found
 *   on both sides, SPEC M2), or, where one side is confirmed gone, deleted as a linked pair is.
 * - A stamp that cannot be a CRM id is no id: it is never sent, and only its item is set aside.
 *
 * Pure: the gather has read every item these need (engine/gather.ts).
 */
import type { CrmActivity, OutlookEvent } from '../sides';
import type { CalendarItem } from '../model';
import { normaliseItem } from '../normalise';
import type { SyncSettings } from '../settings';
import { EXACT_FIELDS, withFields } from '../merge';
import { planDeletion, planLinkedChange } from './linked';
import { crmView } from './privacy';
import { isCrmId } from './matching';
import type { Exclusion, Link, Operation } from './types';
import { reconcilePair } from './unlinked';

/** A stored pair whose row could not be read (store/linkRows.ts LinkRepair). */
export interface PairToRepair {
  readonly outlookId: string;
  /** Absent when the row did not say: the Outlook item's stamp names the partner then. */
  readonly crmId?: string;
  /**
   * The one base of a row stored before the per-side bases (commit 018fb56), when it reads as an
   * item: what both sides agreed on, in the CRM's view. Then only a departure from it is an edit.
   */
  readonly base?: CalendarItem;
}

/**
 * A repaired pair's link from a one-base row: each side's base is the item as it is now with the
 * exactly held fields (subject, time, location …) taken from the old base — so an edit made on
 * either side since the last sync is still an edit, and what a side spells its own way (which the
 * old shape could not tell) is none. As a replayed create's link is made (engine/applyCreate.ts).
 */
function oneBaseLink(
  event: OutlookEvent,
  activity: CrmActivity,
  base: CalendarItem,
  settings: SyncSettings,
): Link {
  return {
    outlookId: event.id,
    crmId: activity.id,
    outlookBase: normaliseItem(withFields(crmView(event.item, settings), base, EXACT_FIELDS)),
    crmBase: normaliseItem(withFields(activity.item, base, EXACT_FIELDS)),
    outlookEtag: event.etag,
    crmEtag: activity.etag,
    crmTypeId: activity.crm.typeId,
    isOwner: activity.crm.ownerId === settings.crmUserId,
  };
}

export interface IdentityInput {
  readonly links: readonly Link[];
  readonly outlookChanged: readonly OutlookEvent[];
  readonly crmChanged: readonly CrmActivity[];
  readonly outlookDeleted: ReadonlySet<string>;
  readonly crmDeleted: ReadonlySet<string>;
  readonly repairs: readonly PairToRepair[];
}

export interface IdentityPlan {
  readonly operations: Operation[];
  /** Outlook ids of links this plan ended (their pair goes on under a new id). */
  readonly replaced: ReadonlySet<string>;
  /** Items this plan decided for: the unlinked planner leaves them alone. */
  readonly outlook: ReadonlySet<string>;
  readonly crm: ReadonlySet<string>;
}

function isOccurrence(event: OutlookEvent): boolean {
  return event.kind === 'occurrence' || event.kind === 'exception';
}

/** The Outlook event id an activity names in this mailbox, if any. */
function stampOf(activity: CrmActivity, mailbox: string): string | undefined {
  return activity.outlookLinks.find((l) => l.mailbox.toLowerCase() === mailbox)?.eventId;
}

/** A link with no shared history: each side's base is the item as it is now (for a deletion). */
function baselessLink(
  outlookId: string,
  crmId: string,
  item: CalendarItem,
  settings: SyncSettings,
  activity?: CrmActivity,
): Link {
  const base = normaliseItem(item);
  return {
    outlookId,
    crmId,
    outlookBase: base,
    crmBase: base,
    outlookEtag: '',
    crmEtag: activity?.etag ?? '',
    crmTypeId: activity?.crm.typeId ?? '',
    isOwner: activity ? activity.crm.ownerId === settings.crmUserId : true,
  };
}

export function planIdentity(
  input: IdentityInput,
  settings: SyncSettings,
  excluded: Exclusion[],
): IdentityPlan {
  const operations: Operation[] = [];
  const replaced = new Set<string>();
  const doneOutlook = new Set<string>();
  const doneCrm = new Set<string>();
  const mailbox = settings.mailbox;
  const outlookById = new Map(input.outlookChanged.map((e) => [e.id, e]));
  const crmById = new Map(input.crmChanged.map((a) => [a.id, a]));
  const linkedOutlook = new Set(input.links.map((l) => l.outlookId));
  const linkedCrm = new Set(input.links.map((l) => l.crmId));
  const crmGone = (id: string) => input.crmDeleted.has(id) || crmById.get(id)?.cancelled === true;

  // Unlinked items whose stamp names a linked item of the other side: the first of each.
  const crmClaims = new Map<string, CrmActivity>();
  for (const activity of input.crmChanged) {
    const eventId = stampOf(activity, mailbox);
    if (activity.cancelled || linkedCrm.has(activity.id) || eventId === undefined) continue;
    if (linkedOutlook.has(eventId) && !crmClaims.has(eventId)) crmClaims.set(eventId, activity);
  }
  const outlookClaims = new Map<string, OutlookEvent>();
  for (const event of input.outlookChanged) {
    const crmId = event.crmId;
    if (crmId === null || isOccurrence(event) || event.item.isCancelled) continue;
    if (linkedOutlook.has(event.id) || !linkedCrm.has(crmId) || outlookClaims.has(crmId)) continue;
    outlookClaims.set(crmId, event);
  }

  // The pair's history goes on under the new id: its bases stay, so an edit made on either side
  // meanwhile is still an edit (a 3-way merge, not a policy's pick). The old link goes first, the
  // stamps are written as a relink writes them, and the merge's last write commits the new link.
  const relink = (link: Link, outlook: OutlookEvent, crm: CrmActivity): void => {
    replaced.add(link.outlookId);
    doneOutlook.add(outlook.id);
    doneCrm.add(crm.id);
    const next: Link = {
      ...link,
      outlookId: outlook.id,
      crmId: crm.id,
      outlookEtag: outlook.id === link.outlookId ? link.outlookEtag : outlook.etag,
      crmEtag: crm.id === link.crmId ? link.crmEtag : crm.etag,
      crmTypeId: crm.crm.typeId,
      isOwner: crm.crm.ownerId === settings.crmUserId,
    };
    operations.push(
      { op: 'unlink', link, reason: 'replaced' },
      { op: 'link', outlook, crm, reason: 'stamp', commit: false },
      ...planLinkedChange(next, outlook, crm, settings, excluded),
    );
  };
  for (const link of input.links) {
    const outlookGone = input.outlookDeleted.has(link.outlookId);
    const activityGone = crmGone(link.crmId);
    if (outlookGone === activityGone) continue; // both there, or both gone: nothing reappeared
    if (activityGone) {
      // The activity went and a new one carries this event's link: the event is that one's.
      const claim = crmClaims.get(link.outlookId);
      const event = outlookById.get(link.outlookId);
      if (claim && event && !doneCrm.has(claim.id)) relink(link, event, claim);
    } else {
      // The event went and a new one carries the activity's stamp: the activity is that one's.
      const claim = outlookClaims.get(link.crmId);
      const activity = crmById.get(link.crmId);
      if (claim && activity && !doneOutlook.has(claim.id)) relink(link, claim, activity);
    }
  }

  for (const pair of input.repairs) {
    if (linkedOutlook.has(pair.outlookId) || doneOutlook.has(pair.outlookId)) continue;
    const event = outlookById.get(pair.outlookId);
    const stamped = event?.crmId ?? undefined;
    const crmId = pair.crmId ?? (stamped !== undefined && isCrmId(stamped) ? stamped : undefined);
    if (crmId === undefined || linkedCrm.has(crmId) || doneCrm.has(crmId)) continue;
    const activity = crmById.get(crmId);
    // The stamps are the truth and the row a cache of them: where a stamp names another
    // partner, the unlinked planner pairs by the stamps instead.
    if (stamped !== undefined && stamped !== crmId) continue;
    const names = activity && stampOf(activity, mailbox);
    if (names !== undefined && names !== pair.outlookId) continue;
    const outlookGone = input.outlookDeleted.has(pair.outlookId);
    const activityGone = input.crmDeleted.has(crmId) || activity?.cancelled === true;
    if (event && activity && !activityGone) {
      doneOutlook.add(event.id);
      doneCrm.add(activity.id);
      if (pair.base) {
        const link = oneBaseLink(event, activity, pair.base, settings);
        // The stamps are written first, as a relink writes them, then the pair merges from it.
        operations.push({
          op: 'link',
          outlook: event,
          crm: activity,
          reason: 'stamp',
          commit: false,
        });
        operations.push(...planLinkedChange(link, event, activity, settings, excluded));
      } else operations.push(...reconcilePair(event, activity, 'stamp', settings));
    } else if (event && activityGone && !isOccurrence(event)) {
      doneOutlook.add(event.id);
      if (activity) doneCrm.add(activity.id);
      const link = baselessLink(event.id, crmId, event.item, settings, activity);
      operations.push(planDeletion(link, { outlook: false, crm: true }, settings));
    } else if (activity && outlookGone && !activityGone) {
      doneCrm.add(activity.id);
      const link = baselessLink(pair.outlookId, crmId, activity.item, settings, activity);
      operations.push(planDeletion(link, { outlook: true, crm: false }, settings));
    } else {
      // One side could not be read this run: the other waits for the repair, never copied anew.
      if (event) doneOutlook.add(event.id);
      if (activity) doneCrm.add(activity.id);
    }
  }
  return { operations, replaced, outlook: doneOutlook, crm: doneCrm };
}
