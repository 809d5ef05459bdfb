/**
 * The always-on sync service's composition root (issue 17, item 1): for every mailbox the CRM
 * lists for it (paired users of a company with sync on and a sync service set), a MailboxRunner
 * over the mailbox's own store (SQLite or PostgreSQL) and Graph client, and the engine the pane runs. Triggers:
 * a Graph change notification (onChange, from src/service/graph's NotificationReceiver), the CRM's
 * change signal (a long-poll of GET /sync-service/changes, crmSignal.ts), and the safety poll of
 * each runner (5 minutes). It implements ServiceControl (control.ts) for the service's API.
 */
import { randomUUID } from 'node:crypto';
import { CrmSession, type CrmTransport } from '../crm';
import { confirmationOf, type BrakeConfirmation } from '../sync/core/plan/brake';
import type { Instant } from '../sync/core/model';
import { InProcessRunLock } from '../sync/engine/lock';
import type { AskedBrake } from '../sync/engine/run';
import type { Timing } from '../sync/scheduler';
import type { ServiceStore } from '../sync/store/statusStore';
import {
  type RunView,
  type ServiceControl,
  type ServiceMailboxStatus,
  type SetAsideView,
  type TrashView,
  UnknownMailboxError,
} from './control';
import { CrmSignal, type PairedMailbox } from './crmSignal';
import type { LifecycleEvent } from './graph/notificationReceiver';
import { SubscriptionKeeper, type MailboxSubscriptions } from './subscriptionKeeper';
import type { GraphAccess } from './graphAccess';
import { MailboxRunner } from './mailboxRunner';
import {
  requestRestore,
  retryItem,
  runViews,
  sameConfirmation,
  setAsideViews,
  trashViews,
} from './statusViews';

export interface SyncServiceOptions {
  readonly crmUrl: string;
  /** The CRM's `service` key (opened from the sealed secrets; never logged). */
  readonly crmServiceKey: string;
  readonly graph: GraphAccess;
  /** Each mailbox's store: its SQLite file, or its rows in PostgreSQL (tests: in memory). */
  readonly storeFor: (mailbox: string) => ServiceStore;
  /** The safety poll and the loop's timing (SPEC S2: 5 minutes). */
  readonly timing?: Partial<Timing>;
  readonly signalWaitSeconds?: number;
  readonly log?: (event: Readonly<Record<string, unknown>>) => void;
  readonly fetch?: typeof fetch;
  readonly crmTransport?: CrmTransport;
  /** The lease holder id (SPEC: one client writes at a time); one per process by default. */
  readonly holderId?: string;
  readonly clock?: () => Instant;
}

interface Mailbox {
  readonly runner: MailboxRunner;
  readonly store: ServiceStore;
}

const isoNow = (): Instant => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class SyncService implements ServiceControl {
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly lock = new InProcessRunLock();
  private readonly signal: CrmSignal;
  private readonly holderId: string;
  private readonly log: (event: Readonly<Record<string, unknown>>) => void;
  private reconciling: Promise<void> | null = null;
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private running = false;
  private subscriptions: SubscriptionKeeper | null = null;

  constructor(private readonly options: SyncServiceOptions) {
    this.holderId = options.holderId ?? `service-${randomUUID()}`;
    this.log = options.log ?? (() => undefined);
    this.signal = new CrmSignal({
      crmUrl: options.crmUrl,
      serviceKey: options.crmServiceKey,
      waitSeconds: options.signalWaitSeconds ?? 30,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onChanged: (mailboxes) => this.crmChanged(mailboxes),
      onError: (code) => this.log({ event: 'crmSignalError', code }),
    });
  }

  /**
   * The mailboxes' Graph subscriptions (without: the CRM signal and the safety poll only), checked
   * every `checkEveryMs`. Made after the service: their URL is the listener's that serves it.
   */
  attachSubscriptions(subscriptions: MailboxSubscriptions, checkEveryMs = 5 * 60_000): void {
    if (this.running) throw new Error('attachSubscriptions: the service has started already');
    this.subscriptions = new SubscriptionKeeper(subscriptions, this.log, checkEveryMs);
  }

  /** Reads the mailboxes, starts a runner for each (a first run at once) and the CRM signal. */
  async start(): Promise<void> {
    this.running = true;
    await this.reconcile();
    this.signal.start();
    // New pairings and switched-off companies are picked up at each safety poll too.
    const every = this.options.timing?.pullIntervalMs ?? 300_000;
    this.refreshTimer = setInterval(() => void this.reconcile().catch(() => undefined), every);
    this.refreshTimer.unref();
    this.subscriptions?.start(() => this.mailboxIds());
  }

  /** Makes or renews every mailbox's subscription that is due (what the timer runs; tests too). */
  checkSubscriptions(): Promise<void> {
    return this.subscriptions?.check(this.mailboxIds()) ?? Promise.resolve();
  }

  /** Stops every loop and closes the stores; a run under way ends at its next await. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
    this.subscriptions?.stop();
    await this.signal.stop();
    for (const [, mailbox] of this.mailboxes) mailbox.runner.stop();
    for (const [, mailbox] of this.mailboxes) mailbox.store.close();
    this.mailboxes.clear();
  }

  /** The mailboxes the service syncs now. */
  mailboxIds(): string[] {
    return [...this.mailboxes.keys()].sort();
  }

  /** A runner by mailbox (tests wait on its `runs`). */
  runner(mailboxId: string): MailboxRunner {
    return this.get(mailboxId).runner;
  }

  // ─── Triggers ─────────────────────────────────────────────────────────────────────────────

  /** A Graph change notification for the mailbox's calendar (NotificationReceiver.onChange). */
  onChange(mailboxId: string): void {
    this.mailboxes.get(mailboxId.toLowerCase())?.runner.changed('notification');
  }

  /**
   * A lifecycle notification (NotificationReceiver.onLifecycle): the subscriptions answer it
   * (renew/reauthorize, subscribe again) and ask for a run through `resync`; without them, after
   * `missed` or a removed subscription notifications may have been lost — a run at once, whose
   * delta is the truth.
   */
  async onLifecycle(mailboxId: string, event: LifecycleEvent): Promise<void> {
    const id = mailboxId.toLowerCase();
    const mailbox = this.mailboxes.get(id);
    if (!mailbox) return;
    this.log({ event: 'lifecycle', mailbox: id, lifecycle: event });
    if (this.subscriptions) await this.subscriptions.lifecycle(id, event);
    else if (event === 'missed' || event === 'subscriptionRemoved') {
      mailbox.runner.syncNow('resync');
    }
  }

  /** Notifications may have been lost (a new subscription, `missed`): a run, delta reads the gap. */
  resync(mailboxId: string): void {
    this.mailboxes.get(mailboxId.toLowerCase())?.runner.syncNow('resync');
  }

  private crmChanged(mailboxes: readonly string[]): void {
    let unknown = false;
    for (const id of mailboxes) {
      const mailbox = this.mailboxes.get(id.toLowerCase());
      if (mailbox) mailbox.runner.changed('crmChange');
      else unknown = true;
    }
    // A mailbox the service does not know yet: a new pairing.
    if (unknown) void this.reconcile().catch(() => undefined);
  }

  /** Starts runners for mailboxes newly listed and stops those no longer listed. */
  reconcile(): Promise<void> {
    this.reconciling ??= this.doReconcile().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private async doReconcile(): Promise<void> {
    const listed = await this.signal.mailboxes();
    if (!this.running) return;
    const wanted = new Map(listed.map((m) => [m.mailbox.toLowerCase(), m] as const));
    for (const [id, mailbox] of this.mailboxes) {
      if (wanted.has(id)) continue;
      mailbox.runner.stop();
      mailbox.store.close();
      this.mailboxes.delete(id);
      this.log({ event: 'mailboxStopped', mailbox: id });
      // No more notifications for a mailbox no longer synced: its subscription is deleted.
      this.subscriptions?.removed(id);
    }
    for (const [id, paired] of wanted) {
      if (this.mailboxes.has(id)) continue;
      this.add(id, paired);
    }
  }

  private add(id: string, paired: PairedMailbox): void {
    const store = this.options.storeFor(id);
    const runner = new MailboxRunner({
      mailbox: id,
      timeZone: paired.timeZone,
      store,
      graph: this.options.graph.clientFor(id),
      openCrm: () =>
        CrmSession.forService(
          {
            address: this.options.crmUrl,
            apiKey: this.options.crmServiceKey,
            ...(this.options.crmTransport ? { transport: this.options.crmTransport } : {}),
          },
          id,
        ),
      holderId: this.holderId,
      lock: this.lock,
      ...(this.options.timing ? { timing: this.options.timing } : {}),
      log: this.log,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    });
    this.mailboxes.set(id, { runner, store });
    this.log({ event: 'mailboxStarted', mailbox: id });
    runner.start();
    // Its subscription: made now (a resync follows it, for what changed before it existed).
    this.subscriptions?.added(id);
  }

  private get(mailboxId: string): Mailbox {
    const mailbox = this.mailboxes.get(mailboxId.trim().toLowerCase());
    if (!mailbox) throw new UnknownMailboxError(mailboxId);
    return mailbox;
  }

  // ─── ServiceControl ───────────────────────────────────────────────────────────────────────

  async status(mailboxId: string): Promise<ServiceMailboxStatus> {
    return this.get(mailboxId).runner.status();
  }

  async history(mailboxId: string, limit: number): Promise<readonly RunView[]> {
    const bounded = Math.max(1, Math.min(100, Math.floor(limit)));
    return runViews(this.get(mailboxId).store, bounded);
  }

  async setAside(mailboxId: string): Promise<readonly SetAsideView[]> {
    return setAsideViews(this.get(mailboxId).store);
  }

  async retry(mailboxId: string, itemKey: string): Promise<void> {
    const mailbox = this.get(mailboxId);
    await retryItem(mailbox.store, itemKey);
    mailbox.runner.syncNow();
  }

  async trash(mailboxId: string): Promise<readonly TrashView[]> {
    return trashViews(this.get(mailboxId).store);
  }

  async restore(mailboxId: string, trashId: number): Promise<boolean> {
    const mailbox = this.get(mailboxId);
    const asked = await requestRestore(mailbox.store, trashId, (this.options.clock ?? isoNow)());
    if (asked) mailbox.runner.syncNow();
    return asked;
  }

  async syncNow(mailboxId: string): Promise<void> {
    this.get(mailboxId).runner.syncNow();
  }

  async brakeQuestion(mailboxId: string): Promise<readonly AskedBrake[] | null> {
    const { runner } = this.get(mailboxId);
    const snap = runner.scheduler.getSnapshot();
    return snap.state === 'braked' && snap.lastOutcome?.state === 'braked'
      ? snap.lastOutcome.asked
      : null;
  }

  async confirmBrake(
    mailboxId: string,
    confirmation: readonly BrakeConfirmation[],
  ): Promise<boolean> {
    const { runner } = this.get(mailboxId);
    const asked = await this.brakeQuestion(mailboxId);
    if (asked === null) return false;
    if (confirmation.length === 0) {
      runner.dismissBrake();
      return true;
    }
    // Issue 15, item 2: a confirmation is bound to what was shown; a stale one confirms nothing.
    const shown = confirmationOf(asked.map((a) => a.brake));
    if (!sameConfirmation(shown, confirmation)) return false;
    runner.confirmBrake();
    return true;
  }
}
