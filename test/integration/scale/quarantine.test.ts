/**
 * Issue 18: a mailbox whose runs keep failing is set aside (a row in PostgreSQL) after
 * QUARANTINE_AFTER failures in a row, retried with backoff until then; the service's status API
 * reports it (what the pane's Status shows), and /metrics counts it. Carla's mailbox is gone from
 * Graph (the emulator no longer hosts it), so every run of hers fails to get a token.
 */
import { DEMO } from '../../../sandbox/crm';
import { QUARANTINE_AFTER } from '../../../src/service/scale/ledger';
import { parseMetrics, Person, spawnWorker, until, useScaleSetUp } from './harness';

jest.setTimeout(90_000);

const CARLA = DEMO.users[2];
const setUp = useScaleSetUp('scale_quarantine', [CARLA]);

it('a mailbox that keeps failing is quarantined, and the status API and metrics say so', async () => {
  const { sandbox, db, dir, children } = setUp;
  const carla = await Person.signIn(sandbox.crm.url, sandbox.graph.url, CARLA);
  delete sandbox.graph.emulator.store.state.mailboxes[CARLA];
  const worker = spawnWorker(sandbox, db, dir, { SYNC_SCALE_RETRY_BASE_MS: '50' });
  children.push(worker);
  const url = await worker.url();

  await until('her mailbox quarantined', () =>
    worker.lines().some((l) => l.event === 'quarantined' && l.mailbox === CARLA),
  );
  // Retried with backoff until then: one failed run per try, each in the run log.
  const runs = await db.query<{ outcome: string }>(
    `SELECT outcome FROM sync_scale.runs WHERE mailbox = $1 ORDER BY id`,
    [CARLA],
  );
  expect(runs.map((r) => r.outcome)).toEqual(Array(QUARANTINE_AFTER).fill('failed'));

  const res = await fetch(`${url}/v1/me/status`, { headers: carla.crmHeaders() });
  expect(res.status).toBe(200);
  const status = (await res.json()) as Record<string, unknown>;
  expect(status).toMatchObject({
    mailboxId: CARLA,
    state: 'failing',
    lastOutcome: { state: 'failed' },
    quarantined: { failures: QUARANTINE_AFTER },
  });
  const samples = parseMetrics(await (await fetch(`${url}/metrics`)).text());
  expect(samples.get('sync_mailboxes_quarantined')).toBe(1);
  expect(samples.get('sync_runs_total{outcome="failed"}')).toBe(QUARANTINE_AFTER);

  // Set aside: a signal no longer runs it (the next poll's job is skipped, no new run).
  await carla.createCrmActivity('while quarantined', 10);
  await until('the signal was skipped', () =>
    worker.lines().some((l) => l.event === 'skipped' && l.reason === 'quarantined'),
  );
  const after = await db.query(`SELECT 1 FROM sync_scale.runs WHERE mailbox = $1`, [CARLA]);
  expect(after).toHaveLength(QUARANTINE_AFTER);
});
