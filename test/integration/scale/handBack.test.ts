/**
 * Issue 18, item 3: SIGTERM in the middle of a long run — the worker stops taking jobs, gives the
 * run in hand SYNC_SCALE_SHUTDOWN_SECONDS (1 s here) to finish, hands it back and exits 0; the
 * other worker finishes the mailbox: everything once, and never two runs of it at once.
 */
import { DEMO } from '../../../sandbox/crm';
import {
  overlaps,
  Person,
  runUnderWay,
  spawnWorker,
  terminate,
  until,
  useScaleSetUp,
} from './harness';

jest.setTimeout(120_000);

const BEN = DEMO.users[1];
const MADE = 30;
const setUp = useScaleSetUp('scale_handback', [BEN]);

it('SIGTERM mid-run hands the run back within its bound and exits 0; the other worker finishes it', async () => {
  const { sandbox, db, dir, children } = setUp;
  const ben = await Person.signIn(sandbox.crm.url, sandbox.graph.url, BEN);
  for (let i = 0; i < MADE; i += 1) await ben.createCrmActivity(`Handed ${i}`, i);
  sandbox.graph.faults.add({ kind: 'latency', ms: 300, count: 0, method: 'POST' });
  const env = { SYNC_SCALE_SHUTDOWN_SECONDS: '1' };
  const workers = [spawnWorker(sandbox, db, dir, env), spawnWorker(sandbox, db, dir, env)];
  children.push(...workers);
  await Promise.all(workers.map((w) => w.url()));
  const ours = (subjects: string[]) => subjects.filter((s) => /^Handed \d/.test(s));
  await until('some events written', async () => ours(await ben.outlookSubjects()).length >= 3);
  const { processId, holder: stopping } = await runUnderWay(db, workers, BEN);
  if (!stopping) throw new Error('no worker holds the run');
  const exit = await terminate(stopping, 20);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(stopping.lines().find((l) => l.event === 'stopped')).toMatchObject({ handedBack: true });
  sandbox.graph.faults.clear();

  const expected = Array.from({ length: MADE }, (_, i) => `Handed ${i}`).sort();
  await until('the other worker finished his mailbox', async () => {
    const done = await db.query(
      `SELECT 1 FROM sync_scale.runs WHERE mailbox = $1 AND process_id <> $2 AND outcome = 'done'`,
      [BEN, processId],
    );
    return done.length > 0 && ours(await ben.outlookSubjects()).length >= MADE;
  });
  expect(ours(await ben.outlookSubjects()).sort()).toEqual(expected);
  expect(await overlaps(db)).toEqual([]);
  // The job came back through the hand-back itself, not the orphan rule (a lock no process
  // lists, after 30 s).
  const others = workers.filter((w) => w !== stopping);
  expect(others.flatMap((w) => w.lines()).filter((l) => l.event === 'orphanedJobs')).toEqual([]);
});
