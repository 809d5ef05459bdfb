import { startHarness, timed, type Harness } from './helpers';

type Sub = {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown> & { error?: { code: string } };
};
type BatchRes = { responses: Sub[] };

describe('$batch', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('runs sub-requests through the same handlers, honours dependsOn and answers 424 for dependants of a failure', async () => {
    const res = await h.call<BatchRes>('POST', '/v1.0/$batch', {
      body: {
        requests: [
          {
            id: '1',
            method: 'POST',
            url: '/me/events',
            headers: { 'Content-Type': 'application/json' },
            body: timed('Batched', '2025-03-21T09:00:00', '2025-03-21T10:00:00'),
          },
          { id: '2', method: 'GET', url: '/me/events?$select=subject', dependsOn: ['1'] },
          {
            id: '3',
            method: 'PATCH',
            url: '/me/events/AAMkADmissing',
            headers: { 'Content-Type': 'application/json' },
            body: { subject: 'x' },
          },
          { id: '4', method: 'DELETE', url: '/me/events/AAMkADmissing', dependsOn: ['3'] },
          { id: '5', method: 'GET', url: '/me', headers: { Prefer: 'outlook.timezone="UTC"' } },
        ],
      },
    });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.responses.map((r) => [r.id, r]));
    expect(byId.get('1')?.status).toBe(201);
    expect(byId.get('1')?.headers.etag).toBeTruthy();
    expect(byId.get('2')?.status).toBe(200);
    expect((byId.get('2')?.body?.value as { subject: string }[]).map((e) => e.subject)).toEqual([
      'Batched',
    ]);
    expect(byId.get('3')?.status).toBe(404);
    expect(byId.get('3')?.body?.error?.code).toBe('ErrorItemNotFound');
    expect(byId.get('4')?.status).toBe(424);
    expect(byId.get('5')?.status).toBe(200);
  });

  it('refuses more than 20 requests, duplicate ids and forward dependencies with 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: '/me',
    }));
    expect((await h.call('POST', '/v1.0/$batch', { body: { requests: many } })).status).toBe(400);
    expect(
      (await h.call('POST', '/v1.0/$batch', { body: { requests: many.slice(0, 20) } })).status,
    ).toBe(200);
    const dup = [
      { id: '1', method: 'GET', url: '/me' },
      { id: '1', method: 'GET', url: '/me' },
    ];
    expect((await h.call('POST', '/v1.0/$batch', { body: { requests: dup } })).status).toBe(400);
    const forward = [
      { id: '1', method: 'GET', url: '/me', dependsOn: ['2'] },
      { id: '2', method: 'GET', url: '/me' },
    ];
    expect((await h.call('POST', '/v1.0/$batch', { body: { requests: forward } })).status).toBe(
      400,
    );
    expect((await h.call('POST', '/v1.0/$batch', { body: { requests: 'x' } })).status).toBe(400);
  });

  it('sub-requests count toward faults and throttling', async () => {
    h.server.faults.add({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 3,
      pathContains: '/me/events',
    });
    const res = await h.call<BatchRes>('POST', '/v1.0/$batch', {
      body: {
        requests: [
          { id: 'a', method: 'GET', url: '/me/events' },
          { id: 'b', method: 'GET', url: '/me/events' },
        ],
      },
    });
    expect(res.body.responses.map((r) => r.status)).toEqual([429, 200]);
    expect(res.body.responses[0]?.headers['retry-after']).toBe('3');
  });
});
