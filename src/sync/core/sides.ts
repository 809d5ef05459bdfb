/**
 * What each side holds, as the core sees it: the records the ports (src/sync/ports.ts) return and
 * take. They live in the core so that the planner takes no types from the ports (issue 13: the
 * core imports no port); ports.ts re-exports them for the adapters.
 */
import type { ContactItem } from './contacts/model';
import type { CalendarItem, CrmOnlyFields, Instant } from './model';

/** A half-open window of instants [start, end). */
export interface TimeWindow {
  readonly start: Instant;
  readonly end: Instant;
}

/** An Outlook event as the engine sees it. */
export interface OutlookEvent {
  /** Immutable id (Graph `Prefer: IdType="ImmutableId"`, SPEC M2). */
  readonly id: string;
  /** Graph `@odata.etag`: what `update` sends as If-Match. */
  readonly etag: string;
  readonly kind: 'single' | 'seriesMaster' | 'occurrence' | 'exception';
  readonly item: CalendarItem;
  /** The CRM id stamped on the event, or null when it carries none. */
  readonly crmId: string | null;
  /** Organizer's address (SPEC F3); null when Outlook does not say. */
  readonly organizerEmail: string | null;
  readonly isOrganizer: boolean;
  /**
   * The person's answer to a meeting someone else organises (Graph `responseStatus`); absent for
   * their own events. `none`/`notResponded` is an invitation not yet answered (issue 12, item 6).
   */
  readonly response?: 'accepted' | 'tentativelyAccepted' | 'declined' | 'notResponded' | 'none';
  /** The portable "open in Outlook" link (SPEC O2). */
  readonly webLink: string | null;
  readonly lastModified: Instant;
}

export interface CrmActivity {
  readonly id: string;
  /** The activity's strong ETag: what `update` sends as If-Match. */
  readonly etag: string;
  readonly item: CalendarItem;
  readonly crm: CrmOnlyFields;
  readonly cancelled: boolean;
  /** The Outlook event ids stored on the activity, per mailbox (SPEC M2). */
  readonly outlookLinks: readonly { readonly mailbox: string; readonly eventId: string }[];
  readonly lastModified: Instant;
}

/** What the engine writes: the item and the CRM-only fields it may set on create. */
export interface CrmActivityInput {
  readonly item: CalendarItem;
  readonly typeId: string;
  readonly relations?: CrmOnlyFields['relations'];
  /**
   * The Outlook event this activity copies (SPEC M2): the activity is born linked, so a client
   * that stops before linking never leaves an unlinked copy for another client to copy again.
   */
  readonly outlookLink?: { readonly mailbox: string; readonly eventId: string };
}

/** An Outlook contact in the product's own contact folder. */
export interface OutlookContact {
  readonly id: string;
  /** Graph `@odata.etag`: what `update` sends as If-Match. */
  readonly etag: string;
  readonly item: ContactItem;
  /** The CRM contact id stamped on it (the calendar's extended property), or null. */
  readonly crmId: string | null;
  readonly lastModified: Instant;
}

export interface CrmContact {
  readonly id: string;
  /** The strong ETag: what `update` sends as If-Match. */
  readonly etag: string;
  readonly item: ContactItem;
  /** The customer the person works for (a CRM relation: never reaches Outlook). */
  readonly customerId: string | null;
  /** Archived is the CRM's delete for contacts (what an Outlook delete does, SPEC K2). */
  readonly archived: boolean;
  /** SPEC K2: marked by the signed-in user for their Outlook. */
  readonly markedForMe: boolean;
  readonly lastModified: Instant;
}

export interface CrmContactInput {
  readonly item: ContactItem;
  /** A contact made from the person's Outlook is theirs: marked for their Outlook. */
  readonly syncToOutlook: boolean;
}
