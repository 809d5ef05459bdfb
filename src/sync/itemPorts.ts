/**
 * What every item kind's ports share (calendar events, contacts), split from ports.ts (issue 13):
 * the Outlook side's and the CRM side's calls on one item kind, the CRM's change feed, and the
 * optional calls about several items at once (issue 16) with their per-item outcomes. Generic
 * over the item: ports.ts names each kind's ports with these, and adds what only that kind has.
 * No imports: the shapes the generics are filled with live in core/sides.ts.
 */

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
