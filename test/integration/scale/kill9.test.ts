/**
 * Issue 18, "Done when": a worker killed with `kill -9` mid-run — its mailbox resumes on the other
 * worker within 60 s, with zero duplicates and zero lost edits. Two workers (child processes) over
 * one PostgreSQL; Graph's writes slowed so the kill surely lands inside the mailbox's first run;
 * the run log proves the run was cut (closed as `killed` by the survivor's sweep), that the
 * mailbox resumed on the other worker, and that no two of its runs overlapped.
 */
import { DEMO } from '../../../sandbox/crm';
import { overlaps, Person, runUnderWay, spawnWorker, until, useScaleSetUp } from './harness';

jest.setTimeout(150_000);

const ANNA = DEMO.users[0];
const MADE = 40;
const setUp = useScaleSetUp('scale_kill9', [ANNA]);

it('a worker killed with SIGKILL mid-run: the other resumes its mailbox within 60 s, no duplicate, no edit lost', async () => {
  const { sandbox, db, dir, children } = setUp;
  const anna = await Person.signIn(sandbox.crm.url, sandbox.graph.url, ANNA);
  for (let i = 0; i < MADE; i += 1) await anna.createCrmActivity(`Kill test ${i}`, i);
  // Slow Graph's writes so the first run is surely under way when the kill comes.
  sandbox.graph.faults.add({ kind: 'latency', ms: 300, count: 0, method: 'POST' });

  const workers = [spawnWorker(sandbox, db, dir), spawnWorker(sandbox, db, dir)];
  children.push(...workers);
  await Promise.all(workers.map((w) => w.url()));
  const ours = (subjects: string[]) => subjects.filter((s) => /^(Kill test|Edit) \d/.test(s));
  await until('some events written', async () => ours(await anna.outlookSubjects()).length >= 3);

  // Edits on both sides while the run is under way: none may be lost.
  await anna.createOutlookEvent('Edit 1', 600);
  await anna.createCrmActivity('Edit 2', 620);

  const { open, processId, holder: victim } = await runUnderWay(db, workers, ANNA);
  expect(open).toHaveLength(1); // one run of her mailbox, under way now
  const survivor = workers.find((w) => w !== victim);
  if (!victim || !survivor) throw new Error('the run belongs to neither worker');
  const killedAt = Date.now();
  victim.process.kill('SIGKILL');
  expect((await victim.exited()).signal).toBe('SIGKILL');
  sandbox.graph.faults.clear();

  const expected = [
    ...Array.from({ length: MADE }, (_, i) => `Kill test ${i}`),
    'Edit 1',
    'Edit 2',
  ].sort();
  await until(
    'her mailbox converged on the other worker',
    async () => {
      const [outlook, crm] = await Promise.all([anna.outlookSubjects(), anna.crmSubjects()]);
      return ours(outlook).length >= expected.length && ours(crm).length >= expected.length;
    },
    60,
  );
  const seconds = (Date.now() - killedAt) / 1000;
  expect(seconds).toBeLessThan(60);
  // Each exactly once on both sides: nothing twice, nothing missing.
  expect(ours(await anna.outlookSubjects()).sort()).toEqual(expected);
  expect(ours(await anna.crmSubjects()).sort()).toEqual(expected);

  // The run log: the cut run closed as killed by the survivor's sweep; a later run of hers done
  // on the survivor; never two at once.
  const runs = () =>
    db.query<{ process_id: string; outcome: string | null }>(
      `SELECT process_id, outcome FROM sync_scale.runs WHERE mailbox = $1 ORDER BY id`,
      [ANNA],
    );
  // (The items are there before the run that wrote them has ended.)
  await until('the resumed run ended', async () =>
    (await runs()).some((r) => r.process_id !== processId && r.outcome === 'done'),
  );
  expect(await runs()).toContainEqual({ process_id: processId, outcome: 'killed' });
  expect(await overlaps(db)).toEqual([]);
  expect(survivor.lines().some((l) => l.event === 'workerDead' && l.process === processId)).toBe(
    true,
  );
  // …and the sweep that found the process dead unlocked its job: the orphan rule (a lock no
  // process lists, after 30 s) had nothing left to do.
  expect(survivor.lines().filter((l) => l.event === 'orphanedJobs')).toEqual([]);
});
