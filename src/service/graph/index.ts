/**
 * The sync service's Graph side (issue 17 items 2–3): app-only tokens through MSAL Node, change
 * notifications in, subscriptions kept alive. The Graph client itself is src/outlook/graphClient.ts
 * with its `mailbox` option (paths under /users/{mailbox}).
 */
export { appGraphAuthConfigSchema, appTokenProvider, createAppGraphAuth } from './appAuth';
export type { AppGraphAuth, AppGraphAuthConfig } from './appAuth';
export { NotificationReceiver } from './notificationReceiver';
export type {
  KnownSubscription,
  LifecycleEvent,
  NotificationReceiverOptions,
  ReceivedRequest,
  ReceiverResponse,
} from './notificationReceiver';
export { SubscriptionManager } from './subscriptionManager';
export { EVENT_SUBSCRIPTION_MINUTES, usersEventsResource } from './subscriptionOptions';
export type {
  SubscriptionManagerOptions,
  SubscriptionRecord,
  SubscriptionRecords,
} from './subscriptionOptions';
export { createServiceGraphClient } from './serviceGraphClient';
