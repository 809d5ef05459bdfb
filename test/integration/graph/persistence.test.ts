import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, timed, type GraphEvent } from './helpers';

describe('persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graph-emulator-'));
  const dataFile = join(dir, 'graph.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps events, delta links and tokens across a restart', async () => {
    const first = await startHarness({ dataFile, seedDemoData: true });
    const created = await first.call<GraphEvent>('POST', '/v1.0/me/events', {
      body: timed('Survives', '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
    });
    const delta = await first.call<{ '@odata.deltaLink': string }>(
      'GET',
      '/v1.0/me/calendarView/delta?startDateTime=2025-03-01&endDateTime=2025-04-01&$deltatoken=x'.replace(
        '&$deltatoken=x',
        '',
      ),
    );
    const token = first.token;
    const deltaPath =
      new URL(delta.body['@odata.deltaLink']).pathname +
      new URL(delta.body['@odata.deltaLink']).search;
    await first.close();
    expect(readdirSync(dir)).toEqual(['graph.json']);

    const second = await startHarness({ dataFile });
    try {
      const res = await fetch(`${second.url}/v1.0/me/events/${created.body.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as GraphEvent).subject).toBe('Survives');
      const list = await second.call<{ value: GraphEvent[] }>('GET', '/v1.0/me/events?$top=100');
      expect(list.body.value.filter((e) => e.subject === 'Project kickoff')).toHaveLength(1);
      const again = await second.call<{ value: unknown[] }>('GET', deltaPath);
      expect(again.status).toBe(200);
      expect(again.body.value).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
