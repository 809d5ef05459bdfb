import { ConflictError, SyncError } from '../../../src/sync/core/errors';
import { sampleItem, WINDOW } from '../../contract/outlookCalendar.contract';
import { MAILBOX, startAdapter, type AdapterHarness } from './harness';

async function rejection(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SyncError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** The real adapter over HTTP against the emulator's injected faults. */
describe('Graph adapter under faults', () => {
  let h: AdapterHarness;
  afterEach(() => h.close());

  describe('with the plain client', () => {
    beforeEach(async () => {
      h = await startAdapter();
    });

    it.each([429, 503])('%i with Retry-After waits as told, then succeeds', async (status) => {
      const ev = await h.calendar.create(h.calendarId, sampleItem(), {
        transactionId: 't',
        crmId: 'c',
      });
      h.server.faults.add({ kind: 'status', status, retryAfterSeconds: 1, count: 2 });
      expect((await h.calendar.get(ev.id))?.id).toBe(ev.id);
      expect(h.sleeps).toEqual([1000, 1000]);
    });

    it('429 that never ends is `throttled` with the wait Graph asked for', async () => {
      h.server.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 3, count: 0 });
      const err = await rejection(h.calendar.listCalendars());
      expect([err.code, err.kind, err.retryAfterMs]).toEqual(['throttled', 'throttled', 3000]);
      expect(h.sleeps).toHaveLength(4); // 5 attempts
    });

    it('a dropped connection is retried; a dropped create never duplicates', async () => {
      h.server.faults.add({ kind: 'drop', method: 'POST' });
      const ev = await h.calendar.create(h.calendarId, sampleItem(), {
        transactionId: 'tx',
        crmId: 'c1',
      });
      expect(h.sleeps).toHaveLength(1);
      expect(await h.calendar.findByCrmId(h.calendarId, 'c1')).toHaveLength(1);
      expect(ev.crmId).toBe('c1');
    });

    it('500s back off exponentially with jitter, then succeed', async () => {
      h.server.faults.add({ kind: 'status', status: 500, count: 3 });
      await h.calendar.listCalendars();
      expect(h.sleeps).toEqual([375, 750, 1500]); // d·(1/2 + 0.5/2) for d = 500, 1000, 2000
    });

    it('an expired delta link is cursorExpired (resyncRequired)', async () => {
      const first = await h.calendar.changes(h.calendarId, WINDOW, null);
      h.server.faults.expireDeltaTokens(MAILBOX);
      const err = await rejection(h.calendar.changes(h.calendarId, WINDOW, first.deltaLink));
      expect([err.code, err.kind]).toEqual(['cursorExpired', 'resyncRequired']);
    });

    it('412 on update is a ConflictError carrying the event as Outlook has it', async () => {
      const ev = await h.calendar.create(h.calendarId, sampleItem(), {
        transactionId: 't',
        crmId: 'c',
      });
      h.server.faults.add({ kind: 'status', status: 412, method: 'PATCH' });
      const err = await rejection(
        h.calendar.update(ev.id, sampleItem({ subject: 'x' }), { etag: ev.etag }),
      );
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError<typeof ev>).current?.item.subject).toBe('Quarterly review');
    });

    it('an unknown calendar is calendarNotFound', async () => {
      const err = await rejection(h.calendar.changes('no-such-calendar', WINDOW, null));
      expect(err.kind).toBe('notFound');
    });
  });

  it('never has more than 4 requests in flight: 30 parallel gets, no concurrency 429', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (input, init) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    h = await startAdapter({ fetch: counting });
    const ev = await h.calendar.create(h.calendarId, sampleItem(), {
      transactionId: 't',
      crmId: 'c',
    });
    h.server.faults.add({ kind: 'latency', ms: 20, count: 0 });
    const got = await Promise.all(Array.from({ length: 30 }, () => h.calendar.get(ev.id)));
    expect(got.every((e) => e?.id === ev.id)).toBe(true);
    expect(peak).toBe(4);
    expect(h.server.faults.stats.throttled).toBe(0);
    expect(h.sleeps).toEqual([]);
  });

  it('a hung request is given up after its timeout and tried again; one that keeps hanging is offline', async () => {
    let hangs = 0;
    const hanging: typeof fetch = (input, init) => {
      // A request that is not made to hang answers whenever the emulator does: its timeout
      // signal is not passed on, so a busy machine cannot turn it into a second "hang".
      if (hangs === 0) return fetch(input, { ...init, signal: null });
      hangs -= 1;
      // Never answers: only the request's own timeout ends it.
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    };
    h = await startAdapter({ fetch: hanging, timeoutMs: 100, maxAttempts: 3 });
    const ev = await h.calendar.create(h.calendarId, sampleItem(), {
      transactionId: 't',
      crmId: 'c',
    });
    hangs = 1;
    expect((await h.calendar.get(ev.id))?.id).toBe(ev.id);
    expect(h.sleeps).toHaveLength(1);
    hangs = 3;
    const err = await rejection(h.calendar.get(ev.id));
    expect([err.code, err.kind]).toEqual(['offline', 'offline']);
  });

  it('the emulator does throttle a client that ignores the limit (the check above is real)', async () => {
    h = await startAdapter({ maxConcurrent: 30 });
    const ev = await h.calendar.create(h.calendarId, sampleItem(), {
      transactionId: 't',
      crmId: 'c',
    });
    // Each request is held for 1.5 s, so the twelve overlap even when a loaded machine sends them
    // slowly (at 20 ms a fresh clone's CI run at load ~5 let them through one after another).
    h.server.faults.add({ kind: 'latency', ms: 1_500, count: 0 });
    // Some of these may run out of retries (sleeps are instant here): only the 429s matter.
    await Promise.allSettled(Array.from({ length: 12 }, () => h.calendar.get(ev.id)));
    expect(h.server.faults.stats.throttled).toBeGreaterThan(0);
  });

  it.each([
    ['not JSON', () => '{"value": [ oops'],
    ['a wrong shape', () => JSON.stringify({ value: [{ id: 'x', start: { dateTime: 5 } }] })],
    ['no value', () => JSON.stringify({ '@odata.deltaLink': 'x' })],
  ])('a malformed delta page (%s) is invalidResponse and yields nothing', async (_l, body) => {
    let tamper = false;
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!tamper || !String(input).includes('calendarView/delta')) return res;
      return new Response(body(), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    h = await startAdapter({ fetch: tampering });
    await h.calendar.create(h.calendarId, sampleItem(), { transactionId: 't', crmId: 'c' });
    const calls = h.server.emulator.store.state;
    const before = JSON.stringify(calls.mailboxes);
    tamper = true;
    const err = await rejection(h.calendar.changes(h.calendarId, WINDOW, null));
    expect([err.code, err.kind]).toEqual(['invalidResponse', 'invalidData']);
    expect(h.sleeps).toEqual([]); // a malformed answer is not retried
    expect(JSON.stringify(calls.mailboxes)).toBe(before); // nothing was written
  });

  it('SPEC X1: an event Graph sends in a shape or with a time we cannot read is set aside by id, the rest is read', async () => {
    let spoilId = '';
    const spoil: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('calendarView/delta')) return res;
      const page = (await res.json()) as { value: { id: string; start?: unknown }[] };
      for (const e of page.value) {
        if (e.id === spoilId) e.start = { dateTime: 'soon', timeZone: 'UTC' };
      }
      page.value.push({ id: 'unreadable-1', start: { dateTime: 5 } } as never);
      return new Response(JSON.stringify(page), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    h = await startAdapter({ fetch: spoil });
    const ok = await h.calendar.create(h.calendarId, sampleItem(), {
      transactionId: 't1',
      crmId: 'c1',
    });
    const bad = await h.calendar.create(h.calendarId, sampleItem({ subject: 'Second' }), {
      transactionId: 't2',
      crmId: 'c2',
    });
    spoilId = bad.id;
    const changes = await h.calendar.changes(h.calendarId, WINDOW, null);
    expect(changes.changed.map((e) => e.id)).toEqual([ok.id]);
    expect([...(changes.unreadable ?? [])].sort()).toEqual([bad.id, 'unreadable-1'].sort());
  });
});
