/**
 * The emulator's contact folders and contacts (Graph's documented contact resource and contact
 * delta): folders by name, Graph's Contact shape, extended properties with $filter/$expand,
 * If-Match, delta pages with @removed and 410, and a restart that keeps it all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contact, ContactFolder } from '@microsoft/microsoft-graph-types';
import { startHarness, type Harness } from './helpers';

const PROP = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmContactId';
type Page<T> = { value: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
type Entry = Contact & { '@removed'?: { reason: string }; '@odata.etag'?: string };
const rel = (link: string) => new URL(link).pathname + new URL(link).search;

async function drainDelta(h: Harness, first: string, pageSize = 2) {
  const items: Entry[] = [];
  let next: string | undefined = first;
  let pages = 0;
  for (;;) {
    const res: { status: number; body: Page<Entry> } = await h.call<Page<Entry>>('GET', next, {
      headers: { prefer: `odata.maxpagesize=${pageSize}` },
    });
    if (res.status !== 200) return { status: res.status, items, deltaLink: '', pages };
    pages += 1;
    items.push(...res.body.value);
    if (res.body['@odata.nextLink']) next = rel(res.body['@odata.nextLink']);
    else return { status: 200, items, deltaLink: rel(res.body['@odata.deltaLink'] ?? ''), pages };
  }
}

describe('contacts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graph-contacts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let h: Harness;
  let folder: string;
  beforeEach(async () => {
    h = await startHarness();
    const made = await h.call<ContactFolder>('POST', '/v1.0/me/contactFolders', {
      body: { displayName: 'CRM' },
    });
    expect(made.status).toBe(201);
    folder = made.body.id ?? '';
  });
  afterEach(() => h.close());

  it('finds a folder by name; a second folder of the same name is 409', async () => {
    const found = await h.call<Page<ContactFolder>>(
      'GET',
      `/v1.0/me/contactFolders?$filter=${encodeURIComponent("displayName eq 'CRM'")}`,
    );
    expect(found.body.value.map((f) => f.id)).toEqual([folder]);
    expect((await h.call('GET', `/v1.0/me/contactFolders/${folder}`)).status).toBe(200);
    const again = await h.call<{ error: { code: string } }>('POST', '/v1.0/me/contactFolders', {
      body: { displayName: 'crm' },
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'ErrorFolderExists']);
  });

  it("speaks Graph's Contact shape; stamps filter and expand; PATCH needs a fresh If-Match", async () => {
    const created = await h.call<Entry>('POST', `/v1.0/me/contactFolders/${folder}/contacts`, {
      body: {
        givenName: 'Aino',
        surname: 'Virtanen',
        emailAddresses: [{ address: 'aino@customer.example', name: 'Aino Virtanen' }],
        businessPhones: ['+358 40 123 4567'],
        jobTitle: 'CFO',
        singleValueExtendedProperties: [{ id: PROP, value: 'con_1' }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      displayName: 'Aino Virtanen',
      parentFolderId: folder,
      homePhones: [],
      mobilePhone: null,
      companyName: null,
    });
    expect(created.body.singleValueExtendedProperties).toBeUndefined();
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${PROP}' and ep/value eq 'con_1')`;
    const expand = `singleValueExtendedProperties($filter=id eq '${PROP}')`;
    const found = await h.call<Page<Entry>>(
      'GET',
      `/v1.0/me/contactFolders/${folder}/contacts?$filter=${encodeURIComponent(filter)}&$expand=${encodeURIComponent(expand)}`,
    );
    expect(found.body.value.map((c) => c.singleValueExtendedProperties)).toEqual([
      [{ id: PROP, value: 'con_1' }],
    ]);
    const path = `/v1.0/me/contacts/${created.body.id}`;
    const ok = await h.call<Entry>('PATCH', path, {
      body: { jobTitle: 'CEO' },
      headers: { 'if-match': created.body['@odata.etag'] ?? '' },
    });
    expect([ok.status, ok.body.jobTitle, ok.body.givenName]).toEqual([200, 'CEO', 'Aino']);
    const stale = await h.call('PATCH', path, {
      body: { jobTitle: 'CTO' },
      headers: { 'if-match': created.body['@odata.etag'] ?? '' },
    });
    expect(stale.status).toBe(412);
    const unknown = await h.call('PATCH', path, { body: { favouriteColour: 'red' } });
    expect(unknown.status).toBe(400);
    const selected = await h.call<Entry>('GET', `${path}?$select=givenName`);
    expect(Object.keys(selected.body).sort()).toEqual(
      ['@odata.context', '@odata.etag', 'givenName', 'id'].sort(),
    );
    expect((await h.call('DELETE', path)).status).toBe(204);
    expect((await h.call('DELETE', path)).status).toBe(404);
  });

  it('delta: every contact in pages, then changes and @removed; an expired link is 410', async () => {
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C']) {
      const c = await h.call<Entry>('POST', `/v1.0/me/contactFolders/${folder}/contacts`, {
        body: { givenName: name },
      });
      ids.push(c.body.id ?? '');
    }
    const first = await drainDelta(h, `/v1.0/me/contactFolders/${folder}/contacts/delta`);
    expect(first.items.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(first.pages).toBe(2);
    await h.call('PATCH', `/v1.0/me/contacts/${ids[0]}`, { body: { surname: 'Changed' } });
    await h.call('DELETE', `/v1.0/me/contacts/${ids[1]}`);
    const next = await drainDelta(h, first.deltaLink);
    expect(next.items.map((c) => [c.id, c.surname ?? null, c['@removed']?.reason ?? null])).toEqual(
      [
        [ids[0], 'Changed', null],
        [ids[1], null, 'deleted'],
      ],
    );
    expect((await drainDelta(h, next.deltaLink)).items).toEqual([]);
    await h.call('POST', '/sandbox/delta/expire', { body: {} });
    expect((await drainDelta(h, next.deltaLink)).status).toBe(410);
  });

  it('keeps folders, contacts and delta links across a restart', async () => {
    await h.close();
    const dataFile = join(dir, 'graph.json');
    const first = await startHarness({ dataFile });
    const f = await first.call<ContactFolder>('POST', '/v1.0/me/contactFolders', {
      body: { displayName: 'Kept' },
    });
    const c = await first.call<Entry>('POST', `/v1.0/me/contactFolders/${f.body.id}/contacts`, {
      body: { givenName: 'Kept' },
    });
    const delta = await drainDelta(first, `/v1.0/me/contactFolders/${f.body.id}/contacts/delta`);
    await first.close();
    h = await startHarness({ dataFile });
    expect((await h.call<Entry>('GET', `/v1.0/me/contacts/${c.body.id}`)).body.givenName).toBe(
      'Kept',
    );
    const after = await drainDelta(h, delta.deltaLink);
    expect([after.status, after.items]).toEqual([200, []]);
  });
});
