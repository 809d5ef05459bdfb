/**
 * The pane's controller of sync on the company's service (issue 17, item 6): how the service's
 * state reads as the loop snapshot the views draw, what the person's buttons send, and that the
 * reading is one timer at a time and ends with stop(). A behaving in-memory service stands in for
 * the HTTP client (the client itself is tested over HTTP in test/integration/service-api).
 */
import type {
  AskedBrake,
  BrakeConfirmation,
  ServiceMailboxStatus,
} from '../../../src/service/control';
import { SyncError } from '../../../src/sync/core/errors';
import type { ServiceClient } from '../../../src/taskpane/syncService/serviceClient';
import {
  ServiceSyncController,
  snapshotOf,
  type PollTimer,
} from '../../../src/taskpane/syncService/serviceController';

const BASE: ServiceMailboxStatus = {
  mailboxId: 'anna@contoso.example',
  state: 'idle',
  lastSyncAt: '2026-12-05T10:00:00Z',
  nextRunAt: '2026-12-05T10:05:00Z',
  lastOutcome: { state: 'done', counts: { createInCrm: 1 }, failures: 0 },
  lastTrigger: 'poll',
};

const ASKED: AskedBrake[] = [
  {
    brake: { kind: 'massDelete', destructive: 6, linked: 10, ids: ['o-1'], items: 'contacts' },
    items: [{ id: 'o-1', subject: 'Ada', start: null }],
  },
];

/** An in-memory service: its state, what it was sent, and a switch to be unreachable. */
class FakeService implements ServiceClient {
  readonly url = 'https://sync.example';
  state: ServiceMailboxStatus = BASE;
  down = false;
  syncs = 0;
  readonly answers: (readonly BrakeConfirmation[])[] = [];
  reads = 0;

  private check() {
    if (this.down) throw new SyncError('offline', 'unreachable');
  }
  async status() {
    this.reads += 1;
    this.check();
    return this.state;
  }
  history = async () => [];
  setAside = async () => [];
  trash = async () => [];
  retry = async () => true;
  restore = async () => true;
  async syncNow() {
    this.check();
    this.syncs += 1;
    return true;
  }
  brakeQuestion = async () => (this.state.state === 'braked' ? ASKED : null);
  async answerBrake(confirmation: readonly BrakeConfirmation[]) {
    this.check();
    this.answers.push(confirmation);
    this.state = { ...BASE, lastTrigger: 'brakeConfirmed' };
    return true;
  }
}

/** Timers the test fires by hand: at most one is pending at any time. */
class ManualTimer implements PollTimer {
  readonly pending = new Map<number, () => void>();
  private next = 0;
  setTimeout(callback: () => void) {
    this.next += 1;
    this.pending.set(this.next, callback);
    return this.next;
  }
  clearTimeout(handle: unknown) {
    this.pending.delete(handle as number);
  }
  fire() {
    const first = [...this.pending][0];
    if (!first) throw new Error('no timer is pending');
    this.pending.delete(first[0]);
    first[1]();
  }
}

/** Lets the pending promise callbacks run (one macrotask turn; no wait for time to pass). */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

test('the service state reads as the loop snapshot the views draw', () => {
  expect(snapshotOf(BASE)).toEqual({
    state: 'idle',
    active: true,
    lastSyncAt: Date.parse('2026-12-05T10:00:00Z'),
    nextRunAt: Date.parse('2026-12-05T10:05:00Z'),
    lastOutcome: { state: 'done', counts: { createInCrm: 1 }, failures: 0 },
    progress: null,
  });
  const failing = snapshotOf({
    ...BASE,
    state: 'failing',
    lastOutcome: { state: 'failed', error: { code: 'throttled', kind: 'throttled' } },
  });
  expect(failing.state).toBe('waiting');
  expect(failing.lastOutcome).toMatchObject({ state: 'failed', error: { code: 'throttled' } });
  expect(failing.lastOutcome?.state === 'failed' && failing.lastOutcome.error).toBeInstanceOf(
    SyncError,
  );
  const braked = snapshotOf({
    ...BASE,
    state: 'braked',
    lastOutcome: { state: 'braked', asked: ASKED },
  });
  expect(braked).toMatchObject({
    state: 'braked',
    lastOutcome: { brake: ASKED[0]!.brake, asked: ASKED },
  });
  // Braked with no question to show is nothing to answer: it waits.
  expect(
    snapshotOf({ ...BASE, state: 'braked', lastOutcome: { state: 'braked', asked: [] } }).state,
  ).toBe('waiting');
});

test('reads now and then once per period, one timer at a time, until stopped', async () => {
  const service = new FakeService();
  const timer = new ManualTimer();
  const controller = new ServiceSyncController(service, timer, 5_000);
  const seen: string[] = [];
  controller.subscribe(() => seen.push(controller.getSnapshot().state));
  controller.start();
  controller.start(); // a second start is the same loop
  await flush();
  expect(service.reads).toBe(1);
  expect(timer.pending.size).toBe(1);
  service.down = true;
  timer.fire();
  await flush();
  expect(controller.getSnapshot()).toMatchObject({
    state: 'offline',
    lastSyncAt: Date.parse('2026-12-05T10:00:00Z'),
  });
  expect(timer.pending.size).toBe(1);
  service.down = false;
  timer.fire();
  await flush();
  expect(seen).toEqual(['idle', 'offline', 'idle']);
  controller.stop();
  expect(timer.pending.size).toBe(0);
  expect(controller.getSnapshot().state).toBe('stopped');
});

test('"Go ahead" confirms exactly the question shown, "Not now" nothing; stale buttons send nothing', async () => {
  const service = new FakeService();
  const controller = new ServiceSyncController(service, new ManualTimer());
  controller.start();
  await flush();
  controller.confirmMassDelete(); // not braked: nothing to confirm
  controller.dismissBrake();
  await flush();
  expect(service.answers).toEqual([]);

  service.state = { ...BASE, state: 'braked', lastOutcome: { state: 'braked', asked: ASKED } };
  await controller.refresh();
  controller.confirmMassDelete();
  await flush();
  expect(service.answers).toEqual([[{ items: 'contacts', ids: ['o-1'] }]]);
  expect(controller.getSnapshot().state).toBe('idle');

  service.state = { ...BASE, state: 'braked', lastOutcome: { state: 'braked', asked: ASKED } };
  await controller.refresh();
  controller.dismissBrake();
  await flush();
  expect(service.answers.at(-1)).toEqual([]);
  controller.stop();
});

test('"Sync now" asks the service; unreachable, the snapshot says so', async () => {
  const service = new FakeService();
  const controller = new ServiceSyncController(service, new ManualTimer());
  controller.start();
  await flush();
  controller.syncNow();
  await flush();
  expect(service.syncs).toBe(1);
  service.down = true;
  controller.syncNow();
  await flush();
  expect(service.syncs).toBe(1);
  expect(controller.getSnapshot().state).toBe('offline');
  controller.stop();
});

test('an answer that arrives after stop() is dropped', async () => {
  const service = new FakeService();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  service.status = async () => {
    await gate;
    return BASE;
  };
  const controller = new ServiceSyncController(service, new ManualTimer());
  controller.start();
  controller.stop();
  release();
  await flush();
  expect(controller.getSnapshot().state).toBe('stopped');
});

test('issue 18: a mailbox the workers set aside reads as quarantined until a status says not', async () => {
  const service = new FakeService();
  service.state = {
    ...BASE,
    state: 'failing',
    quarantined: { since: '2026-12-06T00:00:00Z', failures: 5 },
  };
  const controller = new ServiceSyncController(service, new ManualTimer());
  controller.start();
  await flush();
  expect(controller.quarantined()).toEqual({ since: '2026-12-06T00:00:00Z', failures: 5 });
  expect(controller.getSnapshot().state).toBe('waiting');
  service.state = { ...BASE, quarantined: null };
  await controller.refresh();
  expect(controller.quarantined()).toBeNull();
  controller.stop();
});
