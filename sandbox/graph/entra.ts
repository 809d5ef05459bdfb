import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { issueAppToken, TOKEN_LIFETIME_S } from './auth';
import type { EmulatorContext } from './context';
import type { AppRegistration } from './types';

/**
 * The part of Microsoft Entra ID that MSAL Node's client credentials flow talks to, served on the
 * emulator's https "login" listener (tls.ts): the tenant's OpenID Connect metadata
 * (`/{tenant}/v2.0/.well-known/openid-configuration`), instance discovery
 * (`/common/discovery/instance`) and the token endpoint (`/{tenant}/oauth2/v2.0/token`,
 * `grant_type=client_credentials` with a client secret). Pages: microsoft-graph-docs-contrib
 * concepts/auth-v2-service.md (the token request and answer), concepts/auth-limit-mailbox-access.md
 * (application access policy); Entra's OAuth 2.0 client credentials page for the error shape
 * (`error`, `error_description`, `error_codes`, AADSTS codes).
 */

/** The demo application of `npm start` (sandbox only; never a real tenant's values). */
export const DEMO_TENANT_ID = '6b1f1a4e-2c1d-4c3a-9d5e-0a5e7c0d1e01';
export const DEMO_APPLICATION: AppRegistration = {
  clientId: '0c7d3a52-8e4b-4f1e-9a61-5d2c4b8e7f10',
  clientSecret: 'sandbox-service-secret',
  tenantId: DEMO_TENANT_ID,
  roles: ['Calendars.ReadWrite', 'Contacts.ReadWrite'],
  mailboxes: null,
};

/** Graph's application permissions the emulator knows (concepts/permissions-reference.md). */
export const APP_ROLES = [
  'Calendars.Read',
  'Calendars.ReadWrite',
  'Contacts.Read',
  'Contacts.ReadWrite',
  'User.Read.All',
  'User.ReadBasic.All',
] as const;

export const appRegistrationSchema = z.strictObject({
  clientId: z.string().min(1).max(100),
  clientSecret: z.string().min(1).max(200),
  tenantId: z.string().min(1).max(100).default(DEMO_TENANT_ID),
  roles: z.array(z.enum(APP_ROLES)).default(['Calendars.ReadWrite', 'Contacts.ReadWrite']),
  /**
   * The application access policy (concepts/auth-limit-mailbox-access.md, `New-ApplicationAccessPolicy
   * -AccessRight RestrictAccess`): the mailboxes the app may touch; null = no policy (all).
   */
  mailboxes: z
    .array(z.string().min(1))
    .nullable()
    .default(null)
    .transform((m) => (m === null ? null : m.map((a) => a.toLowerCase()))),
});

const tokenForm = z.object({
  grant_type: z.string(),
  client_id: z.string().min(1),
  client_secret: z.string().optional(),
  scope: z.string().min(1),
});

/** The audiences a `.default` scope may name: Graph's, or the emulator's own base URL. */
const GRAPH_RESOURCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

function oauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  code: number,
  description: string,
): FastifyReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return reply.code(status).send({
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z'),
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

const equalSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The tenant path segment names an app's tenant by id, or the demo domain `contoso.example`. */
const tenantMatches = (app: AppRegistration, tenant: string): boolean =>
  tenant.toLowerCase() === app.tenantId.toLowerCase() || tenant.toLowerCase() === 'contoso.example';

const origin = (req: FastifyRequest) => `https://${req.headers.host ?? 'localhost'}`;

/** The tenant's OpenID Connect metadata, with Entra's field names and the emulator's own URLs. */
export function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  const t = `${base}/${tenant}`;
  return {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${t}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${t}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'roles', 'appid'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    msgraph_host: 'graph.microsoft.com',
  };
}

/** Instance discovery's answer for this host (MSAL's `cloudDiscoveryMetadata` takes the same). */
export function instanceDiscovery(base: string, tenant: string): Record<string, unknown> {
  const host = new URL(base).host;
  return {
    tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

export function registerEntraRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  const metadata = async (req: FastifyRequest<{ Params: { tenant: string } }>) =>
    openIdConfiguration(origin(req), req.params.tenant);
  app.get('/:tenant/v2.0/.well-known/openid-configuration', metadata);
  app.get('/:tenant/.well-known/openid-configuration', metadata);
  app.get('/:tenant/discovery/v2.0/keys', async () => ({ keys: [] }));

  app.get<{ Querystring: { authorization_endpoint?: string } }>(
    '/common/discovery/instance',
    async (req) => {
      const tenant =
        /\/([^/]+)\/oauth2\/v2\.0\/authorize/.exec(req.query.authorization_endpoint ?? '')?.[1] ??
        'common';
      return instanceDiscovery(origin(req), tenant);
    },
  );

  app.post<{ Params: { tenant: string } }>('/:tenant/oauth2/v2.0/token', async (req, reply) => {
    const form = tokenForm.safeParse(req.body ?? {});
    if (!form.success) {
      return oauthError(
        reply,
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id', 'grant_type' and 'scope'.",
      );
    }
    const { grant_type: grant, client_id: clientId, scope } = form.data;
    if (grant !== 'client_credentials') {
      return oauthError(
        reply,
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grant}'.`,
      );
    }
    const registration = ctx.store.state.applications?.[clientId];
    if (!registration || !tenantMatches(registration, req.params.tenant)) {
      return oauthError(
        reply,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${req.params.tenant}'.`,
      );
    }
    // Entra's wording for a wrong secret (AADSTS7000215); the secret is never echoed.
    if (
      !form.data.client_secret ||
      !equalSecret(form.data.client_secret, registration.clientSecret)
    ) {
      return oauthError(
        reply,
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    }
    // concepts/auth-v2-service.md: the client credentials flow asks for `{resource}/.default`.
    const scopes = scope.split(/\s+/).filter(Boolean);
    const resource =
      scopes.length === 1 && scopes[0]?.endsWith('/.default')
        ? scopes[0].slice(0, -'/.default'.length)
        : null;
    const known = [...GRAPH_RESOURCES, ctx.graphAudience()].map((r) => r.replace(/\/$/, ''));
    if (resource === null || !known.includes(resource.replace(/\/$/, ''))) {
      return oauthError(
        reply,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    // The wall clock, as MSAL's cache reads it (auth.ts, authenticate).
    const now = Math.floor(Date.now() / 1000);
    const token = issueAppToken(ctx.store.state.secret, {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${registration.tenantId}/`,
      tid: registration.tenantId,
      appid: registration.clientId,
      roles: [...registration.roles],
      idtyp: 'app',
      uti: randomUUID(),
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_S,
    });
    return {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      ext_expires_in: TOKEN_LIFETIME_S,
      access_token: token,
    };
  });
}
