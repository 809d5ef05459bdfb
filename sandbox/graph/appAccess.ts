import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth';
import type { EmulatorContext } from './context';
import { GraphError } from './errors';

type App = Extract<Principal, { kind: 'app' }>;

/**
 * Graph's answer to `/me` with an app-only token. Microsoft's pages only say that app-only calls
 * use `/users/{id | userPrincipalName}` (concepts/auth-v2-service.md); the error text is what
 * Graph answers (docs/ARCHITECTURE.md, "To confirm in a real tenant").
 */
export const meWithAppToken = () =>
  new GraphError(
    400,
    'BadRequest',
    '/me request is only valid with delegated authentication flow.',
  );

/** concepts/auth-limit-mailbox-access.md, "Handling API errors": the access policy's refusal. */
export const policyDenied = () =>
  new GraphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.');

const insufficient = () =>
  new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');

/** The application permissions that allow a call on a mailbox's calendar or contacts. */
function rolesFor(path: string, method: string): string[] {
  const write = method !== 'GET';
  if (/\/contact/i.test(path))
    return write ? ['Contacts.ReadWrite'] : ['Contacts.Read', 'Contacts.ReadWrite'];
  if (/^\/v1\.0\/users\/[^/?]+\/?(\?|$)/i.test(path))
    return ['User.Read.All', 'User.ReadBasic.All'];
  return write ? ['Calendars.ReadWrite'] : ['Calendars.Read', 'Calendars.ReadWrite'];
}

/**
 * Whether an app may touch a mailbox: the user exists (404 ErrorInvalidUser otherwise), the app
 * is not limited away from it by an application access policy (403 "Access to OData is
 * disabled."), returns the mailbox's address.
 */
export function appMayUse(ctx: EmulatorContext, app: App, userId: string): string {
  const mbx =
    ctx.store.state.mailboxes[userId.toLowerCase()] ??
    Object.values(ctx.store.state.mailboxes).find((m) => m.userId === userId);
  if (!mbx)
    throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
  const allowed = ctx.store.state.applications?.[app.appId]?.mailboxes ?? null;
  if (allowed !== null && !allowed.includes(mbx.address)) throw policyDenied();
  return mbx.address;
}

export const hasRole = (app: App, roles: readonly string[]) =>
  roles.some((r) => app.roles.includes(r));

/**
 * The mailbox an app-only request acts on (null for paths that name none: /subscriptions, the
 * $batch envelope), after the checks Graph makes for application permissions.
 */
export function appMailbox(ctx: EmulatorContext, req: FastifyRequest, app: App): string | null {
  const path = req.url.split('?')[0] ?? '';
  if (/^\/v1\.0\/me(\/|$)/i.test(path)) throw meWithAppToken();
  const userId = (req.params as { userId?: string } | undefined)?.userId;
  if (userId === undefined) return null;
  const address = appMayUse(ctx, app, userId);
  if (!hasRole(app, rolesFor(path, req.method))) throw insufficient();
  return address;
}
