/**
 * The service's side of each mailbox's Graph change-notification subscription (issue 17): made
 * when the runtime adds a mailbox, deleted when it drops one, checked on a timer (renewed before it
 * expires, made again when missing), and told of every lifecycle notification. The Graph work is
 * src/service/graph's SubscriptionManager; this keeps it in step with the runtime's mailboxes and
 * turns every failure into a log line (mailbox and error code only) and a try at the next check.
 */
import { SyncError } from '../sync/core/errors';
import type { LifecycleEvent } from './graph/notificationReceiver';

/** What the runtime needs of the subscriptions (SubscriptionManager implements it). */
export interface MailboxSubscriptions {
  /** Creates the mailbox's subscription, or renews it when it is due. */
  ensure(mailboxId: string): Promise<void>;
  remove(mailboxId: string): Promise<void>;
  handleLifecycle(mailboxId: string, event: LifecycleEvent): Promise<void>;
}

export class SubscriptionKeeper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;

  constructor(
    private readonly subscriptions: MailboxSubscriptions,
    private readonly log: (event: Readonly<Record<string, unknown>>) => void,
    private readonly everyMs: number,
  ) {}

  /** A mailbox added: its subscription made now (a resync follows, for what came before it). */
  added(mailboxId: string): void {
    void this.subscriptions.ensure(mailboxId).then(
      () => this.log({ event: 'subscribed', mailbox: mailboxId }),
      (error: unknown) => this.failed(mailboxId, error),
    );
  }

  /** A mailbox no longer synced: no more notifications for it. */
  removed(mailboxId: string): void {
    void this.subscriptions
      .remove(mailboxId)
      .catch((error: unknown) => this.failed(mailboxId, error));
  }

  /** The subscriptions' answer to a lifecycle notification (they ask for the resync). */
  lifecycle(mailboxId: string, event: LifecycleEvent): Promise<void> {
    return this.subscriptions
      .handleLifecycle(mailboxId, event)
      .catch((error: unknown) => this.failed(mailboxId, error));
  }

  /** Checks every mailbox `mailboxes()` lists every `everyMs`, one at a time. */
  start(mailboxes: () => readonly string[]): void {
    this.running = true;
    this.timer = setTimeout(() => {
      void this.check(mailboxes()).finally(() => {
        if (this.running) this.start(mailboxes);
      });
    }, this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Makes or renews what is due for each mailbox; a failure is logged and tried next time. */
  async check(mailboxes: readonly string[]): Promise<void> {
    for (const id of mailboxes) {
      await this.subscriptions.ensure(id).catch((error: unknown) => this.failed(id, error));
    }
  }

  private failed(mailbox: string, error: unknown): void {
    this.log({
      event: 'subscriptionError',
      mailbox,
      code: error instanceof SyncError ? error.code : 'unknown',
    });
  }
}
