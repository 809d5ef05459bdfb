/**
 * An in-memory OutlookContacts that behaves like the Graph adapter where the engine can tell:
 * contact folders by name, delta links as sequence numbers with `@removed` (410 after
 * `expireDeltaLinks()`), etags that move on every write (a stale one → ConflictError with the
 * current contact), idempotent deletes, no transactionId. Test hooks: `person*` for what a
 * person does in Outlook, `failNext()`.
 */
import { ConflictError, SyncError } from '../../src/sync/core/errors';
import type { ContactItem } from '../../src/sync/core/contacts/model';
import type { OutlookContact, OutlookContactChanges, OutlookContacts } from '../../src/sync/ports';

interface Stored {
  contact: OutlookContact;
  folderId: string;
  seq: number;
}
type Method = keyof OutlookContacts;

export class InMemoryOutlookContacts implements OutlookContacts {
  readonly folders = new Map<string, string>(); // id → name
  private readonly contacts = new Map<string, Stored>();
  private readonly tombstones = new Map<string, { folderId: string; seq: number }>();
  private readonly faults: { method: Method | '*'; error: SyncError }[] = [];
  private seq = 0;
  private epoch = 0;
  private nextId = 1;

  constructor(private readonly now: () => number = () => Date.UTC(2026, 0, 1)) {}

  // ─── test hooks ───
  failNext(method: Method | '*', error: SyncError): void {
    this.faults.push({ method, error });
  }
  expireDeltaLinks(): void {
    this.epoch += 1;
  }
  personCreate(folderId: string, item: ContactItem): OutlookContact {
    return this.write(`fake-contact-${this.nextId++}`, folderId, item, null);
  }
  personEdit(id: string, change: Partial<ContactItem>): void {
    const s = this.contacts.get(id);
    if (s) this.write(id, s.folderId, { ...s.contact.item, ...change }, s.contact.crmId);
  }
  /** The contact re-made under a new id with its content and stamp (moved out and back). */
  personRemake(id: string): OutlookContact {
    const s = this.contacts.get(id);
    if (!s) throw new Error(`No contact ${id}`);
    this.personDelete(id);
    return this.write(`fake-contact-${this.nextId++}`, s.folderId, s.contact.item, s.contact.crmId);
  }
  /** A person (or another tool) writes `crmId` into the contact's stamp, as it is. */
  personStamp(id: string, crmId: string): void {
    const s = this.contacts.get(id);
    if (s) this.write(id, s.folderId, s.contact.item, crmId);
  }
  personDelete(id: string): void {
    const s = this.contacts.get(id);
    if (!s) return;
    this.contacts.delete(id);
    this.tombstones.set(id, { folderId: s.folderId, seq: ++this.seq });
  }
  all(folderId?: string): OutlookContact[] {
    return [...this.contacts.values()]
      .filter((s) => folderId === undefined || s.folderId === folderId)
      .map((s) => structuredClone(s.contact));
  }

  // ─── the port ───
  async ensureFolder(name: string): Promise<string> {
    this.fault('ensureFolder');
    for (const [id, n] of this.folders) if (n === name) return id;
    const id = `fake-folder-${this.folders.size + 1}`;
    this.folders.set(id, name);
    return id;
  }

  async changes(folderId: string, deltaLink: string | null): Promise<OutlookContactChanges> {
    this.fault('changes');
    this.folder(folderId);
    let since = 0;
    if (deltaLink !== null) {
      const m = /^fake-contacts-delta:(\d+):(\d+):(.*)$/.exec(deltaLink);
      if (!m || Number(m[1]) !== this.epoch || m[3] !== folderId) {
        throw new SyncError('cursorExpired', 'The delta link expired');
      }
      since = Number(m[2]);
    }
    const changed = [...this.contacts.values()]
      .filter((s) => s.folderId === folderId && s.seq > since)
      .map((s) => structuredClone(s.contact));
    const removed =
      deltaLink === null
        ? []
        : [...this.tombstones]
            .filter(([, t]) => t.folderId === folderId && t.seq > since)
            .map(([id]) => id);
    return {
      changed,
      removed,
      deltaLink: `fake-contacts-delta:${this.epoch}:${this.seq}:${folderId}`,
    };
  }

  async get(contactId: string): Promise<OutlookContact | null> {
    this.fault('get');
    const s = this.contacts.get(contactId);
    return s ? structuredClone(s.contact) : null;
  }

  async findByCrmId(folderId: string, crmId: string): Promise<readonly OutlookContact[]> {
    this.fault('findByCrmId');
    this.folder(folderId);
    return this.all(folderId).filter((c) => c.crmId === crmId);
  }

  async create(
    folderId: string,
    item: ContactItem,
    options: { readonly crmId: string },
  ): Promise<OutlookContact> {
    this.fault('create');
    this.folder(folderId);
    if (item.firstName.trim() === '' && item.lastName.trim() === '' && !item.email) {
      throw new SyncError('invalidRequest', 'Graph refuses an empty contact');
    }
    return structuredClone(
      this.write(`fake-contact-${this.nextId++}`, folderId, item, options.crmId),
    );
  }

  async update(
    contactId: string,
    item: ContactItem,
    options: { readonly etag: string },
  ): Promise<OutlookContact> {
    this.fault('update');
    const s = this.mustGet(contactId);
    if (s.contact.etag !== options.etag)
      throw new ConflictError('The etag is stale', structuredClone(s.contact));
    return structuredClone(this.write(contactId, s.folderId, item, s.contact.crmId));
  }

  async stamp(contactId: string, crmId: string | null): Promise<{ readonly etag: string }> {
    this.fault('stamp');
    const s = this.mustGet(contactId);
    this.write(contactId, s.folderId, s.contact.item, crmId);
    return { etag: this.mustGet(contactId).contact.etag };
  }

  async delete(contactId: string): Promise<void> {
    this.fault('delete');
    this.personDelete(contactId);
  }

  // ─── internals ───
  private write(
    id: string,
    folderId: string,
    item: ContactItem,
    crmId: string | null,
  ): OutlookContact {
    this.folder(folderId);
    const seq = ++this.seq;
    const contact: OutlookContact = {
      id,
      etag: `W/"c${seq}"`,
      item: structuredClone(item),
      crmId,
      lastModified: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    this.contacts.set(id, { contact, folderId, seq });
    return contact;
  }
  private mustGet(id: string): Stored {
    const s = this.contacts.get(id);
    if (!s) throw new SyncError('itemNotFound', 'No such contact');
    return s;
  }
  private folder(folderId: string): void {
    if (!this.folders.has(folderId)) throw new SyncError('itemNotFound', 'No such contact folder');
  }
  private fault(method: Method): void {
    const i = this.faults.findIndex((f) => f.method === method || f.method === '*');
    if (i >= 0) throw this.faults.splice(i, 1)[0]!.error;
  }
}
