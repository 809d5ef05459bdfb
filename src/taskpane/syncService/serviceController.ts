/**
 * The pane's "sync loop" when the company runs sync on its always-on service (issue 17, item 6):
 * a SyncController that starts no engine — it reads the service's state for this mailbox through
 * its API every few seconds and passes the person's requests on ("Sync now", the brake's answer).
 * The Status view and the connected summary draw it with the views they draw the pane's own loop
 * with (SyncStatus, BrakeQuestion, SyncProgress): the same snapshot shape.
 */
import { confirmationOf } from '../../sync/core/plan/brake';
import { SyncError } from '../../sync/core/errors';
import type { RunOutcome } from '../../sync/engine/run';
import type {
  ServiceRunOutcomeWire as ServiceRunOutcome,
  ServiceStatus as ServiceMailboxStatus,
} from '../../shared/serviceApi';
import type { SchedulerSnapshot, SyncController } from '../sync/syncController';
import type { ServiceClient } from './serviceClient';

/** SPEC S1's "about 5 seconds": how often an open pane reads the service's state. */
export const SERVICE_POLL_MS = 5_000;

export interface PollTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimer: PollTimer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const epoch = (instant: string | null) => {
  if (instant === null) return null;
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? null : ms;
};

function outcomeOf(outcome: ServiceRunOutcome | null): RunOutcome | null {
  if (outcome === null) return null;
  switch (outcome.state) {
    case 'done':
      return { state: 'done', counts: outcome.counts, failures: outcome.failures };
    case 'busy':
      return { state: 'busy' };
    case 'failed':
      return {
        state: 'failed',
        error: new SyncError(outcome.error.code, 'The sync service’s last run failed'),
      };
    case 'braked': {
      const first = outcome.asked[0];
      // A braked outcome without a question is no question the person can answer.
      if (!first) return null;
      return { state: 'braked', brake: first.brake, asked: outcome.asked };
    }
  }
}

/** The service's state as the pane's loop snapshot (scheduler/types.ts). */
export function snapshotOf(status: ServiceMailboxStatus): SchedulerSnapshot {
  const lastOutcome = outcomeOf(status.lastOutcome);
  const state =
    status.state === 'failing'
      ? 'waiting'
      : status.state === 'braked' && lastOutcome?.state !== 'braked'
        ? 'waiting'
        : status.state;
  return {
    state,
    active: true,
    lastSyncAt: epoch(status.lastSyncAt),
    nextRunAt: epoch(status.nextRunAt),
    lastOutcome,
    progress: null,
  };
}

/** The service could not be asked: offline, or why not, keeping when it last synced. */
function unreachable(previous: SchedulerSnapshot, error: unknown): SchedulerSnapshot {
  const failure =
    error instanceof SyncError
      ? error
      : new SyncError('serverError', 'The sync service could not be read', { cause: error });
  return {
    ...previous,
    state: failure.kind === 'offline' ? 'offline' : 'waiting',
    lastOutcome: { state: 'failed', error: failure },
    progress: null,
  };
}

const INITIAL: SchedulerSnapshot = {
  state: 'stopped',
  active: true,
  lastSyncAt: null,
  nextRunAt: null,
  lastOutcome: null,
  progress: null,
};

export class ServiceSyncController implements SyncController {
  readonly runsOn = 'service' as const;
  private snapshot: SchedulerSnapshot = INITIAL;
  private readonly listeners = new Set<() => void>();
  private timer: unknown = null;
  private running = false;
  /** Bumped by every read: an answer overtaken by a newer read is dropped. */
  private reads = 0;
  private quarantine: { readonly since: string; readonly failures: number } | null = null;

  constructor(
    private readonly client: ServiceClient,
    private readonly timer_: PollTimer = realTimer,
    private readonly pollMs = SERVICE_POLL_MS,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SchedulerSnapshot => this.snapshot;

  /** Issue 18: the workers set the mailbox aside (its last status said so); null when not. */
  readonly quarantined = (): { readonly since: string; readonly failures: number } | null =>
    this.quarantine;

  /** Starts reading the service's state (now, then every `pollMs`). */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.poll();
  }

  /** Stops reading (sign-out, unpairing); the service syncs on regardless. */
  stop(): void {
    this.running = false;
    if (this.timer !== null) this.timer_.clearTimeout(this.timer);
    this.timer = null;
    this.reads += 1;
    this.set(INITIAL);
  }

  /** Reads the service's state once; never throws (a failure is the snapshot's). */
  async refresh(): Promise<void> {
    const read = ++this.reads;
    try {
      const status = await this.client.status();
      if (read === this.reads && this.running) {
        this.quarantine = status.quarantined ?? null;
        this.set(snapshotOf(status));
      }
    } catch (error) {
      if (read === this.reads && this.running) this.set(unreachable(this.snapshot, error));
    }
  }

  /** SPEC S3: asks the service for a run now. */
  syncNow(): void {
    void this.request(() => this.client.syncNow());
  }

  /**
   * The service has no full re-read over its API (after any gap it reads delta from where it
   * was, issue 17 item 3): the button is not shown (StatusSection); a call asks for a run.
   */
  fullSyncNow(): void {
    this.syncNow();
  }

  /** Not offered with the service (StatusSection hides "Sync again from…"): a run now. */
  syncFrom(): void {
    this.syncNow();
  }

  /** SPEC D3: confirms exactly the question shown — each brake's kind, items and side. */
  confirmMassDelete(): void {
    const shown = this.snapshot.lastOutcome;
    if (this.snapshot.state !== 'braked' || shown?.state !== 'braked') return;
    const confirmation = confirmationOf(shown.asked.map((asked) => asked.brake));
    void this.request(() => this.client.answerBrake(confirmation));
  }

  /** SPEC D3 "Not now": regular runs resume; nothing is allowed. */
  dismissBrake(): void {
    if (this.snapshot.state !== 'braked') return;
    void this.request(() => this.client.answerBrake([]));
  }

  /** The service signs in to Microsoft 365 itself (application permissions): a run is all. */
  async signInToMicrosoft(): Promise<void> {
    await this.client.syncNow();
    await this.refresh();
  }

  private async request(send: () => Promise<boolean>): Promise<void> {
    try {
      await send();
    } catch (error) {
      this.set(unreachable(this.snapshot, error));
      return;
    }
    await this.refresh();
  }

  private async poll(): Promise<void> {
    if (!this.running) return;
    await this.refresh();
    if (!this.running) return;
    this.timer = this.timer_.setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, this.pollMs);
  }

  private set(snapshot: SchedulerSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener();
  }
}
