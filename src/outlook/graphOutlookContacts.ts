/**
 * The OutlookContacts port (src/sync/ports.ts, SPEC K1, K2) over Graph: the product's own contact
 * folder (found by name, made on first use), contact delta (pages to a deltaLink, `@removed`,
 * 410 → resyncRequired), the CRM contact id as a single-value extended property (filterable,
 * crmStamp.ts), If-Match updates. Our fields: givenName, surname, the first e-mail address, the
 * first business phone and jobTitle; Outlook's other fields (more addresses and phones, notes…)
 * stay as they are. Contact content is never logged.
 */
import { normaliseContact, type ContactItem } from '../sync/core/contacts/model';
import { ConflictError, SyncError } from '../sync/core/errors';
import type { OutlookContact, OutlookContactChanges, OutlookContacts } from '../sync/ports';
import { PageGuard } from '../transport/bounds';
import {
  CRM_CONTACT_ID_PROPERTY,
  expandStamp,
  odataString,
  readStamp,
  stampFilter,
  stampProperties,
  stampProperty,
} from './crmStamp';
import { runBatch } from './graphBatch';
import { PREFER, type GraphClient } from './graphClient';
import {
  contactDeltaPageSchema,
  contactFolderPageSchema,
  contactFolderSchema,
  contactPageSchema,
  contactStampSchema,
  graphContactSchema,
  removedContactSchema,
  type ContactDeltaPage,
  type ContactPage,
  type GraphContact,
} from './graphContactSchemas';

const enc = encodeURIComponent;
const EXPAND = enc(expandStamp(CRM_CONTACT_ID_PROPERTY));
const DELTA_PAGE_SIZE = 100;
/** Bounds a search's paging (standards: every loop is bounded). */
const MAX_PAGES = 1000;

const contactPaths = {
  folders: '/me/contactFolders',
  folderByName: (name: string) =>
    `/me/contactFolders?$filter=${enc(`displayName eq ${odataString(name)}`)}`,
  folderContacts: (folderId: string) => `/me/contactFolders/${enc(folderId)}/contacts`,
  delta: (folderId: string) => `/me/contactFolders/${enc(folderId)}/contacts/delta`,
  contact: (id: string) => `/me/contacts/${enc(id)}`,
  contactWithStamp: (id: string) => `/me/contacts/${enc(id)}?$expand=${EXPAND}`,
  stampOnly: (id: string) => `/me/contacts/${enc(id)}?$select=id&$expand=${EXPAND}`,
  findByStamp: (folderId: string, crmId: string, property: string) =>
    `/me/contactFolders/${enc(folderId)}/contacts?$filter=${enc(
      stampFilter(crmId, property),
    )}&$expand=${EXPAND}`,
};

export function contactFromGraph(c: GraphContact, crmId: string | null): OutlookContact {
  return {
    id: c.id,
    etag: c['@odata.etag'] ?? `W/"${c.changeKey ?? ''}"`,
    item: normaliseContact({
      firstName: c.givenName ?? '',
      lastName: c.surname ?? '',
      email: c.emailAddresses?.find((e) => e.address)?.address ?? null,
      phone: c.businessPhones?.[0] ?? null,
      title: c.jobTitle ?? null,
    }),
    crmId,
    lastModified: c.lastModifiedDateTime ?? '',
  };
}

/** Our fields over what Outlook holds: the first address and phone are ours, the rest stay. */
function contactToGraph(item: ContactItem, current: GraphContact | null) {
  const name = `${item.firstName} ${item.lastName}`.trim();
  const emails = (current?.emailAddresses ?? []).filter((e) => e.address);
  const phones = current?.businessPhones ?? [];
  return {
    givenName: item.firstName,
    surname: item.lastName,
    displayName: name,
    jobTitle: item.title,
    emailAddresses: [
      ...(item.email ? [{ address: item.email, name }] : []),
      ...emails.slice(1).map((e) => ({ address: e.address ?? null, name: e.name ?? null })),
    ],
    businessPhones: [...(item.phone ? [item.phone] : []), ...phones.slice(1)],
  };
}

export class GraphOutlookContacts implements OutlookContacts {
  constructor(private readonly client: GraphClient) {}

  async ensureFolder(name: string): Promise<string> {
    const { data } = await this.client.request({
      method: 'GET',
      path: contactPaths.folderByName(name),
      schema: contactFolderPageSchema,
    });
    const found = data.value.find((f) => f.displayName === name) ?? data.value[0];
    if (found) return found.id;
    try {
      const { data: made } = await this.client.request({
        method: 'POST',
        path: contactPaths.folders,
        body: { displayName: name },
        schema: contactFolderSchema,
      });
      return made.id;
    } catch (err) {
      // Another client made it between our read and our create: use theirs.
      // (graphErrors.ts puts Graph's error code, never content, into the message.)
      if (!(err instanceof SyncError) || !/ErrorFolderExists/.test(err.message)) throw err;
      const { data: again } = await this.client.request({
        method: 'GET',
        path: contactPaths.folderByName(name),
        schema: contactFolderPageSchema,
      });
      const theirs = again.value[0];
      if (!theirs) throw err;
      return theirs.id;
    }
  }

  async changes(folderId: string, deltaLink: string | null): Promise<OutlookContactChanges> {
    const changed = new Map<string, GraphContact>();
    const removed = new Set<string>();
    let next: string | null = deltaLink ?? contactPaths.delta(folderId);
    let finalLink: string | null = null;
    const guard = new PageGuard('Graph', this.client.maxPages); // issue 14: no nextLink cycle holds the run
    while (next) {
      guard.next(next);
      const { data: page }: { data: ContactDeltaPage } = await this.client.request({
        method: 'GET',
        path: next,
        headers: { Prefer: `${PREFER}, odata.maxpagesize=${DELTA_PAGE_SIZE}` },
        schema: contactDeltaPageSchema,
      });
      for (const raw of page.value) {
        const gone = removedContactSchema.safeParse(raw);
        if (gone.success) {
          changed.delete(gone.data.id);
          removed.add(gone.data.id);
          continue;
        }
        const contact = graphContactSchema.safeParse(raw);
        if (!contact.success) {
          throw new SyncError('invalidResponse', 'Graph sent a contact delta entry we cannot read');
        }
        removed.delete(contact.data.id);
        changed.set(contact.data.id, contact.data);
      }
      next = page['@odata.nextLink'] ?? null;
      finalLink = page['@odata.deltaLink'] ?? null;
    }
    if (!finalLink) throw new SyncError('invalidResponse', 'Graph delta ended without a deltaLink');
    // Delta cannot $expand: the stamps are read in $batch requests of 20.
    const ids = [...changed.keys()];
    const stamps = await runBatch(
      this.client,
      ids.map((id) => ({
        method: 'GET' as const,
        url: contactPaths.stampOnly(id),
        schema: contactStampSchema,
      })),
    );
    const out: OutlookContact[] = [];
    stamps.forEach((r, i) => {
      const id = ids[i] ?? '';
      const contact = changed.get(id);
      if (r.ok && contact) out.push(contactFromGraph(contact, readStampOf(r.data)));
      else if (!r.ok && r.error.code === 'itemNotFound') removed.add(id);
      else if (!r.ok) throw r.error;
    });
    return { changed: out, removed: [...removed], deltaLink: finalLink };
  }

  private async read(contactId: string): Promise<GraphContact | null> {
    try {
      const { data } = await this.client.request({
        method: 'GET',
        path: contactPaths.contactWithStamp(contactId),
        schema: graphContactSchema,
      });
      return data;
    } catch (err) {
      if (err instanceof SyncError && err.code === 'itemNotFound') return null;
      throw err;
    }
  }

  async get(contactId: string): Promise<OutlookContact | null> {
    const c = await this.read(contactId);
    return c && contactFromGraph(c, readStampOf(c));
  }

  async findByCrmId(folderId: string, crmId: string): Promise<readonly OutlookContact[]> {
    const found: OutlookContact[] = [];
    // The product's stamp, then the legacy one (crmStamp.ts): contacts stamped before issue 12.
    const queue = stampProperties(CRM_CONTACT_ID_PROPERTY).map((p) =>
      contactPaths.findByStamp(folderId, crmId, p),
    );
    const seen = new Set<string>();
    let next: string | null = queue.shift() ?? null;
    for (let pages = 0; next && pages < MAX_PAGES; pages++) {
      const { data }: { data: ContactPage } = await this.client.request({
        method: 'GET',
        path: next,
        schema: contactPageSchema,
      });
      for (const c of data.value) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        found.push(contactFromGraph(c, readStampOf(c)));
      }
      next = data['@odata.nextLink'] ?? queue.shift() ?? null;
    }
    return found;
  }

  async create(
    folderId: string,
    item: ContactItem,
    options: { readonly crmId: string },
  ): Promise<OutlookContact> {
    const { data } = await this.client.request({
      method: 'POST',
      path: contactPaths.folderContacts(folderId),
      body: {
        ...contactToGraph(item, null),
        singleValueExtendedProperties: stampProperty(options.crmId, CRM_CONTACT_ID_PROPERTY),
      },
      schema: graphContactSchema,
    });
    return contactFromGraph(data, options.crmId);
  }

  async update(
    contactId: string,
    item: ContactItem,
    options: { readonly etag: string },
  ): Promise<OutlookContact> {
    const current = await this.read(contactId);
    if (current === null) throw new SyncError('itemNotFound', 'The contact is gone');
    try {
      const { data } = await this.client.request({
        method: 'PATCH',
        path: contactPaths.contact(contactId),
        body: contactToGraph(item, current),
        headers: { 'If-Match': options.etag },
        schema: graphContactSchema,
      });
      return contactFromGraph(data, readStampOf(current));
    } catch (err) {
      if (err instanceof ConflictError) {
        throw new ConflictError(err.message, await this.get(contactId), { cause: err });
      }
      throw err;
    }
  }

  async stamp(contactId: string, crmId: string | null): Promise<{ readonly etag: string }> {
    // contact-update.md: the PATCH answers with the updated contact, its changeKey included.
    const { data: c } = await this.client.request({
      method: 'PATCH',
      path: contactPaths.contact(contactId),
      body: { singleValueExtendedProperties: stampProperty(crmId, CRM_CONTACT_ID_PROPERTY) },
      schema: graphContactSchema,
    });
    return { etag: c['@odata.etag'] ?? `W/"${c.changeKey ?? ''}"` };
  }

  async delete(contactId: string): Promise<void> {
    try {
      await this.client.request({
        method: 'DELETE',
        path: contactPaths.contact(contactId),
        schema: null,
      });
    } catch (err) {
      // Idempotent (ports.ts): a contact that is already gone is deleted.
      if (err instanceof SyncError && err.code === 'itemNotFound') return;
      throw err;
    }
  }
}

const readStampOf = (c: Pick<GraphContact, 'singleValueExtendedProperties'>) =>
  readStamp(c, CRM_CONTACT_ID_PROPERTY);
