import { GraphClient, type GraphClientOptions } from '../../outlook/graphClient';
import { appTokenProvider, type AppGraphAuth } from './appAuth';

/**
 * The service's Graph client for one mailbox: the same client, retries and gate as the pane's,
 * with app-only tokens and every `/me…` path sent as `/users/{mailbox}…`. Without a mailbox, a
 * tenant-wide client (for /subscriptions).
 */
export function createServiceGraphClient(
  auth: AppGraphAuth,
  options: Omit<GraphClientOptions, 'tokens' | 'mailbox'> & { readonly mailbox?: string },
): GraphClient {
  return new GraphClient({ ...options, tokens: appTokenProvider(auth) });
}
