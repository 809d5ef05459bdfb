import { startHarness, timed, type GraphEvent, type Harness, type Res } from './helpers';

type Page = {
  value: (GraphEvent & { '@removed'?: { reason: string } })[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
};
const WINDOW = 'startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-30T00:00:00Z';

/** Follows nextLinks to the deltaLink, as a Graph client does. */
async function round(
  h: Harness,
  first: string,
  pageSize: number,
): Promise<{ pages: Page[]; deltaLink: string }> {
  const pages: Page[] = [];
  let link: string | undefined = first;
  while (link) {
    const res: Res<Page> = await h.call<Page>('GET', link, {
      headers: { prefer: `odata.maxpagesize=${pageSize}` },
    });
    expect(res.status).toBe(200);
    pages.push(res.body);
    if (res.body['@odata.deltaLink']) return { pages, deltaLink: res.body['@odata.deltaLink'] };
    link = res.body['@odata.nextLink'];
  }
  throw new Error('no deltaLink');
}

describe('calendarView/delta', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('pages with maxpagesize, then reports a change, a delete as @removed, then nothing', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
        body: timed(`E${i}`, `2025-03-2${i}T09:00:00`, `2025-03-2${i}T10:00:00`),
      });
      ids.push(res.body.id ?? '');
    }
    const first = await round(h, `/v1.0/me/calendarView/delta?${WINDOW}`, 2);
    expect(first.pages.map((p) => p.value.length)).toEqual([2, 2, 1]);
    expect(first.pages.flatMap((p) => p.value.map((e) => e.subject)).sort()).toEqual([
      'E0',
      'E1',
      'E2',
      'E3',
      'E4',
    ]);

    await h.call('PATCH', `/v1.0/me/events/${ids[1]}`, { body: { subject: 'E1 changed' } });
    await h.call('DELETE', `/v1.0/me/events/${ids[2]}`);
    const created = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: timed('New', '2025-04-01T09:00:00', '2025-04-01T09:30:00'),
    });
    const outside = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: timed('Outside window', '2025-06-01T09:00:00', '2025-06-01T09:30:00'),
    });

    const second = await round(h, first.deltaLink, 10);
    const items = second.pages.flatMap((p) => p.value);
    // event-delta.md: an event added outside the window since the last round comes as @removed.
    expect(items).toHaveLength(4);
    expect(items.find((e) => e.id === outside.body.id)).toEqual({
      '@odata.type': '#microsoft.graph.event',
      id: outside.body.id,
      '@removed': { reason: 'deleted' },
    });
    expect(items.find((e) => e.id === ids[1])?.subject).toBe('E1 changed');
    expect(items.find((e) => e.id === created.body.id)?.subject).toBe('New');
    expect(items.find((e) => e.id === ids[2])).toEqual(
      expect.objectContaining({ '@removed': { reason: 'deleted' } }),
    );

    const third = await round(h, second.deltaLink, 10);
    expect(third.pages).toHaveLength(1);
    expect(third.pages[0]?.value).toEqual([]);
    expect(third.deltaLink).not.toBe(second.deltaLink);
  });

  it('a retried nextLink returns the same page; a reused deltaLink works again', async () => {
    for (let i = 0; i < 3; i++)
      await h.call('POST', '/v1.0/me/events', {
        body: timed(`E${i}`, `2025-03-2${i}T09:00:00`, `2025-03-2${i}T10:00:00`),
      });
    const res = await h.call<Page>('GET', `/v1.0/me/calendarView/delta?${WINDOW}`, {
      headers: { prefer: 'odata.maxpagesize=1' },
    });
    const next = res.body['@odata.nextLink'] ?? '';
    const a = await h.call<Page>('GET', next, { headers: { prefer: 'odata.maxpagesize=1' } });
    const b = await h.call<Page>('GET', next, { headers: { prefer: 'odata.maxpagesize=1' } });
    expect(a.body.value[0]?.id).toBe(b.body.value[0]?.id);
    const { deltaLink } = await round(h, `/v1.0/me/calendarView/delta?${WINDOW}`, 10);
    expect((await round(h, deltaLink, 10)).pages[0]?.value).toEqual([]);
    expect((await round(h, deltaLink, 10)).pages[0]?.value).toEqual([]);
  });

  it('needs a window on the first call and refuses $select/$filter/$expand', async () => {
    const noWindow = await h.call<{ error: { code: string } }>(
      'GET',
      '/v1.0/me/calendarView/delta',
    );
    expect(noWindow.status).toBe(400);
    expect(noWindow.body.error.code).toBe('ErrorInvalidParameter');
    for (const q of [
      '$select=subject',
      "$filter=subject eq 'x'",
      '$expand=singleValueExtendedProperties',
    ]) {
      const res = await h.call<{ error: { code: string } }>(
        'GET',
        `/v1.0/me/calendarView/delta?${WINDOW}&${q}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
  });

  it('an expired or unknown token is 410 syncStateNotFound (controller and admin endpoint)', async () => {
    const { deltaLink } = await round(h, `/v1.0/me/calendarView/delta?${WINDOW}`, 10);
    h.server.faults.expireDeltaTokens();
    const gone = await h.call<{ error: { code: string } }>('GET', deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe('syncStateNotFound');

    const again = await round(h, `/v1.0/me/calendarView/delta?${WINDOW}`, 10);
    const admin = await fetch(`${h.url}/sandbox/delta/expire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(admin.status).toBe(204);
    expect((await h.call('GET', again.deltaLink)).status).toBe(410);
    expect((await h.call('GET', '/v1.0/me/calendarView/delta?$deltatoken=bogus')).status).toBe(410);
  });

  it('tracks a non-default calendar separately', async () => {
    const cals = await h.call<{ value: { id: string; name: string }[] }>(
      'GET',
      '/v1.0/me/calendars',
    );
    const crm = cals.body.value.find((c) => c.name === 'CRM')?.id ?? '';
    await h.call('POST', `/v1.0/me/calendars/${crm}/events`, {
      body: timed('In CRM', '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
    });
    await h.call('POST', '/v1.0/me/events', {
      body: timed('In Calendar', '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
    });
    const { pages } = await round(h, `/v1.0/me/calendars/${crm}/calendarView/delta?${WINDOW}`, 10);
    expect(pages.flatMap((p) => p.value.map((e) => e.subject))).toEqual(['In CRM']);
  });
});
