import { ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import * as z from 'zod';
import { SyncError } from '../../sync/core/errors';
import type { GraphTokenProvider } from '../../outlook/auth/tokenProvider';
import { PinnedCaNetworkClient } from './pinnedCaNetworkClient';

/**
 * Issue 17 item 2: the sync service reaches Graph with application permissions granted by an
 * admin (Calendars.ReadWrite, Contacts.ReadWrite), through MSAL Node's client credentials flow
 * with a client secret (microsoft-graph-docs-contrib concepts/auth-v2-service.md). Which
 * mailboxes it may touch is limited in Exchange, not here (concepts/auth-limit-mailbox-access.md,
 * docs/DEPLOY.md). MSAL keeps the token in its in-memory cache and asks Entra again only when it
 * nears expiry.
 */
export const appGraphAuthConfigSchema = z.strictObject({
  tenantId: z.string().min(1, 'tenantId: the directory (tenant) id or domain is required'),
  clientId: z.string().min(1, 'clientId: the application (client) id is required'),
  clientSecret: z.string().min(1, 'clientSecret: the client secret value is required'),
  /** The Entra ID host; the authority is `${authorityHost}/${tenantId}`. */
  authorityHost: z
    .string()
    .url('authorityHost: must be a URL such as https://login.microsoftonline.com')
    .default('https://login.microsoftonline.com'),
  /** Graph's `.default` scope: the app's consented application permissions. */
  scope: z.string().min(1).default('https://graph.microsoft.com/.default'),
  /**
   * For an authority host MSAL does not know (a sovereign cloud, the sandbox): MSAL trusts these
   * hosts without instance discovery (MSAL Node configuration, `auth.knownAuthorities`).
   */
  knownAuthorities: z.array(z.string().min(1)).optional(),
  /** The tenant's OpenID metadata as a JSON string: MSAL then does not fetch it. */
  authorityMetadata: z.string().optional(),
  /** Instance discovery's answer as a JSON string: MSAL then does not ask for it. */
  cloudDiscoveryMetadata: z.string().optional(),
  /**
   * A certificate (PEM) to trust for the authority's TLS, e.g. the sandbox's self-signed one:
   * MSAL's requests then trust exactly this certificate (PinnedCaNetworkClient, through MSAL
   * Node's documented `system.networkClient`); TLS checks stay on, and nothing global changes.
   */
  caCertificate: z.string().optional(),
});
export type AppGraphAuthConfig = z.input<typeof appGraphAuthConfigSchema>;

export interface AppGraphAuth {
  /** An app-only access token for Graph. @throws SyncError auth/offline. */
  token(options?: { readonly claims?: string }): Promise<string>;
}

const NETWORK_CODES = new Set([
  'network_error',
  'endpoints_resolution_error',
  'post_request_failed',
  'get_request_failed',
]);

/** MSAL's failure as a SyncError that names its code, never the secret or the answer's text. */
function toSyncError(err: unknown): SyncError {
  const shape = (typeof err === 'object' && err !== null ? err : {}) as {
    errorCode?: unknown;
    errorMessage?: unknown;
  };
  const code = typeof shape.errorCode === 'string' ? shape.errorCode : 'unknown';
  const aadsts = /AADSTS(\d+)/.exec(
    typeof shape.errorMessage === 'string' ? shape.errorMessage : '',
  )?.[1];
  const what = aadsts ? `${code}, AADSTS${aadsts}` : code;
  if (NETWORK_CODES.has(code)) {
    return new SyncError('offline', `Entra ID could not be reached for an app token (${what})`, {
      cause: err,
    });
  }
  // AADSTS65001 / 650057: the admin has not consented to the application permissions.
  const consent = aadsts === '65001' || aadsts === '650057';
  return new SyncError(
    consent ? 'graphConsentRequired' : 'graphSignInFailed',
    `Entra ID refused the service's app token request (${what})`,
    { cause: err },
  );
}

export function createAppGraphAuth(config: AppGraphAuthConfig): AppGraphAuth {
  const parsed = appGraphAuthConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new Error(
      `Graph app configuration: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const c = parsed.data;
  const msal: Configuration = {
    auth: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      authority: `${c.authorityHost.replace(/\/$/, '')}/${encodeURIComponent(c.tenantId)}`,
      ...(c.knownAuthorities ? { knownAuthorities: c.knownAuthorities } : {}),
      ...(c.authorityMetadata ? { authorityMetadata: c.authorityMetadata } : {}),
      ...(c.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: c.cloudDiscoveryMetadata } : {}),
    },
    system: {
      // Tokens and secrets never reach a log: PII logging off, and only MSAL's errors kept.
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Error,
        loggerCallback: () => undefined,
      },
      ...(c.caCertificate ? { networkClient: new PinnedCaNetworkClient(c.caCertificate) } : {}),
    },
  };
  const app = new ConfidentialClientApplication(msal);
  return {
    async token(options = {}) {
      let result;
      try {
        result = await app.acquireTokenByClientCredential({
          scopes: [c.scope],
          ...(options.claims ? { claims: options.claims } : {}),
        });
      } catch (err) {
        throw toSyncError(err);
      }
      if (!result?.accessToken) {
        throw new SyncError('graphSignInFailed', 'Entra ID answered without an access token');
      }
      return result.accessToken;
    },
  };
}

/** The same tokens as the Graph adapter's token port (GraphClientOptions.tokens). */
export const appTokenProvider = (auth: AppGraphAuth): GraphTokenProvider => ({
  getToken: (options) => auth.token(options),
});
