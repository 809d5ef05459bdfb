import type { IPublicClientApplication } from '@azure/msal-browser';
import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import type { DialogToken } from './dialogSignIn';
import { type MsalClientLike, MsalTokenProvider } from './msalTokenProvider';
import { SandboxTokenProvider } from './sandboxTokenProvider';
import type { InteractiveTokenProvider } from './tokenProvider';

/** The page the Office dialog fallback opens; also MSAL's redirect URI outside NAA (DEPLOY.md). */
export const AUTH_DIALOG_PAGE = 'auth-dialog.html';

export interface TokenProviderEnvironment {
  readonly host: Host;
  /** Where the add-in's pages are served from; the pane's own location by default. */
  readonly baseUrl?: string;
  /** Defaults to asking Office.js; the composition root may inject it. */
  readonly naaSupported?: () => boolean;
  /**
   * Issue 11 item 6: for the sync loop. `getToken` then never opens a sign-in window (it throws
   * `graphSignInNeeded`); only `signIn()`, run from a button, does.
   */
  readonly silentOnly?: boolean;
}

/** Office dialog tokens, shared by every MSAL provider in this pane (msalTokenProvider.ts). */
const dialogTokens = new Map<string, DialogToken>();

/** Picks the Graph token source from the configuration (`auth.kind`), never from test flags. */
export function createTokenProvider(
  config: AddinConfig,
  env: TokenProviderEnvironment,
): InteractiveTokenProvider {
  const { auth } = config;
  switch (auth.kind) {
    case 'sandbox':
      return new SandboxTokenProvider({
        tokenUrl: auth.tokenUrl,
        mailbox: () => env.host.mailboxAddress(),
      });
    case 'msal': {
      const dialogUrl = new URL(AUTH_DIALOG_PAGE, env.baseUrl ?? window.location.href).href;
      return new MsalTokenProvider({
        host: env.host,
        dialogUrl,
        naaSupported: env.naaSupported ?? officeSupportsNaa,
        ...(env.silentOnly ? { silentOnly: true } : {}),
        dialogTokens,
        client: async (): Promise<MsalClientLike> => {
          // MSAL is a quarter of the pane's code and only this path needs it: webpack puts it in
          // an async chunk that loads on the first token request, not with the sign-in form.
          const { createNestablePublicClientApplication } = await import(
            /* webpackChunkName: "msal" */ '@azure/msal-browser'
          );
          const pca: IPublicClientApplication = await createNestablePublicClientApplication({
            auth: { clientId: auth.clientId, authority: auth.authority, redirectUri: dialogUrl },
          });
          return pca;
        },
      });
    }
  }
}

/** REQUIREMENTS.md: NAA needs the NestedAppAuth 1.1 requirement set. */
export function officeSupportsNaa(): boolean {
  return (
    typeof Office !== 'undefined' &&
    Office.context?.requirements?.isSetSupported('NestedAppAuth', '1.1') === true
  );
}
