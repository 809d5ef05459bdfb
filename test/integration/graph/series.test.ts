import { startHarness, timed, type GraphEvent, type Harness } from './helpers';

type List = { value: (GraphEvent & { '@removed'?: unknown })[]; '@odata.deltaLink'?: string };
const WINDOW = 'startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-01T00:00:00Z';

describe('series: occurrences, exceptions and cancelled occurrences', () => {
  let h: Harness;
  let masterId: string;
  beforeEach(async () => {
    h = await startHarness();
    const res = await h.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: {
        ...timed('Standup', '2025-03-17T09:00:00', '2025-03-17T09:15:00'),
        recurrence: {
          pattern: { type: 'daily', interval: 1 },
          range: { type: 'numbered', startDate: '2025-03-17', numberOfOccurrences: 5 },
        },
      },
    });
    masterId = res.body.id ?? '';
  });
  afterEach(() => h.close());

  it('calendarView has occurrences with seriesMasterId and originalStart, never the master', async () => {
    const view = await h.call<List>('GET', `/v1.0/me/calendarView?${WINDOW}`);
    expect(view.body.value).toHaveLength(5);
    expect(
      view.body.value.every((e) => e.type === 'occurrence' && e.seriesMasterId === masterId),
    ).toBe(true);
    expect(view.body.value[0]?.originalStart).toBe('2025-03-17T09:00:00Z');
    const again = await h.call<List>('GET', `/v1.0/me/calendarView?${WINDOW}`);
    expect(again.body.value.map((e) => e.id)).toEqual(view.body.value.map((e) => e.id));
  });

  it('a PATCHed occurrence becomes an exception; a DELETEd one disappears and is listed on the master', async () => {
    const first = await h.call<List>('GET', `/v1.0/me/calendarView/delta?${WINDOW}`);
    const deltaLink = first.body['@odata.deltaLink'] ?? '';
    const [, second, third] = first.body.value;
    const patched = await h.call<GraphEvent>('PATCH', `/v1.0/me/events/${second?.id}`, {
      body: {
        subject: 'Standup (moved)',
        start: { dateTime: '2025-03-18T11:00:00', timeZone: 'UTC' },
        end: { dateTime: '2025-03-18T11:15:00', timeZone: 'UTC' },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual(
      expect.objectContaining({
        id: second?.id,
        type: 'exception',
        seriesMasterId: masterId,
        originalStart: '2025-03-18T09:00:00Z',
      }),
    );
    expect((await h.call('DELETE', `/v1.0/me/events/${third?.id}`)).status).toBe(204);
    expect((await h.call('GET', `/v1.0/me/events/${third?.id}`)).status).toBe(404);

    const view = await h.call<List>('GET', `/v1.0/me/calendarView?${WINDOW}`);
    expect(view.body.value.map((e) => `${e.type} ${e.start?.dateTime?.slice(0, 16)}`)).toEqual([
      'occurrence 2025-03-17T09:00',
      'exception 2025-03-18T11:00',
      'occurrence 2025-03-20T09:00',
      'occurrence 2025-03-21T09:00',
    ]);

    const delta = await h.call<List>('GET', deltaLink);
    expect(delta.body.value).toHaveLength(2);
    expect(delta.body.value.find((e) => e.id === second?.id)?.type).toBe('exception');
    expect(delta.body.value.find((e) => e.id === third?.id)?.['@removed']).toEqual({
      reason: 'deleted',
    });

    const master = await h.call<GraphEvent>(
      'GET',
      `/v1.0/me/events/${masterId}?$select=subject,cancelledOccurrences`,
    );
    expect(master.body.cancelledOccurrences).toEqual([third?.id]);
  });

  it('an exception keeps its own fields when the master subject changes; changing times drops exceptions', async () => {
    const view = await h.call<List>('GET', `/v1.0/me/calendarView?${WINDOW}`);
    const occ = view.body.value[1]?.id ?? '';
    await h.call('PATCH', `/v1.0/me/events/${occ}`, {
      body: { location: { displayName: 'Room 7' } },
    });
    await h.call('PATCH', `/v1.0/me/events/${masterId}`, { body: { subject: 'Daily' } });
    const exc = await h.call<GraphEvent>('GET', `/v1.0/me/events/${occ}`);
    expect(exc.body).toEqual(expect.objectContaining({ type: 'exception', subject: 'Daily' }));
    expect(exc.body.location?.displayName).toBe('Room 7');
    await h.call('PATCH', `/v1.0/me/events/${masterId}`, {
      body: {
        start: { dateTime: '2025-03-17T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2025-03-17T10:15:00', timeZone: 'UTC' },
      },
    });
    const after = await h.call<List>('GET', `/v1.0/me/calendarView?${WINDOW}`);
    expect(
      after.body.value.every(
        (e) => e.type === 'occurrence' && e.start?.dateTime?.slice(11, 16) === '10:00',
      ),
    ).toBe(true);
  });

  it('the demo data has a series with an exception and a cancelled occurrence', async () => {
    const demo = await startHarness({ seedDemoData: true });
    try {
      const view = await demo.call<List>(
        'GET',
        '/v1.0/me/calendarView?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-30T00:00:00Z&$top=100',
      );
      const weekly = view.body.value.filter((e) => e.subject?.startsWith('Weekly planning'));
      expect(weekly.some((e) => e.type === 'exception')).toBe(true);
      const masterIdDemo = weekly[0]?.seriesMasterId ?? '';
      const master = await demo.call<GraphEvent>(
        'GET',
        `/v1.0/me/events/${masterIdDemo}?$select=cancelledOccurrences`,
      );
      expect(master.body.cancelledOccurrences).toHaveLength(1);
      expect(view.body.value.some((e) => e.type === 'seriesMaster')).toBe(false);
    } finally {
      await demo.close();
    }
  });
});
