/**
 * An in-memory CRM contact store that behaves like the CRM Sync API's contacts for the engine's
 * tests: a change feed with sequence cursors and tombstones (410 after `expireCursors()`),
 * idempotent creates per key, If-Match updates (412 → ConflictError with the current contact),
 * idempotent archive, each user's own "sync to Outlook" mark. `as(userId)` is one user's port;
 * `writes` counts what the engine wrote (the one-way setting must never write).
 */
import { ConflictError, SyncError } from '../../src/sync/core/errors';
import type { ContactItem } from '../../src/sync/core/contacts/model';
import type {
  CrmContact,
  CrmContactChanges,
  CrmContactInput,
  CrmContacts,
} from '../../src/sync/ports';

interface Row {
  id: string;
  version: number;
  item: ContactItem;
  customerId: string | null;
  archived: boolean;
  deleted: boolean;
  marks: Set<string>;
  lastModified: string;
}

type Method = keyof CrmContacts;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class InMemoryCrmContactBackend {
  readonly rows = new Map<string, Row>();
  readonly log: string[] = [];
  readonly idempotency = new Map<string, { input: string; id: string }>();
  /** Engine writes by kind, for the one-way setting's "never writes the CRM". */
  readonly writes = { create: 0, update: 0, archive: 0 };
  private generation = 0;
  private nextId = 1;
  private faults: { method: Method | '*'; error: SyncError }[] = [];

  constructor(readonly now: () => number = Date.now) {}

  as(userId: string): InMemoryCrmContacts {
    return new InMemoryCrmContacts(this, userId);
  }

  failNext(method: Method | '*', error: SyncError): void {
    this.faults.push({ method, error });
  }
  checkFault(method: Method): void {
    const i = this.faults.findIndex((f) => f.method === method || f.method === '*');
    if (i >= 0) throw this.faults.splice(i, 1)[0]!.error;
  }
  expireCursors(): void {
    this.generation += 1;
  }
  cursor(): string {
    return `${this.generation}:${this.log.length}`;
  }
  seqOf(cursor: string): number | null {
    const [gen, seq] = cursor.split(':').map(Number);
    return gen === this.generation ? (seq ?? 0) : null;
  }

  touch(row: Row): void {
    row.version += 1;
    row.lastModified = iso(this.now());
    this.log.push(row.id);
  }

  view(row: Row, userId: string): CrmContact {
    return structuredClone({
      id: row.id,
      etag: `"${row.id}.v${row.version}"`,
      item: row.item,
      customerId: row.customerId,
      archived: row.archived,
      markedForMe: row.marks.has(userId),
      lastModified: row.lastModified,
    });
  }

  // ─── what a person does in the CRM ───
  personCreate(
    item: ContactItem,
    options: { markedFor?: string; customerId?: string } = {},
  ): string {
    const row: Row = {
      id: `con_${this.nextId++}`,
      version: 0,
      item: structuredClone(item),
      customerId: options.customerId ?? null,
      archived: false,
      deleted: false,
      marks: new Set(options.markedFor ? [options.markedFor] : []),
      lastModified: '',
    };
    this.rows.set(row.id, row);
    this.touch(row);
    return row.id;
  }
  personEdit(id: string, change: Partial<ContactItem>): void {
    const row = this.live(id);
    if (!row) return;
    row.item = { ...row.item, ...change };
    this.touch(row);
  }
  personArchive(id: string): void {
    const row = this.live(id);
    if (!row) return;
    row.archived = true;
    this.touch(row);
  }
  personDelete(id: string): void {
    const row = this.rows.get(id);
    if (!row || row.deleted) return;
    row.deleted = true;
    this.log.push(id);
  }
  personMark(id: string, userId: string, on: boolean): void {
    const row = this.live(id);
    if (!row) return;
    if (on) row.marks.add(userId);
    else row.marks.delete(userId);
    this.touch(row);
  }
  live(id: string): Row | null {
    const row = this.rows.get(id);
    return row && !row.deleted ? row : null;
  }
}

export class InMemoryCrmContacts implements CrmContacts {
  constructor(
    readonly backend: InMemoryCrmContactBackend,
    readonly userId: string,
  ) {}

  async changes(cursor: string | null): Promise<CrmContactChanges> {
    this.backend.checkFault('changes');
    const from = cursor === null ? 0 : this.backend.seqOf(cursor);
    if (from === null) throw new SyncError('cursorExpired', 'Cursor too old');
    const ids = new Set(this.backend.log.slice(from));
    const changed: CrmContact[] = [];
    const deleted: string[] = [];
    for (const id of ids) {
      const row = this.backend.live(id);
      if (row) changed.push(this.backend.view(row, this.userId));
      else if (cursor !== null) deleted.push(id);
    }
    return { changed, deleted, cursor: this.backend.cursor() };
  }

  async get(contactId: string): Promise<CrmContact | null> {
    this.backend.checkFault('get');
    const row = this.backend.live(contactId);
    return row && this.backend.view(row, this.userId);
  }

  async create(input: CrmContactInput, options: { idempotencyKey: string }): Promise<CrmContact> {
    this.backend.checkFault('create');
    const key = `${this.userId}:${options.idempotencyKey}`;
    const body = JSON.stringify(input);
    const prior = this.backend.idempotency.get(key);
    if (prior) {
      if (prior.input !== body) throw new SyncError('invalidRequest', 'Idempotency key reused');
      const row = this.backend.rows.get(prior.id)!;
      return this.backend.view(row, this.userId);
    }
    if (input.item.firstName.trim() === '' && input.item.lastName.trim() === '') {
      throw new SyncError('invalidRequest', 'A contact needs a name');
    }
    this.backend.writes.create += 1;
    const id = this.backend.personCreate(
      input.item,
      input.syncToOutlook ? { markedFor: this.userId } : {},
    );
    this.backend.idempotency.set(key, { input: body, id });
    return this.backend.view(this.backend.rows.get(id)!, this.userId);
  }

  async update(
    contactId: string,
    item: ContactItem,
    options: { etag: string },
  ): Promise<CrmContact> {
    this.backend.checkFault('update');
    const row = this.backend.live(contactId);
    if (!row) throw new SyncError('itemNotFound', `No contact ${contactId}`);
    const current = this.backend.view(row, this.userId);
    if (current.etag !== options.etag) throw new ConflictError('Stale etag', current);
    this.backend.writes.update += 1;
    row.item = structuredClone(item);
    this.backend.touch(row);
    return this.backend.view(row, this.userId);
  }

  async archive(contactId: string): Promise<CrmContact> {
    this.backend.checkFault('archive');
    const row = this.backend.live(contactId);
    if (!row) throw new SyncError('itemNotFound', `No contact ${contactId}`);
    this.backend.writes.archive += 1;
    if (!row.archived) {
      row.archived = true;
      this.backend.touch(row);
    }
    return this.backend.view(row, this.userId);
  }
}
