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
import { EXACT_FIELDS, withFields, type SyncedField } from '../merge';
import { planDeletion, planLinkedChange } from './linked';
import { crmView } from './privacy';
import { isCrmId } from './matching';
import type { Exclusion, Link, Operation } from './types';
import { reconcilePair } from './reconcile';

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
 * The fields Outlook's base takes from a one-base row: those it holds as written, and the
 * recurrence (its rule normalised, its exceptions merged one by one, core/mergeSeries.ts).
 * Description and participants stay Outlook's own: it converts HTML and drops CRM contact
 * people, which the one base could not tell from an edit — the reason for per-side bases.
 */
const ONE_BASE_FIELDS: readonly SyncedField[] = [...EXACT_FIELDS, 'recurrence'];

/**
 * A repaired pair's link from a one-base row. The old base was the CRM's view of what both
 * agreed, so it is the CRM's base whole; Outlook's is the event as it is now with
 * ONE_BASE_FIELDS taken from the old base — so an edit made on either side since the last sync
 * is still an edit, and what Outlook spells its own way is none. As a replayed create's link is
 * made (engine/applyCreate.ts).
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
    outlookBase: normaliseItem(withFields(crmView(event.item, settings), base, ONE_BASE_FIELDS)),
    crmBase: normaliseItem(base),
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

  // Unlinked live items by the id their stamp names on the other side: the first of each.
  const crmClaims = new Map<string, CrmActivity>();
  for (const activity of input.crmChanged) {
    const eventId = stampOf(activity, mailbox);
    if (activity.cancelled || linkedCrm.has(activity.id) || eventId === undefined) continue;
    if (!crmClaims.has(eventId)) crmClaims.set(eventId, activity);
  }
  const outlookClaims = new Map<string, OutlookEvent>();
  for (const event of input.outlookChanged) {
    const crmId = event.crmId;
    if (crmId === null || isOccurrence(event) || event.item.isCancelled) continue;
    if (linkedOutlook.has(event.id) || outlookClaims.has(crmId)) continue;
    outlookClaims.set(crmId, event);
  }
  const claimOf = (eventId: string) => {
    const claim = crmClaims.get(eventId);
    return claim && !doneCrm.has(claim.id) ? claim : undefined;
  };

  // The pair's history goes on under the new id: its bases stay, so an edit made on either side
  // meanwhile is still an edit (a 3-way merge, not a policy's pick). The stamps are written as a
  // relink writes them, and the merge's last write commits the new link. The old link row goes
  // first only when the activity is the same one (the event re-made): the event's stamp still
  // names it, so a run stopped half-way (a throttled write) finds the pair again by that stamp.
  // When the activity is new, the old row is all that ties the two items together: it goes last
  // (and only if the commit did not replace it in place: apply's `unlink`, reason 'replaced'), so
  // a run stopped before the commit relinks again (model seed 1893510459: both re-made, the stamp
  // throttled — the old row gone, the new activity was cancelled as if its event were deleted).
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
    const unlink: Operation = { op: 'unlink', link, reason: 'replaced' };
    const relinked: Operation[] = [
      { op: 'link', outlook, crm, reason: 'stamp', commit: false },
      ...planLinkedChange(next, outlook, crm, settings, excluded),
    ];
    if (crm.id === link.crmId) operations.push(unlink, ...relinked);
    else operations.push(...relinked, unlink);
  };
  for (const link of input.links) {
    const outlookGone = input.outlookDeleted.has(link.outlookId);
    const activityGone = crmGone(link.crmId);
    if (!outlookGone && !activityGone) continue; // both there: nothing reappeared
    if (outlookGone && activityGone) {
      // Both re-made between two runs: a new activity carries the old event's link and a new
      // event the old activity's stamp — still the one pair, never a deletion on both sides.
      const crmClaim = crmClaims.get(link.outlookId);
      const outlookClaim = outlookClaims.get(link.crmId);
      if (
        crmClaim &&
        outlookClaim &&
        !doneCrm.has(crmClaim.id) &&
        !doneOutlook.has(outlookClaim.id)
      )
        relink(link, outlookClaim, crmClaim);
    } else if (activityGone) {
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

  // A stored pair relinked: from the old row's one base where it has one, else with no base.
  const repairPair = (
    event: OutlookEvent,
    activity: CrmActivity,
    base: CalendarItem | undefined,
  ): Operation[] => {
    if (!base) return reconcilePair(event, activity, 'stamp', settings, excluded);
    const link = oneBaseLink(event, activity, base, settings);
    // The stamps are written first, as a relink writes them, then the pair merges from its base.
    return [
      { op: 'link', outlook: event, crm: activity, reason: 'stamp', commit: false },
      ...planLinkedChange(link, event, activity, settings, excluded),
    ];
  };

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
    // Both re-made (random seed 468339850): a new activity names the old event and a new event
    // carries the old activity's stamp — the one pair under two new ids, as for a link above.
    const remade = !event && (!activity || activityGone) ? claimOf(pair.outlookId) : undefined;
    const remadeEvent = remade ? outlookClaims.get(crmId) : undefined;
    if (remade && remadeEvent && !doneOutlook.has(remadeEvent.id)) {
      doneOutlook.add(remadeEvent.id);
      doneCrm.add(remade.id);
      if (activity) doneCrm.add(activity.id);
      operations.push(...repairPair(remadeEvent, remade, pair.base));
      continue;
    }
    // A side went and a new item carries the other's stamp: identity wins, the pair goes on.
    const claim = event && activityGone ? claimOf(event.id) : undefined;
    const outlookClaim =
      outlookGone && activity && !activityGone ? outlookClaims.get(crmId) : undefined;
    if (event && claim) {
      doneOutlook.add(event.id);
      doneCrm.add(claim.id);
      operations.push(...repairPair(event, claim, pair.base));
    } else if (activity && outlookClaim && !doneOutlook.has(outlookClaim.id)) {
      doneOutlook.add(outlookClaim.id);
      doneCrm.add(activity.id);
      operations.push(...repairPair(outlookClaim, activity, pair.base));
    } else if (event && activity && !activityGone) {
      doneOutlook.add(event.id);
      doneCrm.add(activity.id);
      operations.push(...repairPair(event, activity, pair.base));
    } else if (event && activityGone && !isOccurrence(event)) {
      doneOutlook.add(event.id);
      if (activity) doneCrm.add(activity.id);
      const link = baselessLink(event.id, crmId, event.item, settings, activity);
      operations.push(...planDeletion(link, { outlook: false, crm: true }, settings, excluded));
    } else if (activity && outlookGone && !activityGone) {
      doneCrm.add(activity.id);
      const link = baselessLink(pair.outlookId, crmId, activity.item, settings, activity);
      operations.push(...planDeletion(link, { outlook: true, crm: false }, settings, excluded));
    } else {
      // One side could not be read this run: the other waits for the repair, never copied anew.
      if (event) doneOutlook.add(event.id);
      if (activity) doneCrm.add(activity.id);
    }
  }
  // Stamps that disagree: an unlinked event names an activity that is not there (deleted, never
  // this user's), while a live unlinked activity names the event — the activity replaced by a
  // new record before this client linked them. The live claim wins: the two are paired.
  for (const event of input.outlookChanged) {
    const named = event.crmId;
    if (named === null || isOccurrence(event) || event.item.isCancelled) continue;
    if (linkedOutlook.has(event.id) || doneOutlook.has(event.id) || linkedCrm.has(named)) continue;
    const partner = crmById.get(named);
    if (partner && !partner.cancelled) continue;
    const claim = claimOf(event.id);
    if (!claim || claim.id === named) continue;
    doneOutlook.add(event.id);
    doneCrm.add(claim.id);
    operations.push(...reconcilePair(event, claim, 'stamp', settings, excluded));
  }
  return { operations, replaced, outlook: doneOutlook, crm: doneCrm };
}
