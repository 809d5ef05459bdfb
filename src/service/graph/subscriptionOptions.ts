/**
 * What SubscriptionManager (./subscriptionManager.ts) is given: its options, the lifetime Graph
 * allows an Outlook event subscription, and where subscriptions are kept beyond one process.
 */
import type { GraphClient } from '../../outlook/graphClient';

/**
 * concepts/includes/change-notifications-subscription-lifetime.md: Outlook event subscriptions
 * last at most 4,230 minutes. Asked for a little less, so clock skew never makes it too long.
 */
export const EVENT_SUBSCRIPTION_MINUTES = 4200;

/**
 * A mailbox's events as a subscription `resource` (api-reference/v1.0/resources/subscription.md:
 * `/users/{id}/events`): the address as written (its `@` kept — this is a property value, not a
 * URL path), anything else a path could misread percent-encoded.
 */
export const usersEventsResource = (mailbox: string): string =>
  `/users/${encodeURIComponent(mailbox).replace(/%40/g, '@')}/events`;

export interface SubscriptionManagerOptions {
  /**
   * The client that manages a mailbox's subscription: with application permissions one app-only
   * client for all (not rooted at a mailbox: /subscriptions is tenant-wide), given as `graph`;
   * with a person's delegated token (the sandbox), the mailbox's own client, given as `graphFor`.
   */
  readonly graph?: GraphClient;
  readonly graphFor?: (mailboxId: string) => GraphClient;
  /**
   * The resource subscribed to for a mailbox: `/users/{id}/events` (application permissions,
   * the default) or `/me/events` (delegated).
   */
  readonly resource?: (mailboxId: string) => string;
  /** The service's public https URL of NotificationReceiver. */
  readonly notificationUrl: string;
  /** Defaults to notificationUrl (the docs allow the same endpoint for both). */
  readonly lifecycleNotificationUrl?: string;
  /** Asks for a sync run of the mailbox (the engine's gather reads delta). */
  readonly onResync: (mailboxId: string) => void | Promise<void>;
  readonly now?: () => number;
  /** The lifetime asked for on create and renewal. Default EVENT_SUBSCRIPTION_MINUTES. */
  readonly lifetimeMinutes?: number;
  /** Renew when less than this is left. Default 24 hours. */
  readonly renewBeforeMinutes?: number;
  /** A new clientState secret (default 32 random bytes, base64url). */
  readonly newClientState?: () => string;
  /** Counts and states only: never a clientState or token. */
  readonly log?: (message: string) => void;
  /**
   * Issue 18: where the subscriptions are kept beyond this process — the scale-out workers share
   * them in PostgreSQL (src/service/scale/subscriptionRecords.ts), so a notification that reaches
   * any worker is recognised, and any worker renews. Without it they live in memory only.
   */
  readonly records?: SubscriptionRecords;
}

/** A mailbox's subscription as kept: its id, its secret clientState and when it expires. */
export interface SubscriptionRecord {
  readonly mailboxId: string;
  readonly id: string;
  readonly clientState: string;
  readonly expiresAt: number;
}

export interface SubscriptionRecords {
  save(record: SubscriptionRecord): Promise<void>;
  remove(mailboxId: string): Promise<void>;
}
