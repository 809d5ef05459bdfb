/**
 * The CrmContacts port (src/sync/ports.ts, SPEC K2) over the CRM Sync API: the contacts' change
 * feed with tombstones (410 → resyncRequired), creates with an Idempotency-Key, If-Match updates
 * (412 → ConflictError carrying the current contact), idempotent archive. Every body is checked
 * by zod in CrmHttp. Contact content is never logged.
 */
import type { ContactItem } from '../sync/core/contacts/model';
import { ConflictError, SyncError } from '../sync/core/errors';
import type { CrmContact, CrmContactChanges, CrmContactInput, CrmContacts } from '../sync/ports';
import type { CrmApi } from './crmActivities';
import { ContactChangeSchema, ContactSchema } from './directorySchemas';
import { readChangeFeed } from './changeFeed';
import type { CrmAuth, CrmHttp } from './http';
import { toInstant } from './mapping';

type ApiContact = ReturnType<typeof ContactSchema.parse>;

const id = (value: string) => encodeURIComponent(value);

export function contactFromApi(c: ApiContact): CrmContact {
  return {
    id: c.id,
    etag: c.etag,
    item: {
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.email,
      phone: c.phone,
      title: c.title,
    },
    customerId: c.customerId,
    archived: c.archived,
    markedForMe: c.syncToOutlook,
    lastModified: toInstant(c.updatedAt),
  };
}

/** The synced fields only: the customer and the marks stay as the CRM has them. */
const fieldsOf = (item: ContactItem) => ({
  firstName: item.firstName,
  lastName: item.lastName,
  email: item.email,
  phone: item.phone,
  title: item.title,
});

export function createCrmContacts(session: { readonly http: CrmHttp } & CrmAuth): CrmContacts {
  return new HttpCrmContacts({ http: session.http, auth: session });
}

export class HttpCrmContacts implements CrmContacts {
  constructor(private readonly api: CrmApi) {}

  async changes(cursor: string | null): Promise<CrmContactChanges> {
    return readChangeFeed(
      this.api,
      { path: '/contacts/changes', entry: ContactChangeSchema },
      cursor,
      (c) => contactFromApi(c.contact),
    );
  }

  async get(contactId: string): Promise<CrmContact | null> {
    const res = await this.api.http.send({
      method: 'GET',
      path: `/contacts/${id(contactId)}`,
      schema: ContactSchema,
      auth: this.api.auth,
      expect: [404],
    });
    return res.ok ? contactFromApi(res.body) : null;
  }

  async create(
    input: CrmContactInput,
    options: { readonly idempotencyKey: string },
  ): Promise<CrmContact> {
    const c = await this.api.http.call({
      method: 'POST',
      path: '/contacts',
      body: { ...fieldsOf(input.item), syncToOutlook: input.syncToOutlook },
      headers: { 'Idempotency-Key': options.idempotencyKey },
      schema: ContactSchema,
      auth: this.api.auth,
    });
    return contactFromApi(c);
  }

  async update(
    contactId: string,
    item: ContactItem,
    options: { readonly etag: string },
  ): Promise<CrmContact> {
    try {
      const c = await this.api.http.call({
        method: 'PATCH',
        path: `/contacts/${id(contactId)}`,
        body: fieldsOf(item),
        headers: { 'If-Match': options.etag },
        schema: ContactSchema,
        auth: this.api.auth,
      });
      return contactFromApi(c);
    } catch (err) {
      throw toContactConflict(err);
    }
  }

  async archive(contactId: string): Promise<CrmContact> {
    const c = await this.api.http.call({
      method: 'POST',
      path: `/contacts/${id(contactId)}/archive`,
      schema: ContactSchema,
      auth: this.api.auth,
    });
    return contactFromApi(c);
  }
}

/** The 412's `current` is an API contact; the port promises a CrmContact. */
function toContactConflict(err: unknown): unknown {
  if (!(err instanceof ConflictError)) return err;
  const parsed = ContactSchema.safeParse(err.current);
  if (!parsed.success) {
    return new SyncError('invalidResponse', 'The 412 did not carry the current contact');
  }
  return new ConflictError<CrmContact>(err.message, contactFromApi(parsed.data), { cause: err });
}
