import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { SyncError } from '../../sync/core/errors';
import type { GraphClient } from '../../outlook/graphClient';
import type { KnownSubscription, LifecycleEvent } from './notificationReceiver';
import {
  EVENT_SUBSCRIPTION_MINUTES,
  type SubscriptionManagerOptions,
  type SubscriptionRecord,
  usersEventsResource,
} from './subscriptionOptions';

/**
 * One Graph change-notification subscription per synced mailbox, kept alive
 * (microsoft-graph-docs-contrib concepts/change-notifications-delivery-webhooks.md,
 * concepts/change-notifications-lifecycle-events.md, api-reference/v1.0/api/subscription-*.md):
 * created with a fresh secret clientState, renewed before it expires, made again after
 * `subscriptionRemoved` or a 404, and — whenever notifications may have been lost (a new
 * subscription, a pause for reauthorization, `missed`) — a delta run asked for, because delta is
 * the source of truth after any gap (issue 17 item 3).
 */

interface Managed {
  id: string;
  clientState: string;
  expiresAt: number;
}

const subscriptionSchema = z.object({
  id: z.string().min(1),
  expirationDateTime: z.string().min(1),
  resource: z.string().optional(),
  notificationUrl: z.string().optional(),
});
const listSchema = z.object({ value: z.array(subscriptionSchema) });

export class SubscriptionManager {
  private readonly byMailbox = new Map<string, Managed>();
  private readonly known = new Map<string, KnownSubscription>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: SubscriptionManagerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** For NotificationReceiver: which mailbox a subscription is for, and its clientState. */
  lookup = (subscriptionId: string): KnownSubscription | null =>
    this.known.get(subscriptionId) ?? null;

  /**
   * Issue 18: takes the subscriptions another process made or renewed (what `records` holds now)
   * as this one's too. Merges, never forgets: a record read just before this process saved its
   * own newer one must not drop it (a subscription another process deleted only lingers here
   * until its mailbox's next check; its notifications name a mailbox no longer synced).
   */
  adopt(records: readonly SubscriptionRecord[]): void {
    for (const r of records) {
      const mine = this.byMailbox.get(r.mailboxId);
      if (mine && mine.id !== r.id && mine.expiresAt > r.expiresAt) continue;
      if (mine && mine.id !== r.id) this.known.delete(mine.id);
      this.byMailbox.set(r.mailboxId, {
        id: r.id,
        clientState: r.clientState,
        expiresAt: r.expiresAt,
      });
      this.known.set(r.id, { mailboxId: r.mailboxId, clientState: r.clientState });
    }
  }

  /** The subscription ids in force, by mailbox (for status and tests). */
  subscriptions(): ReadonlyMap<string, { id: string; expiresAt: number }> {
    return new Map([...this.byMailbox].map(([m, s]) => [m, { id: s.id, expiresAt: s.expiresAt }]));
  }

  /**
   * Makes sure the mailbox has a live subscription: creates one (asking for a delta run, since
   * anything before it went unnotified) or renews one that is due.
   */
  ensure(mailboxId: string): Promise<void> {
    return this.serial(mailboxId, async () => {
      const rec = this.byMailbox.get(mailboxId);
      if (!rec) return this.create(mailboxId, true);
      if (rec.expiresAt - this.now() > this.renewBeforeMs()) return;
      await this.renew(mailboxId, rec);
    });
  }

  /** Renews every subscription that is due; one failure does not stop the others. */
  async renewDue(): Promise<void> {
    for (const mailboxId of [...this.byMailbox.keys()]) {
      try {
        await this.ensure(mailboxId);
      } catch (err) {
        this.opts.log?.(`Subscription renewal failed (${errorCode(err)}); tried again later.`);
      }
    }
  }

  /** The lifecycle notifications' answers (concepts/change-notifications-lifecycle-events.md). */
  handleLifecycle(mailboxId: string, event: LifecycleEvent): Promise<void> {
    return this.serial(mailboxId, async () => {
      const rec = this.byMailbox.get(mailboxId);
      if (event === 'missed') {
        // "Perform a full data resync ... for example, using the delta query."
        await this.opts.onResync(mailboxId);
      } else if (event === 'subscriptionRemoved') {
        // "Create a new subscription", then "sync the resource data ... using the delta query".
        if (rec) this.forget(mailboxId, rec);
        await this.create(mailboxId, true);
      } else if (rec) {
        // reauthorizationRequired: renewing reauthorizes too ("renewing your subscription also
        // reauthorizes"); notifications paused meanwhile are lost, so delta reads them.
        await this.renew(mailboxId, rec);
        await this.opts.onResync(mailboxId);
      } else {
        await this.create(mailboxId, true);
      }
    });
  }

  /** Stops watching a mailbox (the pair was removed): deletes its subscription. */
  remove(mailboxId: string): Promise<void> {
    return this.serial(mailboxId, async () => {
      const rec = this.byMailbox.get(mailboxId);
      if (!rec) return;
      this.forget(mailboxId, rec);
      // (Elsewhere a new subscription follows a forgotten one, and its save replaces the record.)
      await this.opts.records?.remove(mailboxId);
      await this.deleteQuietly(mailboxId, rec.id);
    });
  }

  /** Renews due subscriptions every `intervalMs` (bounded work per tick: one call each). */
  start(intervalMs = 5 * 60_000): void {
    this.stop();
    const tick = () => {
      this.timer = setTimeout(() => void this.renewDue().finally(tick), intervalMs);
      this.timer.unref?.();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private renewBeforeMs(): number {
    return (this.opts.renewBeforeMinutes ?? 24 * 60) * 60_000;
  }

  private expiry(): string {
    return new Date(
      this.now() + (this.opts.lifetimeMinutes ?? EVENT_SUBSCRIPTION_MINUTES) * 60_000,
    ).toISOString();
  }

  private resource(mailboxId: string): string {
    return this.opts.resource?.(mailboxId) ?? usersEventsResource(mailboxId);
  }

  private graph(mailboxId: string): GraphClient {
    const graph = this.opts.graphFor?.(mailboxId) ?? this.opts.graph;
    if (!graph) throw new Error('SubscriptionManager needs graph or graphFor');
    return graph;
  }

  private async create(mailboxId: string, resync: boolean): Promise<void> {
    // A subscription of ours left from an earlier run has a clientState this process does not
    // know: delete it rather than receive notifications it must ignore.
    const resource = this.resource(mailboxId).toLowerCase();
    const graph = this.graph(mailboxId);
    const { data: list } = await graph.request({
      method: 'GET',
      path: '/subscriptions',
      schema: listSchema,
    });
    for (const old of list.value) {
      if (
        old.resource?.toLowerCase() === resource &&
        old.notificationUrl === this.opts.notificationUrl
      ) {
        await this.deleteQuietly(mailboxId, old.id);
      }
    }
    const clientState = this.opts.newClientState?.() ?? randomBytes(32).toString('base64url');
    const { data } = await graph.request({
      method: 'POST',
      path: '/subscriptions',
      body: {
        changeType: 'created,updated,deleted',
        notificationUrl: this.opts.notificationUrl,
        lifecycleNotificationUrl: this.opts.lifecycleNotificationUrl ?? this.opts.notificationUrl,
        resource: this.resource(mailboxId),
        expirationDateTime: this.expiry(),
        clientState,
      },
      schema: subscriptionSchema,
    });
    const rec: Managed = {
      id: data.id,
      clientState,
      expiresAt: Date.parse(data.expirationDateTime),
    };
    this.byMailbox.set(mailboxId, rec);
    this.known.set(rec.id, { mailboxId, clientState });
    await this.opts.records?.save({ mailboxId, ...rec });
    this.opts.log?.('Subscription created.');
    if (resync) await this.opts.onResync(mailboxId);
  }

  private async renew(mailboxId: string, rec: Managed): Promise<void> {
    try {
      const { data } = await this.graph(mailboxId).request({
        method: 'PATCH',
        path: `/subscriptions/${encodeURIComponent(rec.id)}`,
        body: { expirationDateTime: this.expiry() },
        schema: subscriptionSchema,
      });
      rec.expiresAt = Date.parse(data.expirationDateTime);
      await this.opts.records?.save({ mailboxId, ...rec });
    } catch (err) {
      if (!(err instanceof SyncError) || err.kind !== 'notFound') throw err;
      // Expired or removed meanwhile: make a new one, and let delta read the gap.
      this.forget(mailboxId, rec);
      await this.create(mailboxId, true);
    }
  }

  private forget(mailboxId: string, rec: Managed): void {
    this.byMailbox.delete(mailboxId);
    this.known.delete(rec.id);
  }

  private async deleteQuietly(mailboxId: string, id: string): Promise<void> {
    try {
      await this.graph(mailboxId).request({
        method: 'DELETE',
        path: `/subscriptions/${encodeURIComponent(id)}`,
        schema: null,
      });
    } catch (err) {
      if (!(err instanceof SyncError) || err.kind !== 'notFound') throw err;
    }
  }

  /** One operation per mailbox at a time (a lifecycle event and a renewal never race). */
  private serial(mailboxId: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.queues.get(mailboxId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    const tail = next.catch(() => undefined);
    this.queues.set(mailboxId, tail);
    void tail.then(() => {
      if (this.queues.get(mailboxId) === tail) this.queues.delete(mailboxId);
    });
    return next;
  }
}

const errorCode = (err: unknown): string => (err instanceof SyncError ? err.code : 'unknown');
