/**
 * The planner's vocabulary: what it knows (links, both sides' changes) and what it decides
 * (operations, exclusions, the brake). Plain data, so a plan can be stored in the outbox and a
 * test can write one by hand.
 */
import type { MassDeleteConfirmation } from './brake';
import type { PairToRepair } from './identity';
import type { CrmActivity, CrmActivityInput, OutlookEvent } from '../sides';
import type { LostValue, SyncedField } from '../merge';
import type { CalendarItem, Instant } from '../model';

/** Which Outlook item is which CRM item (of any kind), and what both held when they last agreed. */
export interface LinkOf<Item> {
  readonly outlookId: string;
  readonly crmId: string;
  /**
   * What each side held when they last agreed (normalised; for events Outlook's in the CRM's
   * view, see privacy.ts): the bases of the 3-way merge. Two, because a side keeps its own
   * spelling of what it cannot hold (Outlook drops CRM contact people, writes an RRULE its own
   * way); only a departure from its own base is that side's edit.
   */
  readonly outlookBase: Item;
  readonly crmBase: Item;
}

/** Which Outlook event is which CRM activity: the link, the versions, the type and the owner. */
export interface Link extends LinkOf<CalendarItem> {
  readonly outlookEtag: string;
  readonly crmEtag: string;
  /** The activity's type, for the edit/delete filter (SPEC T2). */
  readonly crmTypeId: string;
  /** SPEC F3: whether this person owns the activity (else they only take part). */
  readonly isOwner: boolean;
}

/** What every kind's planner knows: the links and both sides' changes since the last run. */
export interface ChangesOf<L, OutlookItem, CrmItem> {
  readonly links: readonly L[];
  /** Outlook items created or changed since the last run (events: singles and series masters). */
  readonly outlookChanged: readonly OutlookItem[];
  /**
   * Outlook items that are gone for sure. The engine confirms every `@removed` with a read
   * first: Graph also reports events that only moved out of the window, and leaving a window is
   * never a deletion (SPEC W3).
   */
  readonly outlookDeleted: readonly string[];
  readonly crmChanged: readonly CrmItem[];
  /** CRM tombstones (and, for contacts, stamped partners found gone). */
  readonly crmDeleted: readonly string[];
  /** Outlook events that could not be read (OutlookChanges.unreadable): set aside, X1. */
  readonly outlookUnreadable?: readonly string[];
  /** Issue 14: CRM feed entries that could not be read (CrmChanges.unreadable): set aside. */
  readonly crmUnreadable?: readonly string[];
  /**
   * Whether the change sets are complete listings (of the window; first sync, full resync):
   * then an empty side with links present means "storage suddenly empty" (SPEC D3).
   */
  readonly outlookIsFullListing: boolean;
  readonly crmIsFullListing: boolean;
  /** SPEC D3: what the person confirmed (core/plan/brake.ts). */
  readonly massDeleteConfirmed: MassDeleteConfirmation;
  /** Issue 14, item 4: deletions and overwrites of the brake's sliding window so far. */
  readonly recentDestructive?: number;
  /**
   * Issue 15, item 3: stored pairs whose rows could not be read (store/linkRows.ts), to repair
   * from the stamps (core/plan/identity.ts); the gather read both of their items.
   */
  readonly repairs?: readonly PairToRepair[];
}

export interface PlanInput extends ChangesOf<Link, OutlookEvent, CrmActivity> {
  /** Types the person picked in the pane for Outlook items waiting for one (SPEC T3). */
  readonly typeChoices: Readonly<Record<string, string>>;
  readonly now: Instant;
}

/**
 * Issue 15: the sides whose edit a filter holds back (SPEC T2; a direction with no types is
 * off). A held side's base does not move past its edit: it keeps its difference from the base,
 * and the edit syncs once the filter allows it. Only the fields the engine itself writes onto a
 * held side move that side's base.
 */
export interface Held {
  readonly outlook: boolean;
  readonly crm: boolean;
}

/** A linked pair's write to one side: the fields the other side changed. */
interface FieldUpdate<Op extends 'updateCrm' | 'updateOutlook'> {
  readonly op: Op;
  readonly link: Link;
  /** The other side's item: the `fields` are copied from it. */
  readonly item: CalendarItem;
  /** Only these fields change (a PATCH of just them: no needless invitation update, F6). */
  readonly fields: readonly SyncedField[];
  /**
   * Whether this is the pair's last write of the run. The link (its bases) moves only after
   * the last one: if the other side's write fails, the next run merges again from the old
   * bases instead of mistaking the side that missed out for one that changed back.
   */
  readonly final: boolean;
  /** Issue 15: sides whose own edit waits (absent: none). */
  readonly held?: Held;
}

export type Operation =
  | {
      readonly op: 'link';
      readonly outlook: OutlookEvent;
      readonly crm: CrmActivity;
      readonly reason: 'match' | 'stamp';
      /**
       * False when the two differ: then the updates that follow reconcile them, and the last of
       * them writes the link — until they succeed the pair stays unlinked and is paired again.
       */
      readonly commit: boolean;
    }
  | {
      readonly op: 'createInCrm';
      readonly outlook: OutlookEvent;
      readonly input: CrmActivityInput;
      /** Derived from the event and its content: a replay after a crash sends the same key. */
      readonly idempotencyKey: string;
    }
  | {
      readonly op: 'createInOutlook';
      readonly crm: CrmActivity;
      readonly item: CalendarItem;
      readonly transactionId: string;
    }
  | FieldUpdate<'updateCrm'>
  | FieldUpdate<'updateOutlook'>
  /**
   * Nothing to write: the link takes the sides' current versions as its bases — except a held
   * side's (issue 15), whose edit waits for its filter. A link the plan makes for a stamped pair
   * found half-deleted where the deletion may not sync yet (unlinked.ts) is written the same way.
   */
  | { readonly op: 'rebase'; readonly link: Link; readonly held?: Held }
  | { readonly op: 'cancelInCrm'; readonly link: Link }
  | { readonly op: 'removeMeInCrm'; readonly link: Link }
  | { readonly op: 'deleteInOutlook'; readonly link: Link }
  | {
      readonly op: 'unlink';
      readonly link: Link;
      /** `replaced`: the pair goes on under a new id with the same stamp (core/plan/identity.ts). */
      readonly reason: 'deletedOnBothSides' | 'typeNotSynced' | 'replaced';
    }
  | { readonly op: 'trash'; readonly link: Link; readonly lost: LostValue };

/** SPEC X1, T3, P1: items that do not sync, each with the reason the pane shows. */
export type ExclusionReason =
  | 'corruptTime'
  | 'forwardedFromOtherCalendar'
  | 'privateNotSynced'
  | 'waitingForType'
  | 'typeNotSynced'
  | 'completedInCrm'
  | 'notOwner'
  | 'stampedPartnerMissing'
  /**
   * Issue 15, item 4: the item's stamp cannot be an id of the other side (a CRM id is 1–64 of
   * A–Z, a–z, 0–9, `_`, `-`): it is never asked for; only this item waits.
   */
  | 'stampNotValid'
  /** SPEC R3: a CRM rule Outlook cannot express; `detail` says which parts. */
  | 'recurrenceNotSupported'
  /** SPEC X1: Graph listed it in a shape we cannot read; everything else syncs. */
  | 'unreadable'
  /** Issue 14: the CRM's feed or read gave it in a shape we cannot read; everything else syncs. */
  | 'crmUnreadable'
  /**
   * Issue 12, item 6: an invitation the person has not answered yet is not copied to the CRM
   * until they accept it (SyncSettings.waitForInvitationAnswer).
   */
  | 'invitationNotAnswered'
  /**
   * Issue 12, item 6: a meeting someone else organises keeps its times, attendees and recurrence
   * as the organizer sets them; a CRM edit of those is set aside (`detail` names the fields).
   */
  | 'organisedByOthers'
  /**
   * Graph `ErrorOccurrenceCrossingBoundary` (event-update.md): an occurrence cannot move to or
   * past the day of its neighbour; the CRM edit that would is set aside.
   */
  | 'occurrenceCrossesNeighbour'
  /**
   * Issue 14 item 3: a note, not a skip — the item synced with the contract's first 500
   * attendees; `detail` is [how many were left out].
   */
  | 'attendeesOverCap';

export interface Exclusion {
  readonly side: 'outlook' | 'crm';
  readonly id: string;
  readonly reason: ExclusionReason;
  /** What exactly, where the reason alone does not say (the RRULE parts Outlook lacks). */
  readonly detail?: readonly string[];
}

/** SPEC D3: why the run stopped to ask (core/plan/brake.ts). */
export type Brake = (
  | {
      readonly kind: 'massDelete';
      /** The held items and the sliding window's earlier deletions and overwrites. */
      readonly destructive: number;
      readonly linked: number;
    }
  /** A full listing of `side` came back empty while `linked` pairs exist: the kind's run waits. */
  | { readonly kind: 'sideEmpty'; readonly side: 'outlook' | 'crm'; readonly linked: number }
) & {
  /**
   * The items held back (Outlook ids) that the run would delete, cancel or overwrite: what the
   * question shows, and what a confirmation allows (issue 14, item 4; issue 15, item 2).
   */
  readonly ids: readonly string[];
  /** Which items the brake is about: activities when absent, or contacts (SPEC K2). */
  readonly items?: 'contacts';
};

export interface Plan {
  readonly operations: readonly Operation[];
  readonly excluded: readonly Exclusion[];
  readonly brake: Brake | null;
  /**
   * What the brake held back (none without one): a side-empty brake holds every operation, a
   * mass-delete one every operation of the items it names. The engine keeps them to read again.
   */
  readonly held: readonly Operation[];
}
