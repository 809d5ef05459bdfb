/**
 * The two ports the sync engine needs (ARCHITECTURE.md). Each has a real adapter (src/outlook over
 * Microsoft Graph, src/crm over the CRM Sync API) and an in-memory fake beside it; one contract
 * suite per port runs against both, so what the engine's tests learn from the fakes holds for
 * the real services.
 *
 * Every method may throw `SyncError` (src/sync/core/errors.ts); the kinds named below are the ones
 * a caller is expected to handle. Anything else is a bug.
 *
 * What every item kind's ports share (the generic item calls, the CRM change feed, the optional
 * calls about several items and their outcomes) is in itemPorts.ts.
 */
import type { ContactItem } from './core/contacts/model';
import type { CalendarItem, Instant } from './core/model';
import type {
  CrmActivity,
  CrmActivityInput,
  CrmContact,
  CrmContactInput,
  OutlookContact,
  OutlookEvent,
  TimeWindow,
} from './core/sides';
import type { CrmChangeSet, CrmItems, CrmItemsMany, OutlookItems } from './itemPorts';

// The sides' shapes are the ports' vocabulary too (the same seven types, named once in sides.ts).
export type * from './core/sides';

// ─── Outlook ────────────────────────────────────────────────────────────────────────────────

export interface OutlookCalendarInfo {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly canEdit: boolean;
}

export interface OutlookChanges {
  /**
   * Events created or changed since the delta link (all events in the window when it was null):
   * singles, occurrences and exceptions from the delta, plus the series masters they belong to
   * (fetched for their recurrence). Every event has its `crmId` read.
   */
  readonly changed: readonly OutlookEvent[];
  /** Ids Graph reported as `@removed` (deleted, or moved out of the window — SPEC W3). */
  readonly removed: readonly string[];
  /** Store this and pass it next time. */
  readonly deltaLink: string;
  /**
   * Events Graph listed that could not be read (a shape or a time we cannot make sense of): set
   * aside by id (SPEC X1) so that the rest syncs. Absent: none.
   */
  readonly unreadable?: readonly string[];
}

export interface ChangesOptions {
  /**
   * The stamps the caller already knows (the CRM id of each linked event): an adapter may take
   * them instead of reading each event's stamp again — after a sync, most changes it reports are
   * the echoes of its own writes to linked events.
   */
  readonly knownStamps?: ReadonlyMap<string, string>;
}

/** One entry of a delta round read for its versions only (OutlookCalendar.versionsSince). */
export interface OutlookVersion {
  readonly id: string;
  /** The event's version (`@odata.etag`, from its changeKey). */
  readonly etag: string;
  /** An occurrence's or exception's series master; null for a single event or a master. */
  readonly seriesId: string | null;
}

/** What changed since a delta link, by id and version only. */
export interface OutlookVersions {
  readonly changed: readonly OutlookVersion[];
  /** Ids Graph reported as `@removed`. */
  readonly removed: readonly string[];
  /** The delta link past everything listed here. */
  readonly deltaLink: string;
}

export interface OutlookCalendar extends OutlookItems<CalendarItem, OutlookEvent> {
  /** The signed-in mailbox's primary address. */
  mailbox(): Promise<string>;

  /** The mailbox's calendars, for the picker (SPEC C1). */
  listCalendars(): Promise<readonly OutlookCalendarInfo[]>;

  /**
   * Changes in `window` of `calendarId` since `deltaLink` (null: everything in the window).
   * Follows every page before it returns.
   * @throws SyncError `resyncRequired` when the delta link expired: drop it and call with null.
   * @throws SyncError `notFound` (calendarNotFound), `auth`, `throttled`, `offline`, `server`.
   */
  changes(
    calendarId: string,
    window: TimeWindow,
    deltaLink: string | null,
    options?: ChangesOptions,
  ): Promise<OutlookChanges>;

  /**
   * Issue 15 item 5: one delta round from `deltaLink`, read for ids and versions only — no stamp,
   * master or occurrence reads. The engine reads it after its own writes so that its stored
   * link lies past them: the echoes of those writes are recognised by version, anything else is
   * read again at the next run (engine/ownWrites.ts).
   * @throws SyncError `resyncRequired` when the delta link expired.
   */
  versionsSince(calendarId: string, deltaLink: string): Promise<OutlookVersions>;

  /**
   * Events in `calendarId` stamped with `crmId` (relinking an empty store, REQUIREMENTS.md).
   * Usually zero or one; more than one is a duplicate for the duplicate finder (SPEC M3).
   */
  findByCrmId(calendarId: string, crmId: string): Promise<readonly OutlookEvent[]>;

  /**
   * Creates the event stamped with `crmId`. Idempotent: the same `transactionId` returns the
   * event the first call created (Graph's own de-duplication), so an outbox replay after a crash
   * never makes a duplicate.
   * @throws SyncError `invalidData` when Graph refuses the item (nothing was created).
   */
  create(
    calendarId: string,
    item: CalendarItem,
    options: { readonly transactionId: string; readonly crmId: string },
  ): Promise<OutlookEvent>;

  /**
   * Issue 16, item 1 (optional): a view of this calendar for `members` callers working side by
   * side — the engine applies a group of operations at once — whose requests travel together
   * (Graph: in $batch envelopes of up to 20). Each call answers, or throws, exactly as the same
   * call on this calendar would. Every member calls `leave()` once, when it is done, whether it
   * succeeded or not: the others' requests wait for the members still at work.
   */
  group?(members: number): OutlookGroup;
}

/** A calendar view shared by a group of callers (OutlookCalendar.group). */
export interface OutlookGroup {
  readonly calendar: OutlookCalendar;
  leave(): void;
}

// ─── CRM ───────────────────────────────────────────────────────────────────────────────────

export type CrmChanges = CrmChangeSet<CrmActivity>;

export interface CrmLease {
  readonly holderId: string;
  readonly expiresAt: Instant;
  readonly version: number;
}

export interface CrmActivities
  extends
    CrmItems<CalendarItem, CrmActivity, CrmActivityInput>,
    Partial<CrmItemsMany<CalendarItem, CrmActivity, CrmActivityInput>> {
  /** The user's activities overlapping `window` (series included when they may occur in it). */
  listWindow(window: TimeWindow): Promise<readonly CrmActivity[]>;

  /** SPEC D1: deleting or declining in Outlook cancels the activity. Idempotent. */
  cancel(activityId: string): Promise<CrmActivity>;

  /** SPEC D1: when the user only takes part, only they leave the activity. Idempotent. */
  removeMe(activityId: string): Promise<void>;

  /** Deletes the activity (tombstone). Idempotent: an activity already gone succeeds. */
  delete(activityId: string): Promise<void>;

  /**
   * Records this mailbox's Outlook event id on the activity (SPEC M2). Idempotent.
   * @returns the activity as the write left it (the contract answers `PUT …/outlook-link` with
   * the activity and its ETag — docs/crm-sync-api.yaml), so no read-back is needed.
   * @throws SyncError `notFound` when the activity is gone.
   */
  setOutlookLink(
    activityId: string,
    link: { readonly mailbox: string; readonly eventId: string },
  ): Promise<CrmActivity>;

  /**
   * Takes or renews the per-user sync lease (compare-and-set): one Outlook client syncs at a time.
   * @returns the lease, or null when another holder has it.
   */
  acquireLease(holderId: string, ttlSeconds: number): Promise<CrmLease | null>;

  /** Gives the lease up if `holderId` holds it. */
  releaseLease(holderId: string): Promise<void>;
}

// ─── Contacts (SPEC K1–K3): a second item kind through the same engine ────────────────────────

export interface OutlookContactChanges {
  /** Contacts created or changed since the delta link (every contact of the folder when null). */
  readonly changed: readonly OutlookContact[];
  /** Ids Graph reported `@removed`. */
  readonly removed: readonly string[];
  readonly deltaLink: string;
}

export interface OutlookContacts extends OutlookItems<ContactItem, OutlookContact> {
  /**
   * The id of the product's own contact folder named `name`, created on first use. Contacts
   * outside it are the person's own and never read or written.
   */
  ensureFolder(name: string): Promise<string>;

  /**
   * Changes in `folderId` since `deltaLink` (null: every contact in it), all pages followed.
   * @throws SyncError `resyncRequired` when the delta link expired: call again with null.
   */
  changes(folderId: string, deltaLink: string | null): Promise<OutlookContactChanges>;

  /**
   * Contacts in `folderId` stamped with `crmId`. Graph has no `transactionId` for contacts: an
   * outbox replay asks this before it creates again, so a crash never leaves two copies.
   */
  findByCrmId(folderId: string, crmId: string): Promise<readonly OutlookContact[]>;

  /** Creates the contact stamped with `crmId`. */
  create(
    folderId: string,
    item: ContactItem,
    options: { readonly crmId: string },
  ): Promise<OutlookContact>;
}

/** Contacts created or changed since the cursor (archived ones included), and tombstones. */
export type CrmContactChanges = CrmChangeSet<CrmContact>;

/** The company's contacts (every one the signed-in user can see), archived ones included. */
export interface CrmContacts extends CrmItems<ContactItem, CrmContact, CrmContactInput> {
  /** SPEC K2: deleting in Outlook archives the CRM contact. Idempotent. */
  archive(contactId: string): Promise<CrmContact>;
}
