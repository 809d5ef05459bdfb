/** One user's view of the in-memory CRM (inMemoryCrmBackend.ts): the CrmActivities port. */
import { oneByOne } from '../../src/crm/bulk';
import { ConflictError, SyncError } from '../../src/sync/core/errors';
import type { CalendarItem } from '../../src/sync/core/model';
import type {
  CrmActivities,
  CrmActivity,
  CrmActivityInput,
  CrmChanges,
  CrmLease,
  TimeWindow,
} from '../../src/sync/ports';
import type { ItemOutcome } from '../../src/sync/itemPorts';
import { bounds, clone, iso, type InMemoryCrmBackend, type Row } from './inMemoryCrmBackend';

export { InMemoryCrmBackend } from './inMemoryCrmBackend';

export class InMemoryCrmActivities implements CrmActivities {
  constructor(
    readonly backend: InMemoryCrmBackend,
    readonly userId: string,
  ) {}

  private visible(id: string): Row | null {
    const row = this.backend.rows.get(id);
    return row && !row.deleted && this.backend.visibleTo(row).has(this.userId) ? row : null;
  }

  private owned(id: string): Row {
    const row = this.visible(id);
    if (!row) throw new SyncError('itemNotFound', `No activity ${id}`);
    if (row.ownerId !== this.userId) throw new SyncError('roleMissing', 'Not the owner (F3)');
    return row;
  }

  async changes(cursor: string | null): Promise<CrmChanges> {
    this.backend.checkFault('changes');
    const from = cursor === null ? 0 : this.backend.seqOf(cursor);
    if (from === null) throw new SyncError('cursorExpired', 'Cursor too old');
    const ids = new Set<string>();
    this.backend.log.forEach((e, i) => {
      if (i + 1 > from && e.users.has(this.userId)) ids.add(e.id);
    });
    const changed: CrmActivity[] = [];
    const deleted: string[] = [];
    for (const id of ids) {
      const row = this.visible(id);
      if (row) changed.push(this.backend.view(row));
      else if (cursor !== null) deleted.push(id); // a full read lists only what exists
    }
    return { changed, deleted, cursor: this.backend.cursor() };
  }

  async listWindow(window: TimeWindow): Promise<readonly CrmActivity[]> {
    this.backend.checkFault('listWindow');
    return [...this.backend.rows.values()]
      .filter((r) => this.visible(r.id))
      .filter((r) => {
        const [s, e] = bounds(r.item);
        return r.item.recurrence !== null || (s < window.end && e > window.start);
      })
      .map((r) => this.backend.view(r));
  }

  async get(activityId: string): Promise<CrmActivity | null> {
    this.backend.checkFault('get');
    // As the reference CRM (sandbox/crm/schemas/text.ts IdSchema): an id outside the contract's
    // pattern is refused (400), never answered 404.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(activityId)) {
      throw new SyncError('invalidRequest', 'Not an activity id');
    }
    const row = this.visible(activityId);
    return row && this.backend.view(row);
  }

  async create(input: CrmActivityInput, options: { idempotencyKey: string }): Promise<CrmActivity> {
    this.backend.checkFault('create');
    const key = `${this.userId}:${options.idempotencyKey}`;
    const body = JSON.stringify(input);
    const prior = this.backend.idempotency.get(key);
    if (prior) {
      if (prior.input !== body) throw new SyncError('invalidRequest', 'Idempotency key reused');
      return clone(prior.snapshot);
    }
    const [s, e] = bounds(input.item);
    if (input.item.subject.trim() === '' || !(s < e)) {
      throw new SyncError('invalidRequest', 'The CRM refuses this activity');
    }
    const row: Row = {
      id: this.backend.newId(),
      version: 0,
      ownerId: this.userId,
      input: clone(input),
      item: clone({ ...input.item, isCancelled: false, occurrenceOf: null }),
      completed: false,
      cancelled: false,
      links: new Map(
        input.outlookLink
          ? [
              [
                this.userId,
                {
                  mailbox: input.outlookLink.mailbox.toLowerCase(),
                  eventId: input.outlookLink.eventId,
                },
              ],
            ]
          : [],
      ),
      lastModified: '',
      deleted: false,
    };
    this.backend.rows.set(row.id, row);
    this.backend.touch(row, new Set());
    const snapshot = this.backend.view(row);
    this.backend.idempotency.set(key, { input: body, snapshot });
    return clone(snapshot);
  }

  async update(activityId: string, item: CalendarItem, options: { etag: string }) {
    this.backend.checkFault('update');
    const row = this.owned(activityId);
    const current = this.backend.view(row);
    if (current.etag !== options.etag) {
      throw new ConflictError<CrmActivity>('Stale etag', current);
    }
    const before = this.backend.visibleTo(row);
    row.item = clone({ ...item, isCancelled: row.cancelled, occurrenceOf: null });
    this.backend.touch(row, before);
    return this.backend.view(row);
  }

  // Issue 16: the fake has no bulk operations, so these are the single calls — as the HTTP
  // adapter's are on a CRM that announces none.
  getMany(ids: readonly string[]): Promise<readonly ItemOutcome<CrmActivity | null>[]> {
    return oneByOne(ids, (id) => this.get(id));
  }

  async bulkCreates(): Promise<boolean> {
    return false;
  }

  createMany(
    items: readonly { readonly input: CrmActivityInput; readonly idempotencyKey: string }[],
  ): Promise<readonly ItemOutcome<CrmActivity>[]> {
    return oneByOne(items, (e) => this.create(e.input, { idempotencyKey: e.idempotencyKey }));
  }

  updateMany(
    items: readonly { readonly id: string; readonly item: CalendarItem; readonly etag: string }[],
  ): Promise<readonly ItemOutcome<CrmActivity>[]> {
    return oneByOne(items, (e) => this.update(e.id, e.item, { etag: e.etag }));
  }

  async cancel(activityId: string): Promise<CrmActivity> {
    this.backend.checkFault('cancel');
    const row = this.owned(activityId);
    if (!row.cancelled) {
      row.cancelled = true;
      this.backend.touch(row, this.backend.visibleTo(row));
    }
    return this.backend.view(row);
  }

  async removeMe(activityId: string): Promise<void> {
    this.backend.checkFault('removeMe');
    const row = this.visible(activityId);
    if (!row) return;
    if (row.ownerId === this.userId) throw new SyncError('roleMissing', 'The owner cannot leave');
    const before = this.backend.visibleTo(row);
    row.item = {
      ...row.item,
      participants: row.item.participants.filter(
        (p) => !(p.kind === 'user' && p.crmId === this.userId),
      ),
    };
    row.links.delete(this.userId);
    this.backend.touch(row, before);
  }

  async delete(activityId: string): Promise<void> {
    this.backend.checkFault('delete');
    if (!this.visible(activityId)) return;
    const row = this.owned(activityId);
    const before = this.backend.visibleTo(row);
    row.deleted = true;
    this.backend.touch(row, before);
  }

  async setOutlookLink(
    activityId: string,
    link: { mailbox: string; eventId: string },
  ): Promise<CrmActivity> {
    this.backend.checkFault('setOutlookLink');
    const row = this.visible(activityId);
    if (!row) throw new SyncError('itemNotFound', `No activity ${activityId}`);
    row.links.set(this.userId, { mailbox: link.mailbox.toLowerCase(), eventId: link.eventId });
    this.backend.touch(row, this.backend.visibleTo(row));
    // The contract answers with the activity as the write left it.
    return this.backend.view(row);
  }

  async acquireLease(holderId: string, ttlSeconds: number): Promise<CrmLease | null> {
    this.backend.checkFault('acquireLease');
    const now = this.backend.now();
    const held = this.backend.leases.get(this.userId);
    if (held && held.holderId !== holderId && Date.parse(held.expiresAt) > now) return null;
    const lease = {
      holderId,
      expiresAt: iso(now + ttlSeconds * 1000),
      version: (held?.version ?? 0) + 1,
    };
    this.backend.leases.set(this.userId, lease);
    return { ...lease };
  }

  async releaseLease(holderId: string): Promise<void> {
    this.backend.checkFault('releaseLease');
    const held = this.backend.leases.get(this.userId);
    if (held && held.holderId === holderId) {
      this.backend.leases.set(this.userId, { ...held, expiresAt: iso(this.backend.now()) });
    }
  }
}
