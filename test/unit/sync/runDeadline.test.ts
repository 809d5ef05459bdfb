/**
 * Issue 14, item 2: a deadline per run. A run past it ends between two operations as
 * `runTimedOut`: the lock is released (the next run starts), the cursors are not moved (the next
 * run reads the same changes again, so nothing is skipped), and the next run finishes the work.
 */
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { dexieStore } from '../../support/store';

/** A clock that moves `stepMs` on every reading once started: a slow service, compressed. */
function slowClock(stepMs: number) {
  let ms = Date.parse(NOW);
  let moving = false;
  const clock = () => {
    if (moving) ms += stepMs;
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };
  return { clock, start: () => (moving = true), stop: () => (moving = false) };
}

it('a run past its deadline ends cleanly: lock released, cursor kept, the next run finishes', async () => {
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW));
  for (const [i, hour] of ['07', '08', '09', '10', '11', '12'].entries()) {
    outlook.outlookCreate(
      'calendar',
      item({ subject: `Item ${i}`, ...at(`2026-11-24T${hour}:00:00Z`) }),
    );
  }
  const time = slowClock(20_000);
  const lock = new InProcessRunLock();
  const deps: EngineDeps = {
    outlook,
    crm: backend.as(settings.crmUserId),
    store: dexieStore('run-deadline@contoso.example'),
    settings,
    calendarId: 'calendar',
    clock: time.clock,
    lock,
    holderId: 'client-1',
    runDeadlineMs: 60_000,
  };
  time.start();
  const first = await runSync(deps);
  expect(first).toMatchObject({ state: 'failed', error: { code: 'runTimedOut' } });
  const written = backend.rows.size;
  expect(written).toBeLessThan(6); // it stopped part way
  expect(await deps.store.cursor('outlookDelta')).toBeUndefined();
  expect(await deps.store.cursor('crmChanges')).toBeUndefined();

  time.stop();
  // The lock was released: this run is not 'busy', and it finishes what the first left.
  const second = await runSync(deps);
  expect(second).toMatchObject({ state: 'done' });
  expect([...backend.rows.values()].filter((r) => !r.deleted)).toHaveLength(6);
  expect(await deps.store.cursor('outlookDelta')).toBeDefined();
});
