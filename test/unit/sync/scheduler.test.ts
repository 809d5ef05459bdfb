/**
 * The sync loop under Jest's fake timers, against an exact log of which run started when and with
 * which options (STYLE.md, Replicache's connection loop). Times in the logs are seconds from T0.
 */
import { SyncError, type ErrorCode } from '../../../src/sync/core/errors';
import type { RunOptions, RunOutcome } from '../../../src/sync/engine/run';
import {
  backoffMs,
  defaultTiming,
  SyncScheduler,
  type SchedulerOptions,
} from '../../../src/sync/scheduler';

const DAY = 86_400_000;
/** 08:00 UTC: the next (UTC) midnight is 16 hours away. */
const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

const done: RunOutcome = { state: 'done', counts: {}, failures: 0 };
const busy: RunOutcome = { state: 'busy' };
const massDelete = { kind: 'massDelete', destructive: 40, linked: 50, ids: ['o1', 'o2'] } as const;
const braked: RunOutcome = {
  state: 'braked',
  brake: massDelete,
  asked: [{ brake: massDelete, items: [] }],
};
const failed = (code: ErrorCode, retryAfterMs?: number): RunOutcome => ({
  state: 'failed',
  error: new SyncError(code, code, retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/** An outcome, or how long the run takes (fake time) and what it then returns. */
type Step = RunOutcome | { readonly takesMs: number; readonly outcome: RunOutcome } | Error;

function setup(script: Step[] = [], options: Partial<SchedulerOptions> = {}, random = 0) {
  const log: { at: number; options: RunOptions }[] = [];
  const scheduler = new SyncScheduler(
    {
      run: async (runOptions) => {
        log.push({ at: (Date.now() - T0) / SECOND, options: runOptions });
        const step = script.shift() ?? done;
        if (step instanceof Error) throw step;
        if ('takesMs' in step) {
          await new Promise((resolve) => setTimeout(resolve, step.takesMs));
          return step.outcome;
        }
        return step;
      },
      now: () => Date.now(),
      random: () => random,
    },
    { msUntilMidnight: (now) => DAY - (now % DAY), ...options },
  );
  const times = () => log.map((entry) => entry.at);
  const state = () => scheduler.getSnapshot().state;
  return { scheduler, log, times, state };
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('sync scheduler', () => {
  it('SPEC S1: polls every 5 s while a pane is open, starting at once (S5)', async () => {
    const { scheduler, times, state } = setup();
    scheduler.setActive(true);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(16 * SECOND);
    expect(times()).toEqual([0, 5, 10, 15]);
    expect(state()).toBe('idle');
    expect(scheduler.getSnapshot().nextRunAt).toBe(T0 + 20 * SECOND);
  });

  it('SPEC S2: pulls every 5 minutes when no pane is open', async () => {
    const { scheduler, times } = setup();
    scheduler.start();
    await jest.advanceTimersByTimeAsync(16 * MINUTE);
    expect(times()).toEqual([0, 300, 600, 900]);
  });

  it('closing the pane goes back from polling to the 5-minute pull after one more poll', async () => {
    const { scheduler, times } = setup();
    scheduler.setActive(true);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(6 * SECOND);
    scheduler.setActive(false);
    await jest.advanceTimersByTimeAsync(6 * MINUTE);
    expect(times()).toEqual([0, 5, 10, 310]);
  });

  it('SPEC S1: local changes run 1 s after the first notice, a burst coalescing into one run', async () => {
    const { scheduler, times } = setup();
    scheduler.start();
    await jest.advanceTimersByTimeAsync(60 * SECOND);
    scheduler.notifyLocalChange();
    await jest.advanceTimersByTimeAsync(300);
    scheduler.notifyLocalChange();
    await jest.advanceTimersByTimeAsync(500);
    scheduler.notifyLocalChange();
    await jest.advanceTimersByTimeAsync(11 * MINUTE);
    expect(times()).toEqual([0, 61, 361, 661]);
  });

  it('SPEC S3: syncNow runs at once and fullSyncNow runs with full', async () => {
    const { scheduler, log } = setup();
    scheduler.start();
    await jest.advanceTimersByTimeAsync(30 * SECOND);
    scheduler.syncNow();
    await jest.advanceTimersByTimeAsync(10 * SECOND);
    scheduler.fullSyncNow();
    await jest.advanceTimersByTimeAsync(0);
    expect(log).toEqual([
      { at: 0, options: {} },
      { at: 30, options: {} },
      { at: 40, options: { full: true } },
    ]);
  });

  it('SPEC S3: syncFrom is a full run from that day; two queued requests keep the earlier day', async () => {
    const { scheduler, log } = setup([{ takesMs: 3 * SECOND, outcome: done }]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(SECOND);
    scheduler.syncFrom('2026-03-10');
    scheduler.syncFrom('2026-02-01');
    scheduler.syncFrom('2026-04-01');
    await jest.advanceTimersByTimeAsync(2 * SECOND);
    expect(log).toEqual([
      { at: 0, options: {} },
      { at: 3, options: { full: true, from: '2026-02-01' } },
    ]);
  });

  it('SPEC S4: the snapshot carries what the run says of its progress while it runs', async () => {
    const seen: unknown[] = [];
    const scheduler = new SyncScheduler(
      {
        run: async (_options, onProgress) => {
          onProgress({ phase: 'reading' });
          seen.push(scheduler.getSnapshot().progress);
          onProgress({ phase: 'writing', done: 1, total: 4 });
          seen.push(scheduler.getSnapshot().progress);
          return done;
        },
        now: () => Date.now(),
      },
      { msUntilMidnight: () => DAY },
    );
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([{ phase: 'reading' }, { phase: 'writing', done: 1, total: 4 }]);
    expect(scheduler.getSnapshot()).toMatchObject({ state: 'idle', progress: null });
    scheduler.stop();
  });

  it('triggers during a run queue exactly one follow-up, right after it, with their options', async () => {
    const { scheduler, log } = setup([{ takesMs: 3 * SECOND, outcome: done }]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(SECOND);
    scheduler.syncNow();
    scheduler.notifyLocalChange();
    await jest.advanceTimersByTimeAsync(SECOND);
    scheduler.fullSyncNow();
    scheduler.syncNow();
    expect(scheduler.getSnapshot().state).toBe('syncing');
    await jest.advanceTimersByTimeAsync(11 * MINUTE);
    expect(log).toEqual([
      { at: 0, options: {} },
      { at: 3, options: { full: true } },
      { at: 303, options: {} },
      { at: 603, options: {} },
    ]);
  });

  it('backs off offline failures 5 s … 5 min and resets after a success', async () => {
    const offline = failed('offline');
    const script = [...Array<RunOutcome>(8).fill(offline), done, offline];
    const { scheduler, times, state } = setup(script);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(SECOND);
    expect(state()).toBe('offline');
    expect(scheduler.getSnapshot().nextRunAt).toBe(T0 + 5 * SECOND);
    await jest.advanceTimersByTimeAsync(1230 * SECOND);
    // 5, 10, 20, 40, 80, 160, 300 (capped), 300; success → the pull; then 5 s again.
    expect(times()).toEqual([0, 5, 15, 35, 75, 155, 315, 615, 915, 1215, 1220]);
  });

  it('spreads the backoff with the injected random (up to ×2)', async () => {
    const { scheduler, times } = setup(
      [failed('serverError'), failed('serverError'), failed('serverError')],
      {},
      0.5,
    );
    scheduler.start();
    await jest.advanceTimersByTimeAsync(60 * SECOND);
    expect(times()).toEqual([0, 7.5, 22.5, 52.5]);
    expect(backoffMs(20, defaultTiming, 0.99)).toBe(300_000);
  });

  it('server failures wait too, and local changes during the backoff do not run sooner', async () => {
    const { scheduler, times, state } = setup([failed('serverError'), failed('serverError')]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(6 * SECOND);
    expect(state()).toBe('waiting');
    scheduler.notifyLocalChange();
    await jest.advanceTimersByTimeAsync(8 * SECOND);
    expect(times()).toEqual([0, 5]);
    await jest.advanceTimersByTimeAsync(SECOND);
    expect(times()).toEqual([0, 5, 15]);
  });

  it('syncNow does not wait for an offline backoff, and notifyOnline ends it', async () => {
    const { scheduler, times } = setup([failed('offline'), failed('offline'), failed('offline')]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(2 * SECOND);
    scheduler.syncNow();
    await jest.advanceTimersByTimeAsync(SECOND);
    scheduler.notifyOnline();
    await jest.advanceTimersByTimeAsync(0);
    expect(times()).toEqual([0, 2, 3]);
  });

  it('throttled waits retryAfterMs, even for syncNow and local changes', async () => {
    const { scheduler, times, state } = setup([failed('throttled', 42 * SECOND)]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(SECOND);
    expect(state()).toBe('throttled');
    scheduler.syncNow();
    scheduler.notifyLocalChange();
    scheduler.notifyOnline();
    await jest.advanceTimersByTimeAsync(40 * SECOND);
    expect(times()).toEqual([0]);
    await jest.advanceTimersByTimeAsync(2 * SECOND);
    expect(times()).toEqual([0, 42]);
    expect(state()).toBe('idle');
  });

  it('busy (another client holds the lease) retries after 10 s without growing the backoff', async () => {
    const { scheduler, times } = setup([busy, busy, failed('offline')]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(30 * SECOND);
    expect(times()).toEqual([0, 10, 20, 25]);
  });

  it('SPEC E4: two sign-in failures in a row sign out; nothing runs until resume()', async () => {
    const { scheduler, times, state } = setup([
      failed('sessionExpired'),
      failed('wrongCredentials'),
    ]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(6 * SECOND);
    expect(times()).toEqual([0, 5]);
    expect(state()).toBe('signedOut');
    expect(scheduler.getSnapshot().nextRunAt).toBeNull();
    scheduler.syncNow();
    scheduler.notifyLocalChange();
    scheduler.setActive(true);
    await jest.advanceTimersByTimeAsync(DAY);
    expect(times()).toEqual([0, 5]);
    scheduler.resume();
    await jest.advanceTimersByTimeAsync(0);
    expect(times()).toEqual([0, 5, 86_406]);
    expect(state()).toBe('idle');
  });

  it('one sign-in failure between successes does not sign out', async () => {
    const { scheduler, times, state } = setup([
      failed('sessionExpired'),
      done,
      failed('sessionExpired'),
    ]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(306 * SECOND);
    expect(times()).toEqual([0, 5, 305]);
    expect(state()).toBe('waiting');
  });

  it('SPEC D3: a brake stops automatic runs until confirmMassDelete(), which confirms once', async () => {
    const { scheduler, log, state } = setup([braked]);
    scheduler.start();
    scheduler.confirmMassDelete(); // during the run, before any brake: ignored
    await jest.advanceTimersByTimeAsync(0);
    expect(state()).toBe('braked');
    scheduler.notifyLocalChange();
    scheduler.setActive(true);
    await jest.advanceTimersByTimeAsync(DAY); // midnight included
    expect(log).toHaveLength(1);
    scheduler.confirmMassDelete();
    scheduler.confirmMassDelete();
    await jest.advanceTimersByTimeAsync(6 * SECOND);
    expect(log).toEqual([
      { at: 0, options: {} },
      { at: 86_400, options: { massDeleteConfirmed: [{ items: 'calendar', ids: ['o1', 'o2'] }] } },
      { at: 86_405, options: {} },
    ]);
  });

  it('SPEC D3 (issue 15): confirming a side-empty brake names its side and items, never a blanket true', async () => {
    const sideEmpty = { kind: 'sideEmpty', side: 'crm', linked: 12, ids: ['o3'] } as const;
    const contacts = {
      kind: 'massDelete',
      destructive: 10,
      linked: 10,
      ids: ['k1'],
      items: 'contacts',
    } as const;
    const both: RunOutcome = {
      state: 'braked',
      brake: sideEmpty,
      asked: [
        { brake: sideEmpty, items: [] },
        { brake: contacts, items: [] },
      ],
    };
    const { scheduler, log } = setup([both]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    scheduler.confirmMassDelete();
    await jest.advanceTimersByTimeAsync(0);
    expect(log[1]?.options).toEqual({
      massDeleteConfirmed: [
        { items: 'calendar', ids: ['o3'], sideEmpty: 'crm' },
        { items: 'contacts', ids: ['k1'] },
      ],
    });
  });

  it('SPEC D3: dismissBrake() resumes the regular schedule without confirming', async () => {
    const { scheduler, log, state } = setup([braked]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(MINUTE);
    scheduler.dismissBrake();
    expect(state()).toBe('idle');
    await jest.advanceTimersByTimeAsync(5 * MINUTE);
    expect(log).toEqual([
      { at: 0, options: {} },
      { at: 360, options: {} },
    ]);
  });

  it('runs at the local midnight the caller computes, then keeps the pull interval', async () => {
    // Midnight 12 minutes after T0 in the person's zone.
    const { scheduler, times } = setup([], {
      msUntilMidnight: (now) => DAY - ((now - T0 + DAY - 12 * MINUTE) % DAY),
    });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(18 * MINUTE);
    expect(times()).toEqual([0, 300, 600, 720, 1020]);
  });

  it('stop() clears every timer; a run under way finishes and nothing follows', async () => {
    const { scheduler, times, state } = setup([{ takesMs: 3 * SECOND, outcome: done }]);
    scheduler.setActive(true);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(SECOND);
    scheduler.syncNow();
    scheduler.stop();
    await jest.advanceTimersByTimeAsync(3 * SECOND);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(DAY);
    expect(times()).toEqual([0]);
    expect(state()).toBe('stopped');
    expect(scheduler.getSnapshot().lastSyncAt).toBe(T0 + 3 * SECOND);
  });

  it('a run that throws counts as a server failure', async () => {
    const { scheduler, times, state } = setup([new Error('bug')]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(SECOND);
    const outcome = scheduler.getSnapshot().lastOutcome;
    expect(outcome?.state === 'failed' && outcome.error.code).toBe('serverError');
    expect(state()).toBe('waiting');
    await jest.advanceTimersByTimeAsync(5 * SECOND);
    expect(times()).toEqual([0, 5]);
  });

  it('SPEC S4: tells subscribers each change; lastSyncAt moves only on success', async () => {
    const { scheduler } = setup([done, failed('offline')]);
    const seen: string[] = [];
    const unsubscribe = scheduler.subscribe(() => seen.push(scheduler.getSnapshot().state));
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(scheduler.getSnapshot().lastSyncAt).toBe(T0);
    await jest.advanceTimersByTimeAsync(300 * SECOND);
    expect(scheduler.getSnapshot().lastSyncAt).toBe(T0);
    expect(scheduler.getSnapshot().lastOutcome?.state).toBe('failed');
    unsubscribe();
    scheduler.syncNow();
    await jest.advanceTimersByTimeAsync(0);
    expect(seen.filter((s, i) => s !== seen[i - 1])).toEqual([
      'idle',
      'syncing',
      'idle',
      'syncing',
      'offline',
    ]);
  });
});
