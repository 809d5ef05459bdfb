/**
 * How the service reaches each mailbox in Graph (issue 17, item 2), behind one seam: a Graph
 * client per mailbox over a `{ token() }` source.
 *
 * - `sandbox`: the emulator's per-mailbox token endpoint (POST /sandbox/token) and `/me` paths —
 *   what the emulator offers today.
 * - `app`: client credentials for the Entra application (src/service/graph createAppGraphAuth,
 *   MSAL Node) and `/users/{mailbox}` paths (createServiceGraphClient) — wired in start.ts.
 */
import { SandboxTokenProvider } from '../outlook/auth/sandboxTokenProvider';
import { GraphClient } from '../outlook/graphClient';
import type { SharedBudgetCounts } from '../outlook/pacer';

/** The seam i17emu's createAppGraphAuth fills: one application token for every mailbox. */
export interface AppTokenSource {
  token(): Promise<string>;
}

export interface GraphAccess {
  /** The mailbox's one Graph client (one gate of 4 requests in flight per mailbox). */
  clientFor(mailbox: string): GraphClient;
  /**
   * How the mailbox's change-notification subscription is managed (src/service/graph's
   * SubscriptionManager): the client that calls /subscriptions for it, and the resource.
   */
  readonly subscriptions: {
    clientFor(mailbox: string): GraphClient;
    resource(mailbox: string): string;
  };
}

/** The emulator's token endpoint sits at the server root, beside /v1.0. */
export function sandboxTokenUrl(graphUrl: string): string {
  const url = new URL(graphUrl);
  url.pathname = url.pathname.replace(/\/v1\.0\/?$/, '').replace(/\/$/, '') + '/sandbox/token';
  url.search = '';
  return url.toString();
}

/**
 * Issue 18: the scale-out workers count each mailbox's Graph budget in PostgreSQL, so every
 * worker's client of a mailbox spends one budget (src/service/scale/sharedBudget.ts).
 */
export type SharedBudgetFor = (mailbox: string) => SharedBudgetCounts;

export function sandboxGraphAccess(
  graphUrl: string,
  fetchFn?: typeof fetch,
  sharedBudgetFor?: SharedBudgetFor,
): GraphAccess {
  const tokenUrl = sandboxTokenUrl(graphUrl);
  const clientFor = (mailbox: string) =>
    new GraphClient({
      ...(sharedBudgetFor ? { sharedBudget: sharedBudgetFor(mailbox) } : {}),
      baseUrl: graphUrl,
      tokens: new SandboxTokenProvider({
        tokenUrl,
        mailbox: () => mailbox,
        ...(fetchFn ? { fetch: fetchFn } : {}),
      }),
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });
  // A delegated token subscribes to its own calendar: `/me/events`, the mailbox's own client
  // (a second client of the mailbox for the few /subscriptions calls; the gate is per client).
  const forSubscriptions = new Map<string, GraphClient>();
  return {
    clientFor,
    subscriptions: {
      clientFor: (mailbox) => {
        let client = forSubscriptions.get(mailbox);
        if (!client) forSubscriptions.set(mailbox, (client = clientFor(mailbox)));
        return client;
      },
      resource: () => '/me/events',
    },
  };
}
