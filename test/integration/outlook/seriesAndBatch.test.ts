import { sampleItem, WINDOW } from '../../contract/outlookCalendar.contract';
import { startAdapter, type AdapterHarness } from './harness';

describe('Graph adapter: series masters and batched stamp reads', () => {
  let h: AdapterHarness;
  let batches: number[];
  beforeEach(async () => {
    batches = [];
    const counting: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/$batch')) {
        const body = JSON.parse(String(init?.body)) as { requests: unknown[] };
        batches.push(body.requests.length);
      }
      return fetch(input, init);
    };
    h = await startAdapter({ fetch: counting });
  });
  afterEach(() => h.close());

  it('reads 25 stamps in $batch envelopes of at most 20', async () => {
    for (let i = 0; i < 25; i++) {
      await h.calendar.create(h.calendarId, sampleItem({ subject: `E${i}` }), {
        transactionId: `t${i}`,
        crmId: `crm-${i}`,
      });
    }
    const changes = await h.calendar.changes(h.calendarId, WINDOW, null);
    expect(changes.changed).toHaveLength(25);
    expect(new Set(changes.changed.map((e) => e.crmId)).size).toBe(25);
    expect(batches).toEqual([20, 5]);
  });

  it('stamps the caller knows (linked events) are not read again: only the unknown ones are', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const ev = await h.calendar.create(h.calendarId, sampleItem({ subject: `E${i}` }), {
        transactionId: `t${i}`,
        crmId: `crm-${i}`,
      });
      ids.push(ev.id);
    }
    const knownStamps = new Map(ids.slice(0, 22).map((id, i) => [id, `crm-${i}`]));
    const changes = await h.calendar.changes(h.calendarId, WINDOW, null, { knownStamps });
    expect(changes.changed.map((e) => e.crmId).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `crm-${i}`).sort(),
    );
    expect(batches).toEqual([3]);
  });

  it('a series: delta gives occurrences, the master is fetched for its rule', async () => {
    const series = sampleItem({
      subject: 'Weekly planning',
      time: {
        kind: 'timed',
        start: '2026-11-02T07:00:00Z',
        end: '2026-11-02T07:30:00Z',
        timeZone: 'Europe/Helsinki',
      },
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TH;WKST=MO;COUNT=4', exdates: [] },
    });
    const master = await h.calendar.create(h.calendarId, series, {
      transactionId: 's',
      crmId: 'crm-series',
    });
    expect(master.kind).toBe('seriesMaster');
    expect(master.item.recurrence).toEqual(series.recurrence);
    const changes = await h.calendar.changes(h.calendarId, WINDOW, null);
    const kinds = changes.changed.map((e) => e.kind).sort();
    expect(kinds).toEqual(['occurrence', 'occurrence', 'occurrence', 'occurrence', 'seriesMaster']);
    const got = changes.changed.find((e) => e.kind === 'seriesMaster');
    expect(got?.id).toBe(master.id);
    expect(got?.crmId).toBe('crm-series');
    expect(got?.item.recurrence?.rrule).toBe('FREQ=WEEKLY;BYDAY=MO,TH;WKST=MO;COUNT=4');
    const occ = changes.changed.filter((e) => e.kind === 'occurrence');
    expect(occ.map((e) => e.item.occurrenceOf?.seriesId)).toEqual(Array(4).fill(master.id));
    expect(occ.map((e) => e.item.occurrenceOf?.originalStart).sort()).toEqual([
      '2026-11-02T07:00:00Z',
      '2026-11-05T07:00:00Z',
      '2026-11-09T07:00:00Z',
      '2026-11-12T07:00:00Z',
    ]);
  });
});
