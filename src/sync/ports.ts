/**
 * The two ports the sync engine needs (ARCHITECTURE.md). Each has a real adapter (src/outlook over
 * Microsoft Graph, src/crm over the CRM Sync API) and an in-memory fake beside it; one contract
 * suite per port runs against both, so what the engine's tests learn from the fakes holds for
 * the real services.
 *
 * Every method may throw `SyncError` (src/sync/core/errors.ts); the kinds named below are the ones
 * a caller is expected to handle. Anything else is a bug.
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

// The sides' shapes are the ports' vocabulary too (the same seven types, named once in sides.ts).
export type * from './core/sides';

// ─── What every item kind's ports share (calendar events, contacts) ─────────────────────────

/** The Outlook side of an item kind: `Item` is what syncs, `Stored` the item as Outlook holds it. */
export interface OutlookItems<Item, Stored> {
  /** One item by id, or null when it no longer exists. */
  get(id: string): Promise<Stored | null>;

  /**
   * Replaces the item's synced fields with `item`; Outlook's other fields stay, CRM-only fields
   * never reach Outlook (F2).
   * @throws ConflictError (kind `conflict`) with the current item when `etag` is stale.
   * @throws SyncError `notFound` when the item is gone.
   */
  update(id: string, item: Item, options: { readonly etag: string }): Promise<Stored>;

  /**
   * Stamps (or, with null, unstamps) the CRM id on an existing item; used when relinking.
   * @returns the item's new version, from the write's own answer (issue 16 item 2: Graph answers
   * a PATCH with the updated item, its changeKey included — api-reference/v1.0/api/event-update.md,
   * contact-update.md), so no read-back is needed to learn it.
   */
  stamp(id: string, crmId: string | null): Promise<{ readonly etag: string }>;

  /** Deletes the item. Idempotent: deleting an item that is already gone succeeds. */
  delete(id: string): Promise<void>;
}

/** One page set of CRM changes since a cursor, every page followed. */
export interface CrmChangeSet<Stored> {
  readonly changed: readonly Stored[];
  /** Ids of deleted items (tombstones). */
  readonly deleted: readonly string[];
  /** Store this and pass it next time. */
  readonly cursor: string;
  /**
   * Issue 14: feed entries that could not be read (outside the contract, or a shape the mapping
   * cannot make sense of): set aside by id, the cursor moves past them. Absent: none.
   */
  readonly unreadable?: readonly string[];
  /** Entries without a usable id: nothing to set aside, only reported. Absent: none. */
  readonly unidentified?: number;
}

/**
 * One item's result in a call about several (issue 16): the value, or what the single call would
 * have thrown for it, as it would have thrown it (a SyncError; a ConflictError carries the current
 * record; anything else is a failure about this item alone) — one bad item never fails the
 * others. After an error about the whole side (sign-in, throttling, offline, server) the items not
 * yet tried carry that error: nothing more is sent.
 */
export type ItemOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Calls about several items at once (issue 16, item 3). Optional on the port: where an adapter
 * has them, it uses the CRM's bulk operations when the CRM announces them (docs/crm-sync-api.yaml,
 * GET /capabilities) and the single calls otherwise; the answer is the same either way. Outcomes
 * come back one per entry, in order.
 */
export interface CrmItemsMany<Item, Stored, Input> {
  /** Each item, or null when it no longer exists (as `get`). */
  getMany(ids: readonly string[]): Promise<readonly ItemOutcome<Stored | null>[]>;
  /** Each create as `create`: the same idempotency key returns what the first call created. */
  createMany(
    items: readonly { readonly input: Input; readonly idempotencyKey: string }[],
  ): Promise<readonly ItemOutcome<Stored>[]>;
  /**
   * Whether `createMany` sends several creates in one request (the CRM announced its bulk
   * create): only then does a caller gain by gathering its creates.
   */
  bulkCreates(): Promise<boolean>;
  /** Each update as `update`: a stale etag is that item's ConflictError with the current item. */
  updateMany(
    items: readonly { readonly id: string; readonly item: Item; readonly etag: string }[],
  ): Promise<readonly ItemOutcome<Stored>[]>;
}

/** The CRM side of an item kind: `Item` is what syncs, `Stored` the CRM's record of it. */
export interface CrmItems<Item, Stored, Input> {
  /**
   * Every change visible to the signed-in user since `cursor` (null: from the beginning),
   * following every page. Tombstones included.
   * @throws SyncError `resyncRequired` (410) when the cursor is too old: call again with null.
   */
  changes(cursor: string | null): Promise<CrmChangeSet<Stored>>;

  /** One item, or null when it no longer exists (deleted; an archived contact still exists). */
  get(id: string): Promise<Stored | null>;

  /**
   * Creates the item. Idempotent: the same `idempotencyKey` with the same input returns the
   * item the first call created.
   * @throws SyncError `invalidData` when the CRM refuses it (nothing was created).
   */
  create(input: Input, options: { readonly idempotencyKey: string }): Promise<Stored>;

  /**
   * Replaces the item's synced fields with `item`; CRM-only fields (an activity's relations, a
   * contact's customer and marks) are left alone (F2).
   * @throws ConflictError (kind `conflict`) carrying the current item when `etag` is stale.
   * @throws SyncError `forbidden` when the user may not change it (F3: not the owner).
   */
  update(id: string, item: Item, options: { readonly etag: string }): Promise<Stored>;
}

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
