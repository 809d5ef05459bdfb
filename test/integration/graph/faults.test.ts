import { startHarness, type Harness } from './helpers';

type Err = { error: { code: string } };

describe('faults and throttling', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('429 with Retry-After, once', async () => {
    h.server.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 7 });
    const res = await h.call<Err>('GET', '/v1.0/me/events');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body.error.code).toBe('TooManyRequests');
    expect((await h.call('GET', '/v1.0/me/events')).status).toBe(200);
  });

  it('503 through the admin endpoint, limited by path and count, and cleared by DELETE', async () => {
    const add = await fetch(`${h.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'status',
        status: 503,
        retryAfterSeconds: 2,
        count: 2,
        pathContains: 'calendarView',
      }),
    });
    expect(add.status).toBe(204);
    expect((await h.call('GET', '/v1.0/me')).status).toBe(200);
    const q = '/v1.0/me/calendarView?startDateTime=2025-03-01&endDateTime=2025-03-02';
    const first = await h.call<Err>('GET', q);
    expect([first.status, first.headers.get('retry-after'), first.body.error.code]).toEqual([
      503,
      '2',
      'ServiceUnavailable',
    ]);
    expect((await h.call('GET', q)).status).toBe(503);
    expect((await h.call('GET', q)).status).toBe(200);
    h.server.faults.add({ kind: 'status', status: 503, count: 0 });
    expect((await h.call('GET', '/v1.0/me')).status).toBe(503);
    expect((await fetch(`${h.url}/sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.call('GET', '/v1.0/me')).status).toBe(200);
  });

  it('drops the connection', async () => {
    h.server.faults.add({ kind: 'drop' });
    await expect(h.call('GET', '/v1.0/me')).rejects.toThrow();
    expect((await h.call('GET', '/v1.0/me')).status).toBe(200);
  });

  it('adds latency', async () => {
    h.server.faults.add({ kind: 'latency', ms: 200 });
    const t0 = Date.now();
    expect((await h.call('GET', '/v1.0/me')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('more than 4 concurrent requests for one mailbox → 429 ApplicationThrottled with Retry-After', async () => {
    h.server.faults.add({ kind: 'latency', ms: 300, count: 6 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => h.call<Err>('GET', '/v1.0/me/events')),
    );
    const throttled = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    expect(throttled).toHaveLength(2);
    expect(throttled[0]?.body.error.code).toBe('ApplicationThrottled');
    expect(throttled[0]?.headers.get('retry-after')).toBeTruthy();
    // Slots are released: the next request goes through; another mailbox has its own budget.
    expect((await h.call('GET', '/v1.0/me/events')).status).toBe(200);
  });

  it('counts per mailbox', async () => {
    h.server.faults.add({ kind: 'latency', ms: 300, count: 0 });
    const ben = await fetch(`${h.url}/sandbox/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: 'ben@contoso.example' }),
    });
    const benToken = ((await ben.json()) as { access_token: string }).access_token;
    const anna = Array.from({ length: 4 }, () => h.call('GET', '/v1.0/me'));
    const benRes = Array.from({ length: 4 }, () =>
      fetch(`${h.url}/v1.0/me`, { headers: { authorization: `Bearer ${benToken}` } }),
    );
    const statuses = [
      ...(await Promise.all(anna)).map((r) => r.status),
      ...(await Promise.all(benRes)).map((r) => r.status),
    ];
    expect(statuses).toEqual(Array(8).fill(200));
  });
});
