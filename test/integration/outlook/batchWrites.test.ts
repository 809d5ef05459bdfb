/**
 * Issue 16 item 1, over the real emulator: a group's writes go in one $batch — creates with
 * their transactionId and stamp, PATCHes with If-Match, DELETEs — each answered on its own, and
 * every sub-request counted against the mailbox's budget, whose 429s the writer waits out.
 */
import type { OutlookCalendar, OutlookEvent } from '../../../src/sync/ports';
import { item, at } from '../../support/planFixtures';
import { startAdapter, type AdapterHarness } from './harness';

let h: AdapterHarness;
let envelopes: number[];
/** The waits the client asked for: waited for real, so the emulator's window really passes. */
let waited: number[];
beforeEach(async () => {
  envelopes = [];
  waited = [];
  h = await startAdapter({
    sleep: async (ms) => {
      waited.push(ms);
      await new Promise((r) => setTimeout(r, ms));
    },
    fetch: async (input, init) => {
      if (String(input).endsWith('/$batch')) {
        envelopes.push((JSON.parse(String(init?.body)) as { requests: unknown[] }).requests.length);
      }
      return fetch(input, init);
    },
  });
});
afterEach(() => h.close());

async function together<T>(n: number, work: (i: number, cal: OutlookCalendar) => Promise<T>) {
  const group = h.calendar.group(n);
  return Promise.allSettled(
    Array.from({ length: n }, (_, i) => work(i, group.calendar).finally(() => group.leave())),
  );
}

const subject = (i: number) => `Batch ${i} <b>&amp;</b>`;
const when = (i: number) => at(`2026-12-${String(1 + (i % 20)).padStart(2, '0')}T08:00:00Z`, 30);

it('20 creates in one envelope, each stamped in its own body; a repeated transactionId gives the same event', async () => {
  const created = await together(20, (i, cal) =>
    cal.create(h.calendarId, item({ subject: subject(i), ...when(i) }), {
      transactionId: `tx-${i}`,
      crmId: `crm-${i}`,
    }),
  );
  expect(envelopes).toEqual([20]);
  const events = created.map((r) => (r.status === 'fulfilled' ? r.value : null));
  expect(events.every((e) => e !== null && e.crmId !== null && e.etag !== '')).toBe(true);
  // The stamp was written with the create (no second request was made): Graph holds it.
  const first = events[0] as OutlookEvent;
  expect(first.crmId).toBe('crm-0');
  const again = await together(2, (i, cal) =>
    cal.create(h.calendarId, item({ subject: subject(i), ...when(i) }), {
      transactionId: `tx-${i}`,
      crmId: `crm-${i}`,
    }),
  );
  const replayed = again.map((r) => (r.status === 'fulfilled' ? r.value.id : null));
  expect(replayed).toEqual([events[0]?.id, events[1]?.id]);
  const found = await h.calendar.findByCrmId(h.calendarId, 'crm-1');
  expect(found.map((e) => e.id)).toEqual([events[1]?.id]);
});

it('updates with If-Match and deletes in envelopes; a stale version fails its item alone', async () => {
  const made: OutlookEvent[] = [];
  for (let i = 0; i < 6; i++) {
    made.push(
      await h.calendar.create(h.calendarId, item({ subject: subject(i), ...when(i) }), {
        transactionId: `t${i}`,
        crmId: `c${i}`,
      }),
    );
  }
  envelopes.length = 0;
  const results = await together(6, (i, cal) => {
    const ev = made[i] as OutlookEvent;
    if (i >= 4) return cal.delete(ev.id).then(() => null);
    const etag = i === 2 ? 'W/"stale"' : ev.etag;
    return cal.update(ev.id, { ...ev.item, subject: `Renamed ${i}` }, { etag });
  });
  expect(results.map((r) => r.status)).toEqual([
    'fulfilled',
    'fulfilled',
    'rejected',
    'fulfilled',
    'fulfilled',
    'fulfilled',
  ]);
  const failed = results[2];
  expect(failed?.status === 'rejected' && (failed.reason as { kind?: string }).kind).toBe(
    'conflict',
  );
  // Reads then writes, each step of the group in one envelope (at most 20 each).
  expect(envelopes.every((n) => n <= 20)).toBe(true);
  expect(envelopes.length).toBeLessThanOrEqual(4);
  const renamed = results[0];
  expect(renamed?.status === 'fulfilled' && renamed.value?.item.subject).toBe('Renamed 0');
  expect(await h.calendar.findByCrmId(h.calendarId, 'c4')).toEqual([]);
  expect((await h.calendar.findByCrmId(h.calendarId, 'c3'))[0]?.item.subject).toBe('Renamed 3');
});

it('over the budget: each sub-request is refused on its own and the writer waits it out', async () => {
  h.server.faults.setRequestBudget({ limit: 8, windowMs: 1_000 });
  const created = await together(12, (i, cal) =>
    cal.create(h.calendarId, item({ subject: subject(i), ...when(i) }), {
      transactionId: `b-${i}`,
      crmId: `b${i}`,
    }),
  );
  expect(created.every((r) => r.status === 'fulfilled')).toBe(true);
  expect(h.server.faults.stats.budgetThrottled).toBeGreaterThan(0);
  expect(envelopes.length).toBeGreaterThan(1); // the refused ones went again
  expect(waited.some((ms) => ms >= 1_000)).toBe(true); // after their Retry-After
});
