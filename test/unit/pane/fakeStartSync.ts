import type { PreviewOutcome } from '../../../src/sync/engine/preview';
import type { SchedulerSnapshot } from '../../../src/sync/scheduler';
import type { PreviewFirstSync } from '../../../src/taskpane/sync/previewFirstSync';
import type {
  DuplicateFinder,
  StartSync,
  StartSyncInput,
  SyncController,
} from '../../../src/taskpane/sync/startSync';

/** A sync loop the test drives by hand: `set` changes what the pane sees. */
export class FakeSyncController implements SyncController {
  private snapshot: SchedulerSnapshot = {
    state: 'idle',
    active: true,
    lastSyncAt: null,
    nextRunAt: null,
    lastOutcome: null,
    progress: null,
  };
  private readonly listeners = new Set<() => void>();
  syncNowCalls = 0;
  /** Every manual request after "Sync now", in order: 'full', 'from:<date>', 'confirm', 'dismiss'. */
  readonly requests: string[] = [];
  stopped = false;
  /** What "Sign in to Microsoft 365" ends with: undefined signs in, an error fails it. */
  signInFailure: Error | undefined;
  /** Resolves each sign-in; tests hold it open to see the pending state. */
  signInGate: Promise<void> = Promise.resolve();

  getSnapshot = (): SchedulerSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  syncNow(): void {
    this.syncNowCalls++;
  }

  fullSyncNow(): void {
    this.requests.push('full');
  }

  syncFrom(date: string): void {
    this.requests.push(`from:${date}`);
  }

  confirmMassDelete(): void {
    this.requests.push('confirm');
  }

  dismissBrake(): void {
    this.requests.push('dismiss');
  }

  async signInToMicrosoft(): Promise<void> {
    this.requests.push('signIn');
    await this.signInGate;
    if (this.signInFailure) throw this.signInFailure;
    this.syncNow(); // like the real one: signed in, then a run
  }

  start(): void {
    this.stopped = false;
    this.set({ state: 'idle' });
  }

  stop(): void {
    this.stopped = true;
    this.set({ state: 'stopped' });
  }

  set(patch: Partial<SchedulerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * A `startSync` factory that records its calls and hands out FakeSyncControllers, with the
 * duplicate finder given (SPEC M3), if any.
 */
export function fakeStartSync(options: { readonly duplicates?: DuplicateFinder } = {}) {
  const calls: StartSyncInput[] = [];
  const controllers: FakeSyncController[] = [];
  const start: StartSync = async (input) => {
    calls.push(input);
    const controller = new FakeSyncController();
    controllers.push(controller);
    return options.duplicates
      ? Object.assign(controller, { duplicates: options.duplicates })
      : controller;
  };
  return { start, calls, controllers };
}

/** A first-sync preview that answers what the test set (by default: nothing to do). */
export function fakePreviewSync(answer?: PreviewOutcome) {
  const calls: StartSyncInput[] = [];
  const empty: PreviewOutcome = {
    state: 'ready',
    preview: {
      counts: {},
      items: { link: [], createInCrm: [], createInOutlook: [] },
      skipped: [],
      invitations: 0,
      brake: null,
    },
  };
  const preview: PreviewFirstSync = async (input) => {
    calls.push(input);
    return answer ?? empty;
  };
  return { preview, calls };
}
