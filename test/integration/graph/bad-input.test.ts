import { startHarness, timed, type GraphEvent, type Harness } from './helpers';

type Err = {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string } };
};
const ok = timed('OK', '2025-03-21T09:00:00', '2025-03-21T10:00:00');

describe('bad input → a 4xx Graph error body, and the data unchanged', () => {
  let h: Harness;
  let existing: GraphEvent;
  beforeAll(async () => {
    h = await startHarness();
    existing = (await h.call<GraphEvent>('POST', '/v1.0/me/events', { body: ok })).body;
  });
  afterAll(() => h.close());

  const cases: [string, { raw?: string; body?: unknown }, number, string][] = [
    ['malformed JSON', { raw: '{"subject": ' }, 400, 'BadRequest'],
    ['an empty body', { raw: '' }, 400, 'BadRequest'],
    ['a wrong type', { body: { ...ok, subject: 5 } }, 400, 'RequestBodyRead'],
    ['an unknown property', { body: { ...ok, colour: 'red' } }, 400, 'RequestBodyRead'],
    [
      'an unknown nested property',
      { body: { ...ok, start: { dateTime: '2025-03-21T09:00:00', timeZone: 'UTC', offset: 1 } } },
      400,
      'RequestBodyRead',
    ],
    [
      'an impossible date',
      { body: timed('x', '2025-02-30T09:00:00', '2025-03-01T10:00:00') },
      400,
      'BadRequest',
    ],
    [
      'a date that is not a date',
      { body: timed('x', 'tomorrow', '2025-03-01T10:00:00') },
      400,
      'BadRequest',
    ],
    [
      'an unknown time zone',
      { body: timed('x', '2025-03-21T09:00:00', '2025-03-21T10:00:00', 'Mars/Olympus') },
      400,
      'TimeZoneNotSupportedException',
    ],
    [
      'a missing time zone',
      { body: { ...ok, start: { dateTime: '2025-03-21T09:00:00' } } },
      400,
      'TimeZoneNotSupportedException',
    ],
    [
      'end before start',
      { body: timed('x', '2025-03-21T10:00:00', '2025-03-21T09:00:00') },
      400,
      'ErrorCalendarEndDateIsEarlierThanStartDate',
    ],
    [
      'a subject over 255 characters',
      { body: { ...ok, subject: 'x'.repeat(256) } },
      400,
      'ErrorInvalidArgument',
    ],
    [
      'an all-day event not at midnight',
      { body: { ...timed('x', '2025-03-21T09:00:00', '2025-03-22T09:00:00'), isAllDay: true } },
      400,
      'ErrorPropertyValidationFailure',
    ],
    [
      'an all-day event shorter than a day',
      { body: { ...timed('x', '2025-03-21T00:00:00', '2025-03-21T00:00:00'), isAllDay: true } },
      400,
      'ErrorPropertyValidationFailure',
    ],
    ['a bad enum value', { body: { ...ok, showAs: 'maybe' } }, 400, 'RequestBodyRead'],
    [
      'a malformed extended property id',
      { body: { ...ok, singleValueExtendedProperties: [{ id: 'CrmActivityId', value: '1' }] } },
      400,
      'ErrorInvalidProperty',
    ],
  ];

  it.each(cases)('POST with %s', async (_name, input, status, code) => {
    const before = await h.call<{ value: GraphEvent[] }>('GET', '/v1.0/me/events');
    const res = await h.call<Err>('POST', '/v1.0/me/events', input);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(res.body.error.innerError['request-id']).toEqual(expect.any(String));
    const after = await h.call<{ value: GraphEvent[] }>('GET', '/v1.0/me/events');
    expect(after.body.value).toEqual(before.body.value);
  });

  it.each(cases.filter(([, input]) => input.body !== undefined))(
    'PATCH with %s leaves the event unchanged',
    async (_name, input, status) => {
      const res = await h.call<Err>('PATCH', `/v1.0/me/events/${existing.id}`, input);
      expect(res.status).toBe(status);
      const now = await h.call<GraphEvent>('GET', `/v1.0/me/events/${existing.id}`);
      expect(now.body.changeKey).toBe(existing.changeKey);
      expect(now.body.subject).toBe('OK');
    },
  );

  it('401 InvalidAuthenticationToken without, with a malformed or with a forged token', async () => {
    for (const authorization of [
      undefined,
      'Bearer nonsense',
      `Bearer ${h.token.slice(0, -4)}AAAA`,
      'Basic abc',
    ]) {
      const res = await fetch(`${h.url}/v1.0/me/events`, {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as Err).error.code).toBe('InvalidAuthenticationToken');
    }
  });

  it('the token endpoint refuses unknown mailboxes', async () => {
    const res = await fetch(`${h.url}/sandbox/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: 'eve@evil.example' }),
    });
    expect(res.status).toBe(400);
  });

  it('404 ErrorItemNotFound for unknown ids, occurrence dates that are not in the series, unknown calendars', async () => {
    for (const path of [
      '/v1.0/me/events/AAMkADnope',
      `/v1.0/me/events/${existing.id}_20250321`,
      '/v1.0/me/calendars/nope/events',
    ]) {
      const res = await h.call<Err>('GET', path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ErrorItemNotFound');
    }
  });

  it('calendarView without a window or with $select of an unknown property is a 400', async () => {
    expect((await h.call('GET', '/v1.0/me/calendarView')).status).toBe(400);
    expect((await h.call('GET', '/v1.0/me/events?$select=nope')).status).toBe(400);
    expect((await h.call('GET', '/v1.0/me/events?$expand=attachments')).status).toBe(400);
  });
});
