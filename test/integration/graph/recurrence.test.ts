import { startHarness, timed, type GraphEvent, type Harness } from './helpers';

type List = { value: GraphEvent[] };

/** Creates a series and returns its occurrences' UTC start times within the window. */
async function expand(
  h: Harness,
  recurrence: unknown,
  start: string,
  window: [string, string],
  timeZone = 'UTC',
  headers: Record<string, string> = {},
): Promise<string[]> {
  const end = start.replace(
    /T(\d{2})/,
    (_m, hh: string) => `T${String(Number(hh) + 1).padStart(2, '0')}`,
  );
  const res = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
    body: { ...timed('Series', start, end, timeZone), recurrence },
  });
  expect(res.status).toBe(201);
  expect(res.body.type).toBe('seriesMaster');
  const list = await h.call<List>(
    'GET',
    `/v1.0/me/events/${res.body.id}/instances?startDateTime=${window[0]}&endDateTime=${window[1]}&$top=100`,
    { headers },
  );
  expect(list.status).toBe(200);
  // Graph does not order instances (the emulator hands them out unsorted): sort to compare.
  return list.body.value.map((e) => e.start?.dateTime?.slice(0, 16) ?? '').sort();
}

const range = (startDate: string, extra: Record<string, unknown>) => ({
  type: 'numbered',
  startDate,
  ...extra,
});

describe('recurrence expansion (every pattern and range type)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  const W: [string, string] = ['2024-01-01T00:00:00Z', '2027-01-01T00:00:00Z'];

  it('daily, interval 2, numbered', async () => {
    const got = await expand(
      h,
      {
        pattern: { type: 'daily', interval: 2 },
        range: range('2025-03-03', { numberOfOccurrences: 4 }),
      },
      '2025-03-03T09:00:00',
      W,
    );
    expect(got).toEqual([
      '2025-03-03T09:00',
      '2025-03-05T09:00',
      '2025-03-07T09:00',
      '2025-03-09T09:00',
    ]);
  });

  it('weekly every 2nd week on Monday and Friday, weeks starting Monday, endDate inclusive', async () => {
    const rec = {
      pattern: {
        type: 'weekly',
        interval: 2,
        daysOfWeek: ['monday', 'friday'],
        firstDayOfWeek: 'monday',
      },
      range: { type: 'endDate', startDate: '2025-03-05', endDate: '2025-04-04' },
    };
    const got = await expand(h, rec, '2025-03-05T09:00:00', W);
    expect(got).toEqual([
      '2025-03-07T09:00',
      '2025-03-17T09:00',
      '2025-03-21T09:00',
      '2025-03-31T09:00',
      '2025-04-04T09:00',
    ]);
  });

  it('absoluteMonthly day 31 falls on the last day of shorter months (EWS DayOfMonth rule)', async () => {
    const got = await expand(
      h,
      {
        pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 },
        range: range('2025-01-31', { numberOfOccurrences: 5 }),
      },
      '2025-01-31T09:00:00',
      W,
    );
    expect(got).toEqual([
      '2025-01-31T09:00',
      '2025-02-28T09:00',
      '2025-03-31T09:00',
      '2025-04-30T09:00',
      '2025-05-31T09:00',
    ]);
  });

  it('relativeMonthly: the 2nd Wednesday', async () => {
    const got = await expand(
      h,
      {
        pattern: {
          type: 'relativeMonthly',
          interval: 1,
          daysOfWeek: ['wednesday'],
          index: 'second',
        },
        range: range('2025-01-01', { numberOfOccurrences: 4 }),
      },
      '2025-01-08T09:00:00',
      W,
    );
    expect(got).toEqual([
      '2025-01-08T09:00',
      '2025-02-12T09:00',
      '2025-03-12T09:00',
      '2025-04-09T09:00',
    ]);
  });

  it('relativeMonthly: the last Friday, endDate range', async () => {
    const rec = {
      pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' },
      range: { type: 'endDate', startDate: '2025-01-01', endDate: '2025-04-30' },
    };
    expect(await expand(h, rec, '2025-01-31T09:00:00', W)).toEqual([
      '2025-01-31T09:00',
      '2025-02-28T09:00',
      '2025-03-28T09:00',
      '2025-04-25T09:00',
    ]);
  });

  it('relativeMonthly: the last weekday of the month (several daysOfWeek + last)', async () => {
    const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
    const rec = {
      pattern: { type: 'relativeMonthly', interval: 3, daysOfWeek: weekdays, index: 'last' },
      range: range('2025-05-01', { numberOfOccurrences: 2 }),
    };
    expect(await expand(h, rec, '2025-05-30T09:00:00', W)).toEqual([
      '2025-05-30T09:00',
      '2025-08-29T09:00',
    ]);
  });

  it('absoluteYearly on 29 February falls on 28 February in common years', async () => {
    const rec = {
      pattern: { type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 },
      range: range('2024-02-29', { numberOfOccurrences: 3 }),
    };
    expect(await expand(h, rec, '2024-02-29T09:00:00', W)).toEqual([
      '2024-02-29T09:00',
      '2025-02-28T09:00',
      '2026-02-28T09:00',
    ]);
  });

  it('relativeYearly: the first Monday of September', async () => {
    const rec = {
      pattern: {
        type: 'relativeYearly',
        interval: 1,
        month: 9,
        daysOfWeek: ['monday'],
        index: 'first',
      },
      range: range('2025-01-01', { numberOfOccurrences: 2 }),
    };
    expect(await expand(h, rec, '2025-09-01T09:00:00', W)).toEqual([
      '2025-09-01T09:00',
      '2026-09-07T09:00',
    ]);
  });

  it('keeps local time across the DST change in Europe/Helsinki ("FLE Standard Time")', async () => {
    const rec = {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
      range: range('2025-03-17', { numberOfOccurrences: 3 }),
    };
    // 2025-03-30 Helsinki moves from UTC+2 to UTC+3: 09:00 local is 07:00Z, then 06:00Z.
    expect(await expand(h, rec, '2025-03-17T09:00:00', W, 'FLE Standard Time')).toEqual([
      '2025-03-17T07:00',
      '2025-03-24T07:00',
      '2025-03-31T06:00',
    ]);
    const local = await expand(h, rec, '2025-03-17T09:00:00', W, 'FLE Standard Time', {
      prefer: 'outlook.timezone="Europe/Helsinki"',
    });
    expect(local).toEqual(['2025-03-17T09:00', '2025-03-24T09:00', '2025-03-31T09:00']);
  });

  it('noEnd: only the occurrences inside the window', async () => {
    const rec = {
      pattern: { type: 'daily', interval: 1 },
      range: { type: 'noEnd', startDate: '2020-01-01' },
    };
    const got = await expand(h, rec, '2020-01-01T09:00:00', [
      '2025-03-20T00:00:00Z',
      '2025-03-23T00:00:00Z',
    ]);
    expect(got).toEqual(['2025-03-20T09:00', '2025-03-21T09:00', '2025-03-22T09:00']);
  });

  it('returns Graph defaults in the master recurrence', async () => {
    const res = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: {
        ...timed('S', '2025-03-03T09:00:00', '2025-03-03T10:00:00', 'W. Europe Standard Time'),
        recurrence: {
          pattern: { type: 'daily', interval: 1 },
          range: { type: 'noEnd', startDate: '2025-03-03' },
        },
      },
    });
    expect(res.body.recurrence).toEqual({
      pattern: {
        type: 'daily',
        interval: 1,
        month: 0,
        dayOfMonth: 0,
        daysOfWeek: [],
        firstDayOfWeek: 'sunday',
        index: 'first',
      },
      range: {
        type: 'noEnd',
        startDate: '2025-03-03',
        endDate: '0001-01-01',
        recurrenceTimeZone: 'W. Europe Standard Time',
        numberOfOccurrences: 0,
      },
    });
  });

  it.each([
    [
      'weekly without daysOfWeek',
      {
        pattern: { type: 'weekly', interval: 1 },
        range: range('2025-03-03', { numberOfOccurrences: 2 }),
      },
    ],
    [
      'absoluteMonthly without dayOfMonth',
      {
        pattern: { type: 'absoluteMonthly', interval: 1 },
        range: range('2025-03-03', { numberOfOccurrences: 2 }),
      },
    ],
    [
      'interval 0',
      {
        pattern: { type: 'daily', interval: 0 },
        range: range('2025-03-03', { numberOfOccurrences: 2 }),
      },
    ],
    [
      'numbered without a count',
      {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: '2025-03-03' },
      },
    ],
    [
      'endDate before startDate',
      {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'endDate', startDate: '2025-03-03', endDate: '2025-03-01' },
      },
    ],
    [
      'an unknown pattern type',
      {
        pattern: { type: 'hourly', interval: 1 },
        range: range('2025-03-03', { numberOfOccurrences: 2 }),
      },
    ],
  ])('rejects %s with a 400 and creates nothing', async (_name, recurrence) => {
    const before = await h.call<List>('GET', '/v1.0/me/events?$top=1000');
    const res = await h.call<{ error: { code: string; message: string } }>(
      'POST',
      '/v1.0/me/events',
      { body: { ...timed('Bad', '2025-03-03T09:00:00', '2025-03-03T10:00:00'), recurrence } },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/ErrorPropertyValidationFailure|RequestBodyRead/);
    const after = await h.call<List>('GET', '/v1.0/me/events?$top=1000');
    expect(after.body.value).toHaveLength(before.body.value.length);
  });
});
