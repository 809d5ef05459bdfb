/**
 * Contact folders and contacts of a mailbox (https://learn.microsoft.com/graph/api/resources/contact),
 * and the contact delta (https://learn.microsoft.com/graph/api/contact-delta): a round's changes
 * are fixed when it starts and handed out page by page through `$skiptoken={round}.{offset}`;
 * its last page gives a deltaLink to the round's snapshot; deletions come as
 * `@removed: {reason: deleted}`. Every mutation is persisted with the rest of the state.
 */
import { randomBytes } from 'node:crypto';
import { GraphError, notFound } from './errors';
import { syncStateNotFound } from './delta';
import { mergeExtended, newChangeKey, newId } from './fields';
import { CONTACT_FIELD_NAMES, type ContactFields, type ContactInput } from './contactSchemas';
import type { GraphStore } from './store';
import type {
  ContactDeltaState,
  ExtendedProperty,
  Mailbox,
  StoredContact,
  StoredContactFolder,
} from './types';

const MAX_STATES = 2000;

/** The default Contacts folder's id: the parent of every folder a client makes. */
export const rootContactFolderId = (mbx: Mailbox): string => `AAMkContacts${mbx.userId}`;

const stampNow = (store: GraphStore): string =>
  new Date(store.now()).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

function contactsOf(mbx: Mailbox): Record<string, StoredContact> {
  mbx.contacts ??= {};
  return mbx.contacts;
}

function foldersOf(mbx: Mailbox): StoredContactFolder[] {
  mbx.contactFolders ??= [];
  return mbx.contactFolders;
}

export function listFolders(mbx: Mailbox): StoredContactFolder[] {
  return [...foldersOf(mbx)];
}

export function getFolder(mbx: Mailbox, folderId: string): StoredContactFolder {
  const folder = foldersOf(mbx).find((f) => f.id === folderId);
  if (!folder) throw notFound();
  return folder;
}

export function createFolder(
  store: GraphStore,
  mbx: Mailbox,
  displayName: string,
): StoredContactFolder {
  const folders = foldersOf(mbx);
  if (folders.some((f) => f.displayName.toLowerCase() === displayName.toLowerCase())) {
    throw new GraphError(
      409,
      'ErrorFolderExists',
      'A folder with the specified name already exists.',
    );
  }
  const folder = { id: newId('AAMkCF'), displayName, parentFolderId: rootContactFolderId(mbx) };
  folders.push(folder);
  store.changed();
  return folder;
}

export function contactsInFolder(mbx: Mailbox, folderId: string): StoredContact[] {
  getFolder(mbx, folderId);
  return Object.values(contactsOf(mbx))
    .filter((c) => c.parentFolderId === folderId)
    .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id));
}

export function findContact(mbx: Mailbox, contactId: string): StoredContact {
  const contact = contactsOf(mbx)[contactId];
  if (!contact) throw notFound();
  return contact;
}

function fieldsFrom(current: ContactFields, input: Partial<ContactInput>): ContactFields {
  const out: ContactFields = { ...current };
  for (const key of CONTACT_FIELD_NAMES) {
    if (key in input) Object.assign(out, { [key]: input[key] ?? null });
  }
  return out;
}

export function createContact(
  store: GraphStore,
  mbx: Mailbox,
  folderId: string,
  input: ContactInput,
): StoredContact {
  getFolder(mbx, folderId);
  const ts = stampNow(store);
  const contact: StoredContact = {
    id: newId('AAMkCT'),
    parentFolderId: folderId,
    createdDateTime: ts,
    lastModifiedDateTime: ts,
    changeKey: newChangeKey(),
    fields: fieldsFrom({}, input),
    extendedProperties: mergeExtended([], input.singleValueExtendedProperties),
  };
  contactsOf(mbx)[contact.id] = contact;
  store.changed();
  return contact;
}

export function patchContact(
  store: GraphStore,
  contact: StoredContact,
  input: Partial<ContactInput>,
): StoredContact {
  contact.fields = fieldsFrom(contact.fields, input);
  contact.extendedProperties = mergeExtended(
    contact.extendedProperties,
    input.singleValueExtendedProperties,
  );
  contact.changeKey = newChangeKey();
  contact.lastModifiedDateTime = stampNow(store);
  store.changed();
  return contact;
}

export function deleteContact(store: GraphStore, mbx: Mailbox, contactId: string): void {
  findContact(mbx, contactId);
  delete contactsOf(mbx)[contactId];
  store.changed();
}

/** Graph's rendering: every property present, null or empty when unset. */
export function serializeContact(
  c: StoredContact,
  opts: {
    select?: string[] | undefined;
    expandExtended?: ((p: ExtendedProperty) => boolean) | undefined;
  } = {},
): Record<string, unknown> {
  const f = c.fields;
  const full: Record<string, unknown> = {
    id: c.id,
    createdDateTime: c.createdDateTime,
    lastModifiedDateTime: c.lastModifiedDateTime,
    changeKey: c.changeKey,
    parentFolderId: c.parentFolderId,
  };
  for (const key of CONTACT_FIELD_NAMES) {
    const value = f[key];
    const isList = [
      'emailAddresses',
      'businessPhones',
      'homePhones',
      'imAddresses',
      'children',
      'categories',
    ].includes(key);
    const isAddress = key.endsWith('Address') && key !== 'emailAddresses';
    full[key] = value ?? (isList ? [] : isAddress ? {} : null);
  }
  // Outlook fills the display name from the parts when none is given.
  full.displayName =
    f.displayName ?? ([f.givenName, f.middleName, f.surname].filter(Boolean).join(' ') || null);
  const out: Record<string, unknown> = { '@odata.etag': `W/"${c.changeKey}"` };
  const keys = opts.select ? ['id', ...opts.select] : Object.keys(full);
  for (const k of keys) if (k in full) out[k] = full[k];
  if (opts.expandExtended) {
    const props = c.extendedProperties.filter(opts.expandExtended);
    if (props.length > 0) out.singleValueExtendedProperties = props.map((p) => ({ ...p }));
  }
  return out;
}

// ─── delta ────────────────────────────────────────────────────────────────────────────

function statesOf(store: GraphStore): Record<string, ContactDeltaState> {
  store.state.contactDeltaStates ??= {};
  return store.state.contactDeltaStates;
}

function save(store: GraphStore, state: ContactDeltaState): string {
  const states = statesOf(store);
  const keys = Object.keys(states);
  if (keys.length >= MAX_STATES) {
    keys.sort((a, b) => (states[a]?.createdAt ?? 0) - (states[b]?.createdAt ?? 0));
    for (const k of keys.slice(0, keys.length - MAX_STATES + 1)) delete states[k];
  }
  const token = randomBytes(18).toString('base64url');
  states[token] = state;
  store.changed();
  return token;
}

function lookup(store: GraphStore, mailbox: string, token: string): ContactDeltaState {
  const s = statesOf(store)[token];
  if (!s || s.mailbox !== mailbox) throw syncStateNotFound();
  return s;
}

/** Starts a round: every contact of the folder (no base), or the changes since `baseToken`. */
export function startContactRound(
  store: GraphStore,
  mbx: Mailbox,
  from: { folderId: string } | { baseToken: string },
): string {
  const base = 'baseToken' in from ? lookup(store, mbx.address, from.baseToken) : null;
  const folderId = base?.folderId ?? (from as { folderId: string }).folderId;
  if (base && !foldersOf(mbx).some((f) => f.id === folderId)) throw syncStateNotFound();
  const current = contactsInFolder(mbx, folderId);
  const snapshot: Record<string, string> = {};
  for (const c of current) snapshot[c.id] = c.changeKey;
  const changes: { id: string; removed: boolean }[] = [];
  for (const c of current) {
    if (base?.snapshot[c.id] !== c.changeKey) changes.push({ id: c.id, removed: false });
  }
  for (const id of Object.keys(base?.snapshot ?? {})) {
    if (!(id in snapshot)) changes.push({ id, removed: true });
  }
  return save(store, { mailbox: mbx.address, folderId, createdAt: store.now(), snapshot, changes });
}

export type ContactDeltaItem =
  { removed: true; id: string } | { removed: false; contact: StoredContact };

export function readContactPage(
  store: GraphStore,
  mbx: Mailbox,
  skipToken: string,
  pageSize: number,
): { items: ContactDeltaItem[]; skipToken?: string; deltaToken?: string } {
  const m = /^([A-Za-z0-9_-]+)\.(\d+)$/.exec(skipToken);
  if (!m) throw syncStateNotFound();
  const round = lookup(store, mbx.address, m[1] ?? '');
  if (!round.changes) throw syncStateNotFound();
  const offset = Number(m[2]);
  const items: ContactDeltaItem[] = round.changes.slice(offset, offset + pageSize).map((c) => {
    const contact = c.removed ? undefined : mbx.contacts?.[c.id];
    return contact ? { removed: false, contact } : { removed: true, id: c.id };
  });
  if (offset + pageSize < round.changes.length)
    return { items, skipToken: `${m[1]}.${offset + pageSize}` };
  // The final page of a round always names the same delta state.
  round.finalToken ??= save(store, { ...round, changes: undefined, createdAt: store.now() });
  return { items, deltaToken: round.finalToken };
}
