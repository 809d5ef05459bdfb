import { CRM_PROP, startHarness, timed, type GraphEvent, type Harness } from './helpers';

type List = { value: GraphEvent[] };
type Err = {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string } };
};

describe('events: create, read, update, delete', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('creates with Graph read-only fields, etag, webLink and the organizer', async () => {
    const res = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: {
        ...timed('Review', '2025-03-21T09:00:00', '2025-03-21T10:00:00', 'W. Europe Standard Time'),
        body: { contentType: 'HTML', content: '<p>Hi</p>' },
        attendees: [
          { type: 'optional', emailAddress: { address: 'x@fabrikam.example', name: 'X' } },
        ],
        sensitivity: 'private',
        showAs: 'tentative',
        isReminderOn: false,
      },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe(res.body['@odata.etag']);
    expect(res.body).toEqual(
      expect.objectContaining({
        type: 'singleInstance',
        subject: 'Review',
        originalStartTimeZone: 'W. Europe Standard Time',
        start: { dateTime: '2025-03-21T08:00:00.0000000', timeZone: 'UTC' },
        sensitivity: 'private',
        showAs: 'tentative',
        isReminderOn: false,
        // calendar-post-events.md: Exchange stores an HTML body as a whole document.
        body: {
          contentType: 'html',
          content: expect.stringMatching(
            /^<html>\r\n<head>[\s\S]*<body>\r\n<p>Hi<\/p>\r\n<\/body>\r\n<\/html>\r\n$/,
          ),
        },
        organizer: { emailAddress: { name: 'Anna Virtanen', address: 'anna@contoso.example' } },
      }),
    );
    expect(res.body['@odata.etag']).toBe(`W/"${res.body.changeKey}"`);
    expect(res.body.webLink).toContain(encodeURIComponent(res.body.id ?? ''));
    expect(res.body.iCalUId).toMatch(/^040000008200E00074C5B7101A82E008/);
    expect(res.body.attendees?.[0]).toEqual(
      expect.objectContaining({
        type: 'optional',
        status: { response: 'none', time: '0001-01-01T00:00:00Z' },
      }),
    );
  });

  it('de-duplicates a POST by transactionId', async () => {
    const body = {
      ...timed('Once', '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
      transactionId: 'tx-42',
    };
    const a = await h.call<GraphEvent>('POST', '/v1.0/me/events', { body });
    const b = await h.call<GraphEvent>('POST', '/v1.0/me/events', { body });
    expect(b.body.id).toBe(a.body.id);
    const list = await h.call<List>('GET', '/v1.0/me/events');
    expect(list.body.value.filter((e) => e.subject === 'Once')).toHaveLength(1);
  });

  it('stores extended properties, filters on them and expands them', async () => {
    const other = 'String {00020329-0000-0000-c000-000000000046} Name Other';
    await h.call('POST', '/v1.0/me/events', {
      body: {
        ...timed('Linked', '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
        singleValueExtendedProperties: [{ id: CRM_PROP, value: 'crm-1' }],
      },
    });
    const plain = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: timed('Plain', '2025-03-21T11:00:00', '2025-03-21T12:00:00'),
    });
    await h.call('PATCH', `/v1.0/me/events/${plain.body.id}`, {
      body: {
        singleValueExtendedProperties: [
          { id: CRM_PROP, value: 'crm-2' },
          { id: other, value: 'o' },
        ],
      },
    });

    const filter = encodeURIComponent(
      `singleValueExtendedProperties/Any(ep: ep/id eq '${CRM_PROP}' and ep/value eq 'crm-2')`,
    );
    const expand = encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${CRM_PROP}')`);
    const found = await h.call<List>('GET', `/v1.0/me/events?$filter=${filter}&$expand=${expand}`);
    expect(found.status).toBe(200);
    expect(found.body.value.map((e) => e.subject)).toEqual(['Plain']);
    expect(found.body.value[0]?.singleValueExtendedProperties).toEqual([
      { id: CRM_PROP, value: 'crm-2' },
    ]);

    const noExpand = await h.call<GraphEvent>('GET', `/v1.0/me/events/${plain.body.id}`);
    expect(noExpand.body.singleValueExtendedProperties).toBeUndefined();
    const byRange = await h.call<List>(
      'GET',
      `/v1.0/me/events?$filter=${encodeURIComponent("start/dateTime ge '2025-03-21T10:00:00' and startswith(subject,'Pl')")}`,
    );
    expect(byRange.body.value.map((e) => e.subject)).toEqual(['Plain']);
    for (const bad of [
      'subject eq',
      "bodyPreview eq 'x'",
      "attendees/any(a: a/type eq 'x')",
      "subject has 'x'",
    ]) {
      const res = await h.call<Err>('GET', `/v1.0/me/events?$filter=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
    }
  });

  it('If-Match: stale → 412 and nothing changes; current → 200 with a new changeKey', async () => {
    const ev = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: timed('V1', '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
    });
    const etag = ev.body['@odata.etag'] as string;
    const ok = await h.call<GraphEvent>('PATCH', `/v1.0/me/events/${ev.body.id}`, {
      body: { subject: 'V2' },
      headers: { 'if-match': etag },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.changeKey).not.toBe(ev.body.changeKey);
    const stale = await h.call<Err>('PATCH', `/v1.0/me/events/${ev.body.id}`, {
      body: { subject: 'V3' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('ErrorIrresolvableConflict');
    expect(
      (await h.call('DELETE', `/v1.0/me/events/${ev.body.id}`, { headers: { 'if-match': etag } }))
        .status,
    ).toBe(412);
    expect((await h.call<GraphEvent>('GET', `/v1.0/me/events/${ev.body.id}`)).body.subject).toBe(
      'V2',
    );
  });

  it('Prefer: outlook.timezone converts times and is echoed in Preference-Applied; IdType too', async () => {
    const ev = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      // Europe/Helsinki is not on the dateTimeTimeZone page's list; its Windows name is.
      body: timed('TZ', '2025-03-21T09:00:00', '2025-03-21T10:00:00', 'FLE Standard Time'),
    });
    const res = await h.call<GraphEvent>('GET', `/v1.0/me/events/${ev.body.id}`, {
      headers: { prefer: 'outlook.timezone="Pacific Standard Time", IdType="ImmutableId"' },
    });
    expect(res.body.start).toEqual({
      dateTime: '2025-03-21T00:00:00.0000000',
      timeZone: 'Pacific Standard Time',
    });
    expect(res.headers.get('preference-applied')).toBe(
      'outlook.timezone="Pacific Standard Time", IdType="ImmutableId"',
    );
    expect(ev.body.start).toEqual({ dateTime: '2025-03-21T07:00:00.0000000', timeZone: 'UTC' });
  });

  it('all-day events are midnight to midnight whatever the Prefer zone', async () => {
    const ev = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: { ...timed('Day', '2025-03-21', '2025-03-22', 'FLE Standard Time'), isAllDay: true },
    });
    expect(ev.status).toBe(201);
    const res = await h.call<GraphEvent>('GET', `/v1.0/me/events/${ev.body.id}`, {
      headers: { prefer: 'outlook.timezone="UTC"' },
    });
    expect(res.body.start?.dateTime).toBe('2025-03-21T00:00:00.0000000');
    expect(res.body.end?.dateTime).toBe('2025-03-22T00:00:00.0000000');
  });

  it('stores markup and bidi control characters verbatim', async () => {
    const subject = '<script>alert(1)</script> \u202Egnp.exe\u202C';
    const content = '<img src=x onerror=alert(1)>\u2066x\u2069';
    const ev = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: {
        ...timed(subject, '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
        body: { contentType: 'html', content },
      },
    });
    const got = await h.call<GraphEvent>('GET', `/v1.0/me/events/${ev.body.id}`);
    expect(got.body.subject).toBe(subject);
    // Verbatim inside the stored-body wrapper (calendar-post-events.md).
    expect(got.body.body?.content).toContain(`<body>\r\n${content}\r\n</body>`);
  });

  it('serves /me, calendars and /users/{address} for the token owner only', async () => {
    const me = await h.call<{ mail: string; id: string }>('GET', '/v1.0/me');
    expect(me.body.mail).toBe('anna@contoso.example');
    const cals = await h.call<{ value: { name: string; isDefaultCalendar: boolean }[] }>(
      'GET',
      '/v1.0/users/anna@contoso.example/calendars',
    );
    expect(cals.body.value.map((c) => [c.name, c.isDefaultCalendar])).toEqual([
      ['Calendar', true],
      ['CRM', false],
    ]);
    expect((await h.call('GET', '/v1.0/users/ben@contoso.example/calendars')).status).toBe(403);
  });

  it('answers CORS preflights for the task pane', async () => {
    const res = await fetch(`${h.url}/v1.0/me/events`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,prefer,if-match,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-allow-headers')).toContain('If-Match');
    const get = await fetch(`${h.url}/v1.0/me`, {
      headers: { origin: 'http://localhost:3000', authorization: `Bearer ${h.token}` },
    });
    expect(get.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });
});
