/**
 * Issue 18: two scale-out workers (child processes) over one PostgreSQL. A burst of changes
 * across every mailbox, on both sides: all converge, with no duplicate, and the run log shows no
 * two runs of one mailbox at once; the metrics scrape parses; SIGTERM stops a worker cleanly.
 */
import { DEMO } from '../../../sandbox/crm';
import {
  overlaps,
  parseMetrics,
  Person,
  spawnWorker,
  terminate,
  until,
  useScaleSetUp,
} from './harness';

jest.setTimeout(120_000);

const PER_SIDE = 4;
const setUp = useScaleSetUp('scale_two');

it('a burst across mailboxes converges on two workers: no duplicate, no overlapping runs', async () => {
  const { sandbox, db, dir, children } = setUp;
  const a = spawnWorker(sandbox, db, dir, { SYNC_SCALE_CONCURRENCY: '2' });
  const b = spawnWorker(sandbox, db, dir, { SYNC_SCALE_CONCURRENCY: '2' });
  children.push(a, b);
  const [urlA] = await Promise.all([a.url(), b.url()]);
  const people = await Promise.all(
    DEMO.users.map((u) => Person.signIn(sandbox.crm.url, sandbox.graph.url, u)),
  );

  // The burst: items on both sides of every mailbox at once.
  await Promise.all(
    people.flatMap((person, p) =>
      Array.from({ length: PER_SIDE }, (_, i) => [
        person.createCrmActivity(`crm ${p}-${i}`, i * 5),
        person.createOutlookEvent(`outlook ${p}-${i}`, i * 5),
      ]).flat(),
    ),
  );

  const expected = (p: number) =>
    Array.from({ length: PER_SIDE }, (_, i) => [`crm ${p}-${i}`, `outlook ${p}-${i}`])
      .flat()
      .sort();
  // The burst's items only (the demo company has activities of its own).
  const ours = (subjects: string[]) => subjects.filter((s) => /^(crm|outlook) \d/.test(s)).sort();
  await until(
    'every mailbox converged',
    async () => {
      for (const [p, person] of people.entries()) {
        const [outlook, crm] = await Promise.all([person.outlookSubjects(), person.crmSubjects()]);
        const n = expected(p).length;
        if (ours(outlook).length < n || ours(crm).length < n) return false;
      }
      return true;
    },
    90,
  );
  for (const [p, person] of people.entries()) {
    const outlook = await person.outlookSubjects();
    // Each exactly once (a duplicate would appear twice in the sorted list).
    expect(ours(outlook)).toEqual(expected(p));
    expect(ours(await person.crmSubjects())).toEqual(expected(p));
  }
  // Both workers ran mailboxes, and the run log holds no two runs of one mailbox at once.
  const byProcess = await db.query<{ process_id: string; n: string }>(
    `SELECT process_id, count(*) AS n FROM sync_scale.runs GROUP BY process_id`,
  );
  expect(byProcess.length).toBe(2);
  expect(await overlaps(db)).toEqual([]);

  // The metrics scrape parses, and says what happened (once the runs in hand have ended).
  await until('no run under way', async () => {
    const open = await db.query(`SELECT 1 FROM sync_scale.runs WHERE ended_at IS NULL`);
    return open.length === 0;
  });
  const done = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM sync_scale.runs
      WHERE outcome = 'done' AND ended_at > now() - interval '1 minute'`,
  );
  const res = await fetch(`${urlA}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const samples = parseMetrics(await res.text());
  expect(samples.get('sync_mailboxes_quarantined')).toBe(0);
  expect(samples.get('sync_queue_depth{state="running"}')).toBeGreaterThanOrEqual(0);
  expect(samples.get('sync_runs_last_minute{outcome="done"}')).toBe(Number(done[0]?.n));
  expect(
    [...samples.keys()].some((k) => k.startsWith('sync_notification_to_crm_seconds_bucket')),
  ).toBe(true);
  expect((await fetch(`${urlA}/healthz`)).status).toBe(200);
  expect((await fetch(`${urlA}/readyz`)).status).toBe(200);

  // SIGTERM: a clean stop, exit 0, nothing handed back while idle.
  const exit = await terminate(a, 40);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(a.lines().find((l) => l.event === 'stopped')).toMatchObject({ handedBack: false });
  // The other worker still answers.
  expect((await fetch(`${await b.url()}/readyz`)).status).toBe(200);
});
