/**
 * Items without a link: relink from the stamps first (SPEC M2 — the CRM id on the Outlook event,
 * the Outlook id on the CRM activity), then match existing pairs (M1), and only then create.
 * Nothing is created for an item that carries a stamp: that is how no two clients ever copy the
 * same item twice.
 */
import type { CrmActivity, OutlookEvent } from '../sides';
import type { CalendarItem } from '../model';
import { typeAllowed, type SyncSettings } from '../settings';
import { inWindow, timeIsValid, type Window } from '../window';
import { hashJoin, isCrmId, matchKey } from './matching';
import { normaliseItem } from '../normalise';
import { attendeesOverCap, crmView, typeForOutlookItem } from './privacy';
import { outlookCannotHold } from './series';
import type { Exclusion, Link, Operation } from './types';
import { reconcilePair } from './reconcile';

export interface Unlinked {
  readonly outlook: readonly OutlookEvent[];
  readonly crm: readonly CrmActivity[];
}

export interface UnlinkedContext {
  readonly settings: SyncSettings;
  readonly outlookToCrm: Window;
  readonly crmToOutlook: Window;
  readonly typeChoices: Readonly<Record<string, string>>;
  /** Confirmed deletions on each side: a stamp pointing at one is a pair half-deleted. */
  readonly outlookDeleted: ReadonlySet<string>;
  readonly crmDeleted: ReadonlySet<string>;
  /** Ids already linked: a stamp pointing at one of them is a duplicate, never a new pair. */
  readonly linkedOutlookIds: ReadonlySet<string>;
  readonly linkedCrmIds: ReadonlySet<string>;
}

/** X1: an item forwarded from another person's calendar — not mine to organise or attend. */
function isForwarded(event: OutlookEvent, mailbox: string): boolean {
  if (event.isOrganizer || event.organizerEmail === null) return false;
  return !event.item.participants.some((p) => p.email?.toLowerCase() === mailbox);
}

/** Issue 12, item 6: a meeting organised by someone else that the person has not answered. */
function isUnansweredInvitation(event: OutlookEvent): boolean {
  return !event.isOrganizer && (event.response === 'none' || event.response === 'notResponded');
}

function isOccurrence(event: OutlookEvent): boolean {
  return event.kind === 'occurrence' || event.kind === 'exception';
}

function usableOutlook(event: OutlookEvent, ctx: UnlinkedContext, excluded: Exclusion[]): boolean {
  // Occurrences and exceptions travel with their series (issue 5), not as items of their own.
  if (isOccurrence(event) || event.item.isCancelled) {
    return false;
  }
  const reason = !timeIsValid(event.item)
    ? 'corruptTime'
    : isForwarded(event, ctx.settings.mailbox)
      ? 'forwardedFromOtherCalendar'
      : event.item.isPrivate && ctx.settings.privateMode === 'skip'
        ? 'privateNotSynced'
        : null;
  if (reason) excluded.push({ side: 'outlook', id: event.id, reason });
  return reason === null;
}

function usableCrm(activity: CrmActivity, ctx: UnlinkedContext, excluded: Exclusion[]): boolean {
  if (activity.cancelled) return false;
  const personal = activity.crm.typeId === ctx.settings.personalTypeId;
  const reason = !timeIsValid(activity.item)
    ? 'corruptTime'
    : personal && ctx.settings.privateMode === 'skip'
      ? 'privateNotSynced'
      : null;
  if (reason) excluded.push({ side: 'crm', id: activity.id, reason });
  return reason === null;
}

function createInCrm(
  event: OutlookEvent,
  ctx: UnlinkedContext,
  excluded: Exclusion[],
): Operation | null {
  const { settings } = ctx;
  if (!inWindow(event.item, ctx.outlookToCrm, settings.timeZone)) return null;
  if (isUnansweredInvitation(event) && settings.waitForInvitationAnswer !== false) {
    excluded.push({ side: 'outlook', id: event.id, reason: 'invitationNotAnswered' });
    return null;
  }
  const typeId = typeForOutlookItem(event.item, settings, ctx.typeChoices[event.id]);
  if (typeId === null) {
    excluded.push({ side: 'outlook', id: event.id, reason: 'waitingForType' }); // SPEC T3
    return null;
  }
  if (!typeAllowed(settings.outlookToCrm.createTypes, typeId)) {
    excluded.push({ side: 'outlook', id: event.id, reason: 'typeNotSynced' }); // SPEC T1
    return null;
  }
  const item = crmView(event.item, settings);
  const note = attendeesOverCap(event, settings);
  if (note) excluded.push(note);
  return {
    op: 'createInCrm',
    outlook: event,
    input: { item, typeId, outlookLink: { mailbox: settings.mailbox, eventId: event.id } },
    // One key per Outlook event, whatever its content and whichever client sends it: a second
    // client (or a replay) creating the same event gets the first activity back, never a copy.
    idempotencyKey: `o2c-${event.id}`,
  };
}

function createInOutlook(
  activity: CrmActivity,
  ctx: UnlinkedContext,
  excluded: Exclusion[],
): Operation | null {
  const { settings } = ctx;
  if (!inWindow(activity.item, ctx.crmToOutlook, settings.timeZone)) return null;
  if (!typeAllowed(settings.crmToOutlook.createTypes, activity.crm.typeId)) {
    excluded.push({ side: 'crm', id: activity.id, reason: 'typeNotSynced' }); // SPEC T1
    return null;
  }
  const cannot = outlookCannotHold(activity.item);
  if (cannot) {
    excluded.push({
      side: 'crm',
      id: activity.id,
      reason: 'recurrenceNotSupported',
      detail: cannot,
    });
    return null;
  }
  const personal = activity.crm.typeId === settings.personalTypeId;
  const own = personal ? { ...activity.item, isPrivate: true } : activity.item;
  // Issue 12, item 3: only the organizer's engine writes attendees. A copy in a participant's
  // calendar carries none — Graph mails every attendee of a created event (user-post-events.md),
  // so a copy with them would send invitations from the participant's mailbox.
  const item: CalendarItem =
    activity.crm.ownerId === settings.crmUserId ? own : { ...own, participants: [] };
  return { op: 'createInOutlook', crm: activity, item, transactionId: `c2o-${activity.id}` };
}

/** A link for a pair that was stamped but never linked here, so that a deletion can follow it. */
function orphanLink(
  outlookId: string,
  crmId: string,
  item: CalendarItem,
  ctx: UnlinkedContext,
  activity?: CrmActivity,
): Link {
  return {
    outlookId,
    crmId,
    outlookBase: normaliseItem(item),
    crmBase: normaliseItem(item),
    outlookEtag: '',
    crmEtag: activity?.etag ?? '',
    crmTypeId: activity?.crm.typeId ?? '',
    isOwner: activity ? activity.crm.ownerId === ctx.settings.crmUserId : true,
  };
}

export function planUnlinked(
  unlinked: Unlinked,
  ctx: UnlinkedContext,
  excluded: Exclusion[],
): Operation[] {
  const ops: Operation[] = [];
  const crmById = new Map(unlinked.crm.map((a) => [a.id, a]));
  const outlookById = new Map(unlinked.outlook.map((e) => [e.id, e]));
  const paired = new Set<string>();
  const pair = (outlook: OutlookEvent, crm: CrmActivity, reason: 'stamp' | 'match'): void => {
    paired.add(outlook.id).add(crm.id);
    ops.push(...reconcilePair(outlook, crm, reason, ctx.settings, excluded));
  };

  // M2: stamps first, from both sides.
  for (const event of unlinked.outlook) {
    // Occurrences and exceptions carry their series' stamp: they travel with the series (issue 5),
    // and pairing one with the series' activity would move the whole series to its date.
    if (event.crmId === null || isOccurrence(event)) continue;
    const partner = crmById.get(event.crmId);
    if (partner && !paired.has(partner.id)) pair(event, partner, 'stamp');
    else if (ctx.crmDeleted.has(event.crmId)) {
      // The pair's CRM side was deleted (a tombstone says so) before this client linked it: D2 —
      // where CRM → Outlook may delete (T2; a tombstone names no type, so only "all" allows it).
      // Otherwise the deletion is held (issue 15): the pair is linked as it stands, and the link
      // finds the deletion again when the filters change (linked.ts, planDeletion).
      const link = orphanLink(event.id, event.crmId, event.item, ctx);
      if (typeAllowed(ctx.settings.crmToOutlook.editTypes, null)) {
        ops.push({ op: 'deleteInOutlook', link });
      } else {
        excluded.push({ side: 'crm', id: event.crmId, reason: 'typeNotSynced' });
        ops.push({ op: 'rebase', link });
      }
    } else if (!ctx.linkedCrmIds.has(event.crmId)) {
      // Issue 15, item 4: a stamp that cannot be a CRM id was never asked for (engine/gather.ts).
      const reason = isCrmId(event.crmId) ? 'stampedPartnerMissing' : 'stampNotValid';
      excluded.push({ side: 'outlook', id: event.id, reason });
    }
    paired.add(event.id);
  }
  for (const activity of unlinked.crm) {
    if (paired.has(activity.id)) continue;
    const mine = activity.outlookLinks.find(
      (l) => l.mailbox.toLowerCase() === ctx.settings.mailbox,
    );
    if (!mine) continue;
    const partner = outlookById.get(mine.eventId);
    if (partner && !paired.has(partner.id)) pair(partner, activity, 'stamp');
    else if (ctx.outlookDeleted.has(mine.eventId) && !activity.cancelled) {
      // The pair's Outlook side is confirmed gone (a 404 in this mailbox): D1 — where Outlook →
      // CRM may cancel this type (T2); otherwise held as above (issue 15).
      const link = orphanLink(mine.eventId, activity.id, activity.item, ctx, activity);
      if (typeAllowed(ctx.settings.outlookToCrm.editTypes, activity.crm.typeId)) {
        ops.push(link.isOwner ? { op: 'cancelInCrm', link } : { op: 'removeMeInCrm', link });
      } else {
        excluded.push({ side: 'outlook', id: mine.eventId, reason: 'typeNotSynced' });
        ops.push({ op: 'rebase', link });
      }
    } else if (!ctx.linkedOutlookIds.has(mine.eventId)) {
      excluded.push({ side: 'crm', id: activity.id, reason: 'stampedPartnerMissing' });
    }
    paired.add(activity.id);
  }

  // M1: match what is left, as a hash join; then create the rest.
  const outlookLeft = unlinked.outlook.filter(
    (e) => !paired.has(e.id) && usableOutlook(e, ctx, excluded),
  );
  const crmLeft = unlinked.crm.filter((a) => !paired.has(a.id) && usableCrm(a, ctx, excluded));
  const joined = hashJoin(
    outlookLeft,
    crmLeft,
    (e) => matchKey(crmView(e.item, ctx.settings)),
    (a) => matchKey(a.item),
  );
  for (const [event, activity] of joined.pairs) pair(event, activity, 'match');
  for (const event of joined.leftAlone) {
    const op = createInCrm(event, ctx, excluded);
    if (op) ops.push(op);
  }
  for (const activity of joined.rightAlone) {
    const op = createInOutlook(activity, ctx, excluded);
    if (op) ops.push(op);
  }
  return ops;
}
