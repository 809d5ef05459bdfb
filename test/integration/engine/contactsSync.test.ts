/**
 * SPEC K2 end to end: the engine's contact step through both sandbox servers over real HTTP,
 * wired by the composition root from the contact settings. Two-way: a contact marked in the CRM
 * reaches the Graph emulator's folder, an Outlook contact reaches the CRM, deleting in Outlook
 * archives in the CRM, deleting in the CRM deletes in Outlook. One-way CRM → Outlook: the same
 * marks arrive, and nothing done in Outlook ever writes the CRM.
 */
import { DEMO } from '../../../sandbox/crm';
import { ContactSchema } from '../../../src/crm/directorySchemas';
import {
  CRM_CONTACT_ID_PROPERTY,
  LEGACY_CRM_CONTACT_ID_PROPERTY,
} from '../../../src/outlook/crmStamp';
import { CONTACT_FOLDER_NAME } from '../../../src/sync/compose';
import type { ContactMode } from '../../../src/sync/core/contacts/types';
import { DEFAULT_DIRECTION } from '../../../src/sync/core/settings';
import { runSync } from '../../../src/sync/engine/run';
import { NOW, startTwoSides, type TwoSides } from '../../support/twoSides';

jest.setTimeout(120_000);

const MARKED = [
  'liisa.laine@fabrikam.example',
  'mikko.maki@fabrikam.example',
  'sven@northwind.example',
];

type GraphContact = {
  id: string;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  emailAddresses: { address: string }[];
  '@odata.etag': string;
};

type World = TwoSides;

async function startWorld(mode: ContactMode): Promise<World> {
  return startTwoSides({
    name: `contacts-${mode}`,
    settings: {
      outlookToCrm: { ...DEFAULT_DIRECTION, daysAhead: 7 },
      crmToOutlook: { ...DEFAULT_DIRECTION, daysAhead: 7 },
      contacts: { mode, addActivityContacts: false, conflictPolicy: 'newest-wins' },
    },
    clock: () => new Date(engineNow).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
}

/**
 * The engine's clock. Runs come at the CRM's cadence, 5 minutes apart (issue 16, item 5: the
 * contact step asks for changes only that often), as the pane's pull does (SPEC S2).
 */
let engineNow = Date.parse(NOW);

async function sync(w: World): Promise<void> {
  const outcome = await runSync(w.deps, {});
  expect(outcome.state).toBe('done');
  engineNow += 5 * 60_000;
}

async function folderContacts(w: World): Promise<GraphContact[]> {
  const q = encodeURIComponent(`displayName eq '${CONTACT_FOLDER_NAME}'`);
  const folders = (await w.graph('GET', `/me/contactFolders?$filter=${q}`)) as {
    value: { id: string }[];
  };
  expect(folders.value).toHaveLength(1);
  const page = (await w.graph(
    'GET',
    `/me/contactFolders/${folders.value[0]!.id}/contacts?$top=500`,
  )) as { value: GraphContact[] };
  return page.value;
}

const emailsOf = (contacts: GraphContact[]) =>
  contacts.map((c) => c.emailAddresses[0]?.address ?? '').sort();

/** Every CRM contact as anna sees it, archived ones too. */
async function crmList(w: World) {
  const res = await fetch(`${w.crmUrl}/api/v1/contacts?includeArchived=true&limit=500`, {
    headers: {
      'x-api-key': DEMO.apiKey,
      authorization: `Bearer ${await w.session.accessToken()}`,
    },
  });
  const body = (await res.json()) as { items: unknown[] };
  return body.items.map((c) => ContactSchema.parse(c));
}

async function markForAnna(w: World, contactId: string): Promise<void> {
  const current = (await crmList(w)).find((c) => c.id === contactId)!;
  const res = await fetch(`${w.crmUrl}/api/v1/contacts/${contactId}`, {
    method: 'PATCH',
    headers: {
      'x-api-key': DEMO.apiKey,
      authorization: `Bearer ${await w.session.accessToken()}`,
      'content-type': 'application/json',
      'if-match': current.etag,
    },
    body: JSON.stringify({ syncToOutlook: true }),
  });
  expect(res.status).toBe(200);
}

async function deleteInCrm(w: World, contactId: string): Promise<void> {
  const res = await fetch(`${w.crmUrl}/sandbox/contacts/${contactId}/delete`, {
    method: 'POST',
    headers: { 'x-api-key': DEMO.adminApiKey },
  });
  expect(res.status).toBe(200);
}

describe('contacts two-way through both sandbox servers (SPEC K2)', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('twoWay');
  });
  afterAll(() => w.close());

  it('a contact marked in the CRM appears in the Outlook folder after a run', async () => {
    await sync(w);
    expect(emailsOf(await folderContacts(w))).toEqual(MARKED);
    await markForAnna(w, 'con_northwind_ingrid');
    await sync(w);
    const ingrid = (await crmList(w)).find((c) => c.id === 'con_northwind_ingrid')!;
    // Ingrid has no e-mail address: she is found by name.
    const names = (await folderContacts(w)).map((c) => `${c.givenName} ${c.surname}`);
    expect(names).toContain(`${ingrid.firstName} ${ingrid.lastName}`);
  });

  it('an Outlook contact appears in the CRM, marked for its owner', async () => {
    const folder = (await folderContacts(w))[0]!;
    const folderId = (
      (await w.graph('GET', `/me/contacts/${folder.id}`)) as {
        parentFolderId: string;
      }
    ).parentFolderId;
    await w.graph('POST', `/me/contactFolders/${folderId}/contacts`, {
      givenName: 'Oona',
      surname: 'Outlook',
      emailAddresses: [{ address: 'oona@outlook-made.example', name: 'Oona Outlook' }],
      jobTitle: 'Buyer',
    });
    await sync(w);
    const made = (await crmList(w)).find((c) => c.email === 'oona@outlook-made.example');
    expect(made).toMatchObject({
      firstName: 'Oona',
      lastName: 'Outlook',
      title: 'Buyer',
      syncToOutlook: true,
      archived: false,
    });
  });

  it('an edit in Outlook reaches the CRM', async () => {
    const sven = (await folderContacts(w)).find(
      (c) => c.emailAddresses[0]?.address === 'sven@northwind.example',
    )!;
    await w.graph('PATCH', `/me/contacts/${sven.id}`, { jobTitle: 'Head of Purchasing' });
    await sync(w);
    const inCrm = (await crmList(w)).find((c) => c.id === 'con_northwind_sven')!;
    expect(inCrm.title).toBe('Head of Purchasing');
  });

  it('deleting in Outlook archives the CRM contact', async () => {
    const mikko = (await folderContacts(w)).find(
      (c) => c.emailAddresses[0]?.address === 'mikko.maki@fabrikam.example',
    )!;
    await w.graph('DELETE', `/me/contacts/${mikko.id}`);
    await sync(w);
    const inCrm = (await crmList(w)).find((c) => c.id === 'con_fabrikam_mikko')!;
    expect(inCrm.archived).toBe(true);
  });

  it('deleting in the CRM deletes the Outlook contact', async () => {
    await deleteInCrm(w, 'con_fabrikam_liisa');
    await sync(w);
    expect(emailsOf(await folderContacts(w))).not.toContain('liisa.laine@fabrikam.example');
    expect(emailsOf(await folderContacts(w))).toContain('sven@northwind.example');
  });
});

describe('contacts one-way CRM → Outlook through both sandbox servers (SPEC K2)', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('crmToOutlook');
  });
  afterAll(() => w.close());

  it('brings the marked contacts, and nothing done in Outlook writes the CRM', async () => {
    await sync(w);
    const copies = await folderContacts(w);
    expect(emailsOf(copies)).toEqual(MARKED);
    const before = (await crmList(w)).map((c) => [c.id, c.etag]);

    const folderId = (
      (await w.graph('GET', `/me/contacts/${copies[0]!.id}`)) as {
        parentFolderId: string;
      }
    ).parentFolderId;
    await w.graph('POST', `/me/contactFolders/${folderId}/contacts`, {
      givenName: 'Only',
      surname: 'Outlook',
      emailAddresses: [{ address: 'only@outlook.example', name: 'Only Outlook' }],
    });
    const sven = copies.find((c) => c.emailAddresses[0]?.address === 'sven@northwind.example')!;
    await w.graph('PATCH', `/me/contacts/${sven.id}`, { jobTitle: 'Changed in Outlook' });
    const mikko = copies.find(
      (c) => c.emailAddresses[0]?.address === 'mikko.maki@fabrikam.example',
    )!;
    await w.graph('DELETE', `/me/contacts/${mikko.id}`);
    await sync(w);
    await sync(w);

    expect((await crmList(w)).map((c) => [c.id, c.etag])).toEqual(before);
    // The Outlook edit is put back to the CRM's value.
    const svenNow = (await folderContacts(w)).find(
      (c) => c.emailAddresses[0]?.address === 'sven@northwind.example',
    )!;
    expect(svenNow.jobTitle).not.toBe('Changed in Outlook');
  });

  it('deleting in the CRM still deletes the Outlook copy', async () => {
    await deleteInCrm(w, 'con_northwind_sven');
    await sync(w);
    expect(emailsOf(await folderContacts(w))).not.toContain('sven@northwind.example');
  });
});

describe('contacts stamped before issue 12 (the legacy GUID) keep their links', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('crmToOutlook');
  });
  afterAll(() => w.close());

  it('a contact stamped under the old GUID still relinks', async () => {
    // An earlier installation's copy of Sven: stamped under Microsoft's example GUID, with an
    // address the CRM no longer has, so only the stamp (not SPEC M1's e-mail match) can find it.
    const folder = (await w.graph('POST', '/me/contactFolders', {
      displayName: CONTACT_FOLDER_NAME,
    })) as { id: string };
    const old = (await w.graph('POST', `/me/contactFolders/${folder.id}/contacts`, {
      givenName: 'Sven',
      surname: 'Old',
      emailAddresses: [{ address: 'sven.old@northwind.example', name: 'Sven Old' }],
      singleValueExtendedProperties: [
        { id: LEGACY_CRM_CONTACT_ID_PROPERTY, value: 'con_northwind_sven' },
      ],
    })) as { id: string };
    expect(LEGACY_CRM_CONTACT_ID_PROPERTY).not.toBe(CRM_CONTACT_ID_PROPERTY);

    await sync(w);
    const copies = await folderContacts(w);
    // Relinked, not copied again: still three contacts, Sven's is the old one, set to the CRM's.
    expect(emailsOf(copies)).toEqual(MARKED);
    const sven = copies.find((c) => c.emailAddresses[0]?.address === 'sven@northwind.example');
    expect(sven?.id).toBe(old.id);
    const links = await w.deps.store.links('contacts');
    expect(links.find((l) => l.crmId === 'con_northwind_sven')?.outlookId).toBe(old.id);
  });
});
