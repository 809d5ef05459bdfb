import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestMailbox } from './auth';
import { GraphError } from './errors';
import type { Faults } from './faults';
import type { Notifier } from './subscriptions';
import { parsePrefer, type Preferences } from './prefer';
import type { GraphStore } from './store';
import type { Mailbox } from './types';

/** What every route module receives from the composition root (index.ts). */
export interface EmulatorContext {
  store: GraphStore;
  faults: Faults;
  now: () => number;
  /** Marks $batch sub-requests sent through app.inject (never sent to clients). */
  internalSecret: string;
  /** Change notifications: subscriptions in force, validation, delivery (subscriptions.ts). */
  notifier: Notifier;
  /** The longest an event subscription may run (routes/subscriptions.ts). */
  subscriptionMaxMinutes: number;
  /** The emulator's own Graph origin once it listens: a `.default` scope may name it (entra.ts). */
  graphAudience(): string;
}

export interface RequestScope {
  mbx: Mailbox;
  prefs: Preferences;
  baseUrl: string;
}

/** Resolves `/me` or `/users/{id|address}` to the token's mailbox and applies `Prefer`. */
export function scope(
  ctx: EmulatorContext,
  req: FastifyRequest,
  reply: FastifyReply,
): RequestScope {
  const address = requestMailbox(req);
  const mbx = ctx.store.mailbox(address);
  const userId = (req.params as { userId?: string }).userId;
  if (userId !== undefined && userId.toLowerCase() !== mbx.address && userId !== mbx.userId) {
    throw new GraphError(
      403,
      'ErrorAccessDenied',
      'Access is denied. Check credentials and try again.',
    );
  }
  const prefs = parsePrefer(req.headers.prefer);
  if (prefs.applied.length > 0) void reply.header('Preference-Applied', prefs.applied.join(', '));
  return { mbx, prefs, baseUrl: `${req.protocol}://${req.headers.host ?? 'localhost'}/v1.0` };
}

/** Registers one handler under both `/me…` and `/users/:userId…`. */
export const userPaths = (suffix: string): string[] => [`/me${suffix}`, `/users/:userId${suffix}`];

/** A `@odata.nextLink` for the same request with other query parameters. */
export function linkWith(
  req: FastifyRequest,
  baseUrl: string,
  params: Record<string, string>,
): string {
  const url = new URL(`http://x${req.url}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const path = url.pathname.replace(/^\/v1\.0/, '');
  return `${baseUrl}${path}${url.search}`;
}
