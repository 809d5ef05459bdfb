/**
 * The pane's one sync loop, owned by the pane's composition root rather than by React (issue 13
 * item 4): components watch it with `useSyncExternalStore(loop.subscribe, loop.getSnapshot)`, so
 * a re-render, or the connection's provider unmounted and mounted again, finds the loop that
 * runs instead of starting a second one. Sign-out, unpairing and forced removal stop it; the page
 * ending ends it.
 */
import type { Connection } from '../connection/connectionService';
import type { StartSync, StartSyncInput, SyncController } from './syncController';

export type SyncLoopSnapshot =
  | { readonly state: 'stopped' }
  | {
      readonly state: 'starting' | 'running';
      readonly connection: Connection;
      readonly calendarId: string;
      /** The running controller; null while it starts. */
      readonly controller: SyncController | null;
    };

const STOPPED: SyncLoopSnapshot = { state: 'stopped' };

export class SyncLoop {
  private snapshot: SyncLoopSnapshot = STOPPED;
  private readonly listeners = new Set<() => void>();
  /** Bumped by every start and stop: a start that was overtaken stops what it made. */
  private generation = 0;
  private pending: Promise<SyncController> | null = null;
  /** The last loop stopped, for `resume` (an unpairing the CRM refused). */
  private stopped: {
    readonly connection: Connection;
    readonly calendarId: string;
    readonly controller: SyncController;
  } | null = null;
  /** How many controllers this loop has started (for tests and diagnostics). */
  started = 0;

  constructor(private readonly startSync: StartSync) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SyncLoopSnapshot => this.snapshot;

  /**
   * The loop for this connection and calendar: the one already running (or starting) for them,
   * else a new one, after the previous one stopped. There is never more than one.
   */
  start(input: StartSyncInput): Promise<SyncController> {
    const now = this.snapshot;
    if (
      now.state !== 'stopped' &&
      now.connection === input.connection &&
      now.calendarId === input.calendarId
    ) {
      if (now.controller) return Promise.resolve(now.controller);
      if (this.pending) return this.pending;
    }
    this.stop();
    const generation = ++this.generation;
    const { connection, calendarId } = input;
    const pending = this.startSync(input).then(
      (controller) => {
        if (generation !== this.generation) {
          // Stopped (or replaced) while it started: it must not run beside the other.
          controller.stop();
          throw new Error('The sync loop was stopped while it started');
        }
        this.started += 1;
        this.pending = null;
        this.set({ state: 'running', connection, calendarId, controller });
        return controller;
      },
      (error: unknown) => {
        if (generation === this.generation) {
          this.pending = null;
          this.set(STOPPED);
        }
        throw error;
      },
    );
    this.pending = pending;
    this.set({ state: 'starting', connection, calendarId, controller: null });
    return pending;
  }

  /** Stops the loop (sign-out, unpairing, forced removal); a start under way is dropped. */
  stop(): void {
    this.generation += 1;
    this.pending = null;
    const now = this.snapshot;
    if (now.state === 'running' && now.controller) {
      now.controller.stop();
      this.stopped = { ...now, controller: now.controller };
    }
    if (now.state !== 'stopped') this.set(STOPPED);
  }

  /** Runs the last stopped loop again (the CRM refused the unpairing); null when there is none. */
  resume(): SyncController | null {
    const last = this.stopped;
    if (this.snapshot.state !== 'stopped' || !last) return null;
    this.stopped = null;
    last.controller.start();
    this.set({ state: 'running', ...last });
    return last.controller;
  }

  private set(snapshot: SyncLoopSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener();
  }
}
