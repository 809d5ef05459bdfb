/**
 * Issue 16, item 3: the adapter uses the CRM's bulk operations when the CRM announces them and the
 * single calls when it does not — counted as requests against the reference CRM over real HTTP.
 */
import { ConflictError, SyncError } from '../../../src/sync/core/errors';
import type { CrmActivity, CrmActivityInput } from '../../../src/sync/ports';
import type { ItemOutcome } from '../../../src/sync/itemPorts';
import { sampleItem } from '../../contract/crmActivities.contract';
import { createCrmActivities, type Crm, DEMO, recordingSleep, startCrm } from './harness';

/** Every request the adapter makes, as "METHOD /path" under /api/v1; `oldCrm` has no /capabilities. */
function countingTransport(oldCrm = false) {
  const requests: string[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const path = url.pathname.replace(/^\/api\/v1/, '');
    requests.push(`${init?.method ?? 'GET'} ${path}`);
    if (oldCrm && path === '/capabilities') {
      const problem = {
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        code: 'route-not-found',
      };
      return new Response(JSON.stringify({ ...problem, detail: 'No route', instance: path }), {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      });
    }
    return fetch(input, init);
  };
  return { requests, transport: { fetch: fetchFn, sleep: recordingSleep().sleep } };
}

let seq = 0;
const input = (subject: string, description = ''): CrmActivityInput => ({
  item: sampleItem({ subject, description }),
  typeId: 'typ_meeting',
});
const entry = (subject: string, description = '') => ({
  input: input(subject, description),
  idempotencyKey: `adapter-bulk-${Date.now()}-${seq++}`,
});
const valueOf = <T>(o: ItemOutcome<T> | undefined): T => {
  if (!o?.ok) throw new Error(`expected a value, got ${o ? String(o.error) : 'nothing'}`);
  return o.value;
};
const count = (requests: readonly string[], which: string) =>
  requests.filter((r) => r === which).length;

async function adapterOn(crm: Crm, oldCrm = false) {
  const counting = countingTransport(oldCrm);
  const session = await crm.signIn(DEMO.users[0], counting.transport);
  counting.requests.length = 0; // the sign-in is not the adapter's
  return { crm: createCrmActivities(session), requests: counting.requests };
}

describe('CRM adapter: bulk operations when announced', () => {
  let crm: Crm;
  beforeAll(async () => {
    crm = await startCrm();
  });
  afterAll(() => crm.close());

  it('creates, reads and updates many in one request each, asking for capabilities once', async () => {
    const { crm: activities, requests } = await adapterOn(crm);
    const made = await activities.createMany!(['A', 'B', 'C', 'D', 'E'].map((s) => entry(s)));
    expect(requests).toEqual(['GET /capabilities', 'POST /activities/bulk-create']);
    const created = made.map(valueOf);
    expect(created.map((a) => a.item.subject)).toEqual(['A', 'B', 'C', 'D', 'E']);

    requests.length = 0;
    const read = await activities.getMany!([...created.map((a) => a.id), 'act_missing']);
    expect(requests).toEqual(['POST /activities/bulk-read']);
    expect(read.map(valueOf)).toEqual([...created, null]);

    requests.length = 0;
    const [a, b] = created as [CrmActivity, CrmActivity];
    const updated = await activities.updateMany!([
      { id: a.id, item: sampleItem({ subject: 'A moved' }), etag: a.etag },
      { id: b.id, item: sampleItem({ subject: 'B moved' }), etag: '"stale"' },
    ]);
    expect(requests).toEqual(['POST /activities/bulk-update']);
    expect(valueOf(updated[0]).item.subject).toBe('A moved');
    const lost = updated[1];
    expect(lost?.ok).toBe(false);
    const error = lost && !lost.ok ? lost.error : null;
    // The same ConflictError the single update throws, its current a CrmActivity.
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError<CrmActivity>).current).toEqual(b);
  });

  it('replays each item by its idempotency key, across bulk and single creates', async () => {
    const { crm: activities, requests } = await adapterOn(crm);
    const first = entry('Once');
    const viaSingle = await activities.create(first.input, {
      idempotencyKey: first.idempotencyKey,
    });
    const again = await activities.createMany!([first, entry('Twice')]);
    expect(valueOf(again[0])).toEqual(viaSingle);
    expect(count(requests, 'POST /activities/bulk-create')).toBe(1);
  });

  it('gives one bad item its own error and the others their values', async () => {
    const { crm: activities } = await adapterOn(crm);
    const bad = {
      input: { ...input('Bad'), typeId: 'typ_nonexistent' },
      idempotencyKey: `adapter-bad-${seq++}`,
    };
    const made = await activities.createMany!([entry('Good 1'), bad, entry('Good 2')]);
    expect(made.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = made[1];
    const error = failed && !failed.ok ? failed.error : null;
    expect(error).toBeInstanceOf(SyncError);
    expect([(error as SyncError).kind, (error as SyncError).code]).toEqual([
      'invalidData',
      'invalidRequest',
    ]);
  });

  it('splits work to the announced limits: 100 items and 256 KiB a call', async () => {
    const { crm: activities, requests } = await adapterOn(crm);
    const many = await activities.createMany!(
      Array.from({ length: 230 }, (_, i) => entry(`n${i}`)),
    );
    expect(many.every((o) => o.ok)).toBe(true);
    expect(count(requests, 'POST /activities/bulk-create')).toBe(3);

    requests.length = 0;
    // Nine descriptions of 30,000 characters are more than one body of 256 KiB takes.
    const long = 'x'.repeat(30_000);
    const heavy = await activities.createMany!(
      Array.from({ length: 9 }, (_, i) => entry(`h${i}`, long)),
    );
    expect(heavy.map((o) => valueOf(o).item.description.length)).toEqual(Array(9).fill(30_000));
    expect(count(requests, 'POST /activities/bulk-create')).toBe(2);
    expect(count(requests, 'POST /activities')).toBe(0);
  });

  it('sends the Outlook links asked for side by side in one bulk call, each its own answer', async () => {
    const { crm: activities, requests } = await adapterOn(crm);
    const [a, b] = (await activities.createMany!([entry('La'), entry('Lb')])).map(valueOf) as [
      CrmActivity,
      CrmActivity,
    ];
    requests.length = 0;
    const mailbox = DEMO.users[0];
    const [linkedA, gone, linkedB] = await Promise.allSettled([
      activities.setOutlookLink(a.id, { mailbox, eventId: 'AAMk-la' }),
      activities.setOutlookLink('act_missing', { mailbox, eventId: 'AAMk-gone' }),
      activities.setOutlookLink(b.id, { mailbox, eventId: 'AAMk-lb' }),
    ]);
    expect(requests).toEqual(['POST /activities/bulk-outlook-link']);
    if (linkedA.status !== 'fulfilled' || linkedB.status !== 'fulfilled') throw new Error('failed');
    expect(linkedA.value.outlookLinks.map((l) => l.eventId)).toEqual(['AAMk-la']);
    expect(linkedB.value.outlookLinks.map((l) => l.eventId)).toEqual(['AAMk-lb']);
    // The version is the write's own, as a read answers it (no read-back needed).
    expect((await activities.get(b.id))?.etag).toBe(linkedB.value.etag);
    expect(gone.status === 'rejected' && gone.reason).toBeInstanceOf(SyncError);
    expect(gone.status === 'rejected' && (gone.reason as SyncError).kind).toBe('notFound');

    requests.length = 0;
    await activities.setOutlookLink(a.id, { mailbox, eventId: 'AAMk-la2' });
    expect(requests).toEqual([`PUT /activities/${a.id}/outlook-link`]);
  });

  it('makes the single call for one item, without asking for capabilities', async () => {
    const { crm: activities, requests } = await adapterOn(crm);
    const [one] = await activities.createMany!([entry('Alone')]);
    expect(valueOf(one).item.subject).toBe('Alone');
    expect(requests).toEqual(['POST /activities']);
  });
});

describe.each([
  // A CRM whose capabilities document offers nothing (and has no bulk routes).
  ['announces none', { bulk: false, oldCrm: false }],
  // A CRM from before the optional features: 404 for GET /capabilities. Its bulk routes exist
  // here, so this also shows that the adapter uses only what is announced.
  ['predates capabilities (404)', { bulk: true, oldCrm: true }],
] as const)('CRM adapter: a CRM that %s', (_, { bulk, oldCrm }) => {
  let crm: Crm;
  beforeAll(async () => {
    crm = await startCrm({ bulk });
  });
  afterAll(() => crm.close());

  it('gets the same answers from single calls, asking for capabilities once', async () => {
    const { crm: activities, requests } = await adapterOn(crm, oldCrm);
    const made = (await activities.createMany!(['A', 'B', 'C'].map((s) => entry(s)))).map(valueOf);
    expect(requests).toEqual([
      'GET /capabilities',
      'POST /activities',
      'POST /activities',
      'POST /activities',
    ]);
    requests.length = 0;
    const read = await activities.getMany!(made.map((a) => a.id));
    expect(read.map(valueOf)).toEqual(made);
    const [a, b] = made as [CrmActivity, CrmActivity];
    const updated = await activities.updateMany!([
      { id: a.id, item: sampleItem({ subject: 'A moved' }), etag: a.etag },
      { id: b.id, item: sampleItem({ subject: 'B moved' }), etag: '"stale"' },
    ]);
    expect(valueOf(updated[0]).item.subject).toBe('A moved');
    expect(updated[1]?.ok === false && updated[1].error).toBeInstanceOf(ConflictError);
    expect(requests.filter((r) => r.includes('bulk') || r.includes('capabilities'))).toEqual([]);
    expect(requests).toHaveLength(5); // 3 reads and 2 updates, one request each

    requests.length = 0;
    const links = await Promise.all(
      made.map((m, i) =>
        activities.setOutlookLink(m.id, { mailbox: DEMO.users[0], eventId: `E${i}` }),
      ),
    );
    expect(links.map((l) => l.outlookLinks.map((x) => x.eventId))).toEqual([
      ['E0'],
      ['E1'],
      ['E2'],
    ]);
    expect(requests).toEqual(made.map((m) => `PUT /activities/${m.id}/outlook-link`));
  });
});
