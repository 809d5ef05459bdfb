/**
 * Issue 16: a first sync learns the stamps of events it has no link for from one listing of the
 * calendar's stamped events (pages of STAMP_PAGE_SIZE), not one sub-request per event — over the real
 * emulator, the product's stamp, the legacy one and a cleared stamp each told apart.
 */
import { CRM_ID_PROPERTY, LEGACY_CRM_ID_PROPERTY } from '../../../src/outlook/crmStamp';
import { LIST_STAMPS_FROM } from '../../../src/outlook/deltaReader';
import { STAMP_PAGE_SIZE } from '../../../src/outlook/graphCalendarReads';
import { paths } from '../../../src/outlook/graphPaths';
import { eventSchema } from '../../../src/outlook/graphSchemas';
import { startAdapter, type AdapterHarness } from './harness';

let h: AdapterHarness;
/** Every request (and $batch sub-request) the adapter made, as "METHOD path-without-query". */
let requests: string[];
beforeEach(async () => {
  requests = [];
  h = await startAdapter({
    fetch: async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/$batch')) {
        const body = JSON.parse(String(init?.body)) as {
          requests: { method: string; url: string }[];
        };
        for (const r of body.requests) requests.push(`${r.method} ${r.url}`);
      } else requests.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
      return fetch(input, init);
    },
  });
});
afterEach(() => h.close());

const window = { start: '2026-11-30T00:00:00Z', end: '2027-01-01T00:00:00Z' };

/** An event written straight to Graph, with the given extended properties. */
async function event(i: number, props: { id: string; value: string }[]) {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const { data } = await h.client.request({
    method: 'POST',
    path: paths.calendarEvents(h.calendarId),
    body: {
      subject: `Listed ${i}`,
      start: { dateTime: `2026-12-${day}T08:00:00`, timeZone: 'UTC' },
      end: { dateTime: `2026-12-${day}T09:00:00`, timeZone: 'UTC' },
      ...(props.length > 0 ? { singleValueExtendedProperties: props } : {}),
    },
    schema: eventSchema,
  });
  return data.id;
}

async function seed(n: number): Promise<Map<string, string | null>> {
  const expected = new Map<string, string | null>();
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    const props =
      kind === 0
        ? [{ id: CRM_ID_PROPERTY, value: `act_${i}` }]
        : kind === 1
          ? [{ id: LEGACY_CRM_ID_PROPERTY, value: `act_legacy_${i}` }]
          : kind === 2
            ? [{ id: CRM_ID_PROPERTY, value: '' }] // unstamped (crmStamp.ts: empty is none)
            : [];
    const id = await event(i, props);
    expected.set(id, kind === 0 ? `act_${i}` : kind === 1 ? `act_legacy_${i}` : null);
  }
  requests.length = 0;
  return expected;
}

it('lists the stamps of a first sync instead of reading each event', async () => {
  const n = LIST_STAMPS_FROM + 20;
  const expected = await seed(n);
  const changes = await h.calendar.changes(h.calendarId, window, null);
  expect(new Map(changes.changed.map((e) => [e.id, e.crmId]))).toEqual(expected);
  // No read of one event's stamp: a filtered listing per property, one page each here.
  expect(requests.filter((r) => r.includes('/me/events/'))).toEqual([]);
  const listings = requests.filter((r) => r.includes('/events?$filter='));
  expect(listings).toHaveLength(2);
  const top = `top=${STAMP_PAGE_SIZE}`;
  expect(listings.every((r) => r.includes(`%24${top}`) || r.includes(`$${top}`))).toBe(true);
});

it('reads a few stamps one by one, as before', async () => {
  const expected = await seed(LIST_STAMPS_FROM - 1);
  const changes = await h.calendar.changes(h.calendarId, window, null);
  expect(new Map(changes.changed.map((e) => [e.id, e.crmId]))).toEqual(expected);
  expect(requests.filter((r) => r.includes('/events?$filter='))).toEqual([]);
  expect(requests.filter((r) => r.startsWith('GET /me/events/'))).toHaveLength(expected.size);
});
