/**
 * The contact ports' contracts (src/sync/ports.ts: OutlookContacts, CrmContacts, SPEC K2), run
 * against the in-memory fakes (test/unit/sync/contactsContract.test.ts). The real adapters
 * (Graph contact folders, the CRM's contact feed) are to pass the same suites over HTTP.
 */
import { ConflictError, SyncError } from '../../src/sync/core/errors';
import type { ContactItem } from '../../src/sync/core/contacts/model';
import type { CrmContacts, OutlookContacts } from '../../src/sync/ports';

export const sampleContact = (o: Partial<ContactItem> = {}): ContactItem => ({
  firstName: 'Aino',
  lastName: 'Virtanen',
  email: 'aino@customer.example',
  phone: '+358 40 123 4567',
  title: 'CFO',
  ...o,
});

async function rejection(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SyncError) return err;
    throw err;
  }
  throw new Error('expected a SyncError');
}

export interface OutlookContactsSubject {
  readonly outlook: OutlookContacts;
  /** Makes every delta link handed out so far expire. */
  expireDeltaLinks(): Promise<void>;
}

export function runOutlookContactsContract(
  name: string,
  make: () => Promise<OutlookContactsSubject>,
): void {
  describe(`OutlookContacts contract: ${name}`, () => {
    let s: OutlookContactsSubject;
    let folder: string;
    beforeEach(async () => {
      s = await make();
      folder = await s.outlook.ensureFolder(`CRM contacts ${Math.random()}`);
    });

    it('ensureFolder finds the folder it made by name instead of making another', async () => {
      const name = `Ours ${Math.random()}`;
      expect(await s.outlook.ensureFolder(name)).toBe(await s.outlook.ensureFolder(name));
    });

    it('create → stamped, read back by get, listed by changes and findByCrmId', async () => {
      const created = await s.outlook.create(folder, sampleContact(), { crmId: 'con_1' });
      expect(created).toMatchObject({ item: sampleContact(), crmId: 'con_1' });
      expect(await s.outlook.get(created.id)).toEqual(created);
      const all = await s.outlook.changes(folder, null);
      expect(all.changed.map((c) => c.id)).toEqual([created.id]);
      expect((await s.outlook.findByCrmId(folder, 'con_1')).map((c) => c.id)).toEqual([created.id]);
      expect(await s.outlook.findByCrmId(folder, 'con_2')).toEqual([]);
    });

    it('delta: edits since the link, deletions as @removed; an expired link → resyncRequired', async () => {
      const a = await s.outlook.create(folder, sampleContact(), { crmId: 'con_a' });
      const b = await s.outlook.create(folder, sampleContact({ firstName: 'Bertil' }), {
        crmId: 'con_b',
      });
      const first = await s.outlook.changes(folder, null);
      await s.outlook.update(a.id, sampleContact({ title: 'CEO' }), { etag: a.etag });
      await s.outlook.delete(b.id);
      const next = await s.outlook.changes(folder, first.deltaLink);
      expect(next.changed.map((c) => [c.id, c.item.title])).toEqual([[a.id, 'CEO']]);
      expect(next.removed).toEqual([b.id]);
      await s.expireDeltaLinks();
      expect((await rejection(s.outlook.changes(folder, next.deltaLink))).kind).toBe(
        'resyncRequired',
      );
    });

    it('update with a stale etag → ConflictError carrying the current contact', async () => {
      const c = await s.outlook.create(folder, sampleContact(), { crmId: 'con_1' });
      await s.outlook.update(c.id, sampleContact({ title: 'CEO' }), { etag: c.etag });
      const error = await rejection(s.outlook.update(c.id, sampleContact(), { etag: c.etag }));
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError<{ item: ContactItem }>).current?.item.title).toBe('CEO');
    });

    it('stamp and unstamp; delete is idempotent and get then answers null', async () => {
      const c = await s.outlook.create(folder, sampleContact(), { crmId: 'con_1' });
      await s.outlook.stamp(c.id, 'con_9');
      expect((await s.outlook.get(c.id))?.crmId).toBe('con_9');
      await s.outlook.stamp(c.id, null);
      expect((await s.outlook.get(c.id))?.crmId).toBeNull();
      await s.outlook.delete(c.id);
      await s.outlook.delete(c.id);
      expect(await s.outlook.get(c.id)).toBeNull();
    });
  });
}

export interface CrmContactsSubject {
  readonly crm: CrmContacts;
  /** Another user of the same company: marks are per user. */
  readonly other: CrmContacts;
  /** A person deletes a contact in the CRM (the CRM's own UI). */
  deleteInCrm(contactId: string): Promise<void>;
  expireCursors(): Promise<void>;
}

let keySeq = 0;
const key = () => `contacts-contract-${Date.now()}-${keySeq++}`;

export function runCrmContactsContract(
  name: string,
  make: () => Promise<CrmContactsSubject>,
): void {
  describe(`CrmContacts contract: ${name}`, () => {
    let s: CrmContactsSubject;
    beforeEach(async () => {
      s = await make();
    });

    it('create → in the feed and by get, marked for its creator only (SPEC K2)', async () => {
      const created = await s.crm.create(
        { item: sampleContact(), syncToOutlook: true },
        { idempotencyKey: key() },
      );
      expect(created).toMatchObject({ item: sampleContact(), archived: false, markedForMe: true });
      expect((await s.crm.changes(null)).changed.map((c) => c.id)).toContain(created.id);
      expect(await s.crm.get(created.id)).toEqual(created);
      expect((await s.other.get(created.id))?.markedForMe).toBe(false);
    });

    it('the same idempotency key returns the first contact, no duplicate', async () => {
      const k = key();
      const first = await s.crm.create(
        { item: sampleContact(), syncToOutlook: true },
        { idempotencyKey: k },
      );
      const again = await s.crm.create(
        { item: sampleContact(), syncToOutlook: true },
        { idempotencyKey: k },
      );
      expect(again.id).toBe(first.id);
    });

    it('feed: changes since a cursor, archived ones with archived=true, deletions as tombstones; 410 → resyncRequired', async () => {
      const a = await s.crm.create(
        { item: sampleContact(), syncToOutlook: true },
        { idempotencyKey: key() },
      );
      const b = await s.crm.create(
        { item: sampleContact({ email: 'b@x.example' }), syncToOutlook: true },
        { idempotencyKey: key() },
      );
      const { cursor } = await s.crm.changes(null);
      await s.crm.archive(a.id);
      await s.deleteInCrm(b.id);
      const next = await s.crm.changes(cursor);
      expect(next.changed.map((c) => [c.id, c.archived])).toEqual([[a.id, true]]);
      expect(next.deleted).toEqual([b.id]);
      expect(await s.crm.get(b.id)).toBeNull();
      expect((await s.crm.get(a.id))?.archived).toBe(true);
      await s.expireCursors();
      expect((await rejection(s.crm.changes(next.cursor))).kind).toBe('resyncRequired');
    });

    it('update needs the current etag: a stale one → ConflictError with the current contact', async () => {
      const c = await s.crm.create(
        { item: sampleContact(), syncToOutlook: false },
        { idempotencyKey: key() },
      );
      const updated = await s.crm.update(c.id, sampleContact({ title: 'CEO' }), { etag: c.etag });
      expect(updated.item.title).toBe('CEO');
      expect(updated.etag).not.toBe(c.etag);
      const error = await rejection(s.crm.update(c.id, sampleContact(), { etag: c.etag }));
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError<{ item: ContactItem }>).current?.item.title).toBe('CEO');
    });

    it('archive is idempotent', async () => {
      const c = await s.crm.create(
        { item: sampleContact(), syncToOutlook: false },
        { idempotencyKey: key() },
      );
      expect((await s.crm.archive(c.id)).archived).toBe(true);
      expect((await s.crm.archive(c.id)).archived).toBe(true);
    });
  });
}
