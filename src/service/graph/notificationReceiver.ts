import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * The service's webhook for Graph change notifications and lifecycle notifications
 * (microsoft-graph-docs-contrib concepts/change-notifications-delivery-webhooks.md,
 * concepts/change-notifications-lifecycle-events.md). It only decides and hands over — a mailbox
 * to sync, a lifecycle event to act on — and answers at once: Graph wants a 2xx within 3 seconds.
 * Every payload is hostile until its clientState matches the subscription's secret.
 */
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface ReceivedRequest {
  /** The query string, decoded (`validationToken` arrives here). */
  readonly query: Readonly<Record<string, unknown>>;
  /** The JSON body, parsed; undefined when there was none. */
  readonly body: unknown;
}

export interface ReceiverResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A subscription the service made: for which mailbox, and the clientState it gave Graph. */
export interface KnownSubscription {
  readonly mailboxId: string;
  readonly clientState: string;
}

export interface NotificationReceiverOptions {
  /** The service's own subscriptions by id (SubscriptionManager.lookup). */
  readonly lookup: (subscriptionId: string) => KnownSubscription | null;
  /** Something changed in this mailbox's calendar: run a sync (delta reads what). */
  readonly onChange: (mailboxId: string) => void | Promise<void>;
  readonly onLifecycle: (mailboxId: string, event: LifecycleEvent) => void | Promise<void>;
  /** Counts and kinds only: never a payload, id, token or clientState. */
  readonly log?: (message: string) => void;
}

/** Graph's token is opaque; anything longer than this is not Graph's. */
const MAX_VALIDATION_TOKEN = 4096;
const MAX_NOTIFICATIONS = 1000;

const itemSchema = z.object({
  subscriptionId: z.string().min(1).max(200),
  clientState: z.string().max(1000).nullish(),
  changeType: z.string().max(100).optional(),
  lifecycleEvent: z.string().max(100).optional(),
});
const collectionSchema = z.object({ value: z.array(z.unknown()).max(MAX_NOTIFICATIONS) });

const LIFECYCLE: readonly LifecycleEvent[] = [
  'reauthorizationRequired',
  'subscriptionRemoved',
  'missed',
];

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };
const accepted: ReceiverResponse = { status: 202, headers: {}, body: '' };

export class NotificationReceiver {
  /** Notifications dropped because their clientState (or subscription) was not ours. */
  ignored = 0;

  constructor(private readonly opts: NotificationReceiverOptions) {}

  handle(request: ReceivedRequest): ReceiverResponse {
    const token = request.query['validationToken'];
    if (token !== undefined) {
      // The validation handshake: 200, text/plain, the decoded token, within 10 s. Served as
      // plain text with nosniff so the echo can never be read as HTML or script.
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_VALIDATION_TOKEN) {
        return { status: 400, headers: TEXT, body: 'Bad validation request.' };
      }
      return { status: 200, headers: TEXT, body: token };
    }
    const collection = collectionSchema.safeParse(request.body);
    if (!collection.success) {
      return { status: 400, headers: TEXT, body: 'Expected a changeNotificationCollection.' };
    }
    const changed = new Set<string>();
    const lifecycle: [string, LifecycleEvent][] = [];
    let forged = 0;
    for (const raw of collection.data.value) {
      const item = itemSchema.safeParse(raw);
      const known = item.success ? this.opts.lookup(item.data.subscriptionId) : null;
      // concepts/change-notifications-delivery-webhooks.md: "Validate the clientState property.
      // ... If there's a mismatch, don't consider the change notification as valid."
      if (!item.success || !known || !sameSecret(item.data.clientState ?? '', known.clientState)) {
        forged++;
        continue;
      }
      const event = LIFECYCLE.find((e) => e === item.data.lifecycleEvent);
      if (item.data.lifecycleEvent !== undefined) {
        if (event) lifecycle.push([known.mailboxId, event]);
        else forged++;
      } else changed.add(known.mailboxId);
    }
    if (forged > 0) {
      this.ignored += forged;
      this.opts.log?.(`Ignored ${forged} notification(s) that did not pass the clientState check.`);
    }
    for (const mailboxId of changed) this.hand(() => this.opts.onChange(mailboxId));
    for (const [mailboxId, event] of lifecycle) {
      this.hand(() => this.opts.onLifecycle(mailboxId, event));
    }
    // A forged notification gets the same 202 as a real one: the sender learns nothing. Graph
    // asks for 202 Accepted on lifecycle notifications and accepts any 2xx on changes.
    return accepted;
  }

  /** Runs a callback without holding the answer to Graph; its failure is logged, not thrown. */
  private hand(fn: () => void | Promise<void>): void {
    try {
      void Promise.resolve(fn()).catch(() => this.opts.log?.('A notification handler failed.'));
    } catch {
      this.opts.log?.('A notification handler failed.');
    }
  }
}
