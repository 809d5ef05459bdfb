import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GraphStore } from './store';
import type { Mailbox, StoredEvent, StoredSubscription } from './types';

/**
 * Change notifications for `/users/{id}/events` subscriptions, delivered by webhook as
 * microsoft-graph-docs-contrib documents them:
 * - concepts/change-notifications-delivery-webhooks.md: a changeNotificationCollection POSTed to
 *   notificationUrl, several notifications (and subscriptions) per POST; a 2xx within 3 seconds
 *   or Graph tries again (up to 4 hours there; a few bounded attempts here).
 * - concepts/includes/change-notifications-delivery-notificationurl-validation.md: the validation
 *   POST `?validationToken=…` (text/plain) answered within 10 s by 200, text/plain, the token.
 * - concepts/change-notifications-lifecycle-events.md: reauthorizationRequired,
 *   subscriptionRemoved and missed to lifecycleNotificationUrl, `{subscriptionId,
 *   subscriptionExpirationDateTime, tenantId, clientState, lifecycleEvent}`. Notifications that
 *   could not be delivered end in `missed` ("some change notifications weren't delivered").
 * - api-reference/v1.0/resources/changenotification.md: id, subscriptionId,
 *   subscriptionExpirationDateTime, changeType, clientState, resource, tenantId, resourceData
 *   (`@odata.type`, `@odata.id`, `@odata.etag`, id) — basic notifications, no resource content.
 */
export type ChangeType = 'created' | 'updated' | 'deleted';
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface NotifierOptions {
  /** The validation answer's deadline (Graph: 10 s). */
  validationTimeoutMs: number;
  /** One delivery's deadline (Graph: 3 s). */
  deliveryTimeoutMs: number;
  /** Changes within this window go out in one POST per notification URL. */
  batchDelayMs: number;
  /** Delivery attempts before the notifications count as missed. */
  maxDeliveryAttempts: number;
  /** The first retry's delay; it doubles each attempt. */
  retryBaseMs: number;
}

export const DEFAULT_NOTIFIER: NotifierOptions = {
  validationTimeoutMs: 10_000,
  deliveryTimeoutMs: 3_000,
  batchDelayMs: 25,
  maxDeliveryAttempts: 4,
  retryBaseMs: 250,
};

interface Pending {
  sub: StoredSubscription;
  mailbox: Mailbox;
  eventId: string;
  created: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '0000Z');

export class Notifier {
  private readonly fresh = new WeakSet<StoredEvent>();
  private readonly pending = new Map<string, Map<string, Pending>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private closed = false;
  /** Deliveries the emulator gave up on (for tests and GET /sandbox/subscriptions). */
  missedCount = 0;

  constructor(
    private readonly store: GraphStore,
    private readonly now: () => number,
    private readonly opts: NotifierOptions,
  ) {
    store.onTouch = (ev, isNew) => this.touched(ev, isNew);
  }

  /** Subscriptions still in force; an expired one is removed (Graph deletes it, no notice). */
  active(): StoredSubscription[] {
    const subs = (this.store.state.subscriptions ??= {});
    const now = this.now();
    for (const [id, s] of Object.entries(subs)) {
      if (s.expiresAt <= now) {
        delete subs[id];
        this.store.changed();
      }
    }
    return Object.values(subs);
  }

  private touched(ev: StoredEvent, isNew: boolean): void {
    if (isNew) this.fresh.add(ev);
    const mailbox = Object.values(this.store.state.mailboxes).find((m) => m.events[ev.id] === ev);
    if (!mailbox) return; // touched before it was filed (an attendee copy): the next touch counts
    const created = this.fresh.has(ev);
    this.fresh.delete(ev);
    for (const sub of this.active()) {
      if (sub.mailbox !== mailbox.address || sub.paused) continue;
      const queue = this.pending.get(sub.notificationUrl) ?? new Map<string, Pending>();
      const key = `${sub.id}\n${ev.id}`;
      const before = queue.get(key);
      queue.set(key, {
        sub,
        mailbox,
        eventId: ev.id,
        created: created || (before?.created ?? false),
      });
      if (!this.pending.has(sub.notificationUrl)) {
        this.pending.set(sub.notificationUrl, queue);
        this.later(this.opts.batchDelayMs, () => void this.flush(sub.notificationUrl));
      }
    }
  }

  /** The change type as it stands when the batch goes out: gone or in Deleted Items = deleted. */
  private changeType(p: Pending): ChangeType {
    const ev = p.mailbox.events[p.eventId];
    if (!ev || ev.deleted) return 'deleted';
    return p.created ? 'created' : 'updated';
  }

  private notification(p: Pending, changeType: ChangeType): Record<string, unknown> {
    const ev = p.mailbox.events[p.eventId];
    const path = `Users/${p.mailbox.userId}/Events/${p.eventId}`;
    return {
      id: randomUUID(),
      subscriptionId: p.sub.id,
      subscriptionExpirationDateTime: iso(p.sub.expiresAt),
      changeType,
      clientState: p.sub.clientState,
      resource: path,
      tenantId: p.sub.tenantId,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Event',
        '@odata.id': path,
        ...(ev ? { '@odata.etag': `W/"${ev.changeKey}"` } : {}),
        id: p.eventId,
      },
    };
  }

  private async flush(url: string): Promise<void> {
    const queue = this.pending.get(url);
    this.pending.delete(url);
    if (!queue || this.closed) return;
    const subs = this.store.state.subscriptions ?? {};
    const items: Pending[] = [];
    const value: Record<string, unknown>[] = [];
    for (const p of queue.values()) {
      const sub = subs[p.sub.id];
      if (!sub || sub.expiresAt <= this.now() || sub.paused) continue;
      const type = this.changeType(p);
      if (!sub.changeTypes.includes(type)) continue;
      items.push(p);
      value.push(this.notification({ ...p, sub }, type));
    }
    if (value.length === 0) return;
    for (let attempt = 1; attempt <= this.opts.maxDeliveryAttempts && !this.closed; attempt++) {
      if (await this.post(url, { value }, this.opts.deliveryTimeoutMs)) return;
      if (attempt < this.opts.maxDeliveryAttempts) {
        await new Promise<void>((r) => this.later(this.opts.retryBaseMs * 2 ** (attempt - 1), r));
      }
    }
    if (this.closed) return;
    this.missedCount += value.length;
    const missed = new Map(items.map((p) => [p.sub.id, p.sub]));
    for (const sub of missed.values()) await this.lifecycle(sub, 'missed');
  }

  /** Sends one lifecycle notification (if the subscription has a lifecycle URL). */
  async lifecycle(sub: StoredSubscription, event: LifecycleEvent): Promise<boolean> {
    if (!sub.lifecycleNotificationUrl) return false;
    const body = {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: iso(sub.expiresAt),
          tenantId: sub.tenantId,
          clientState: sub.clientState,
          lifecycleEvent: event,
        },
      ],
    };
    return this.post(sub.lifecycleNotificationUrl, body, this.opts.deliveryTimeoutMs);
  }

  /** Drops what is waiting for a subscription: those notifications are missed. */
  dropPending(subscriptionId: string): number {
    let dropped = 0;
    for (const queue of this.pending.values()) {
      for (const [key, p] of queue) {
        if (p.sub.id === subscriptionId) {
          queue.delete(key);
          dropped++;
        }
      }
    }
    return dropped;
  }

  /**
   * The notificationUrl validation: POST `?validationToken=…` (URL-encoded), text/plain; the
   * endpoint answers 200, text/plain, the decoded token, within the deadline.
   */
  async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = new URL(url);
    target.searchParams.append('validationToken', token);
    const res = await this.send(
      target,
      'text/plain; charset=utf-8',
      '',
      this.opts.validationTimeoutMs,
    );
    if (!res) return false;
    const type = res.type.toLowerCase();
    return res.status === 200 && type.startsWith('text/plain') && res.text === token;
  }

  private async post(url: string, body: unknown, timeoutMs: number): Promise<boolean> {
    const res = await this.send(new URL(url), 'application/json', JSON.stringify(body), timeoutMs);
    return res !== null && res.status >= 200 && res.status < 300;
  }

  /**
   * One POST on a fresh connection (no keep-alive pool outliving the emulator), answer read up
   * to 64 KiB, within the deadline; null when it failed or timed out. Redirects are not followed.
   */
  private send(
    url: URL,
    contentType: string,
    body: string,
    timeoutMs: number,
  ): Promise<{ status: number; type: string; text: string } | null> {
    if (this.closed) return Promise.resolve(null);
    const ctl = this.abortable();
    return new Promise((resolve) => {
      const done = (v: { status: number; type: string; text: string } | null) => {
        clearTimeout(timer);
        this.aborts.delete(ctl);
        resolve(v);
      };
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(
        url,
        {
          method: 'POST',
          agent: false,
          signal: ctl.signal,
          headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (text.length < 65_536) text += c;
          });
          res.on('end', () =>
            done({
              status: res.statusCode ?? 0,
              type: String(res.headers['content-type'] ?? ''),
              text,
            }),
          );
          res.on('error', () => done(null));
        },
      );
      const timer = setTimeout(() => ctl.abort(), timeoutMs);
      req.on('error', () => done(null));
      req.end(body);
    });
  }

  private abortable(): AbortController {
    const ctl = new AbortController();
    this.aborts.add(ctl);
    return ctl;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.aborts) c.abort();
    this.pending.clear();
    this.store.onTouch = undefined;
  }
}
