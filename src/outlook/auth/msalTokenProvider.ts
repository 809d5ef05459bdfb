import type { Host } from '../../host/host';
import { type DialogToken, signInWithDialog } from './dialogSignIn';
import { classifyMsalError, toGraphAuthError } from './msalErrors';
import { GRAPH_SCOPES, type GraphTokenProvider } from './tokenProvider';

export interface MsalTokenRequest {
  scopes: string[];
  claims?: string;
}

export interface MsalTokenResult {
  readonly accessToken: string;
  readonly expiresOn: Date | null;
}

/**
 * The slice of MSAL's IPublicClientApplication this provider uses. The real nestable client
 * satisfies it (createTokenProvider.ts assigns one to it), and tests pass a small fake.
 */
export interface MsalClientLike {
  acquireTokenSilent(request: MsalTokenRequest): Promise<MsalTokenResult>;
  acquireTokenPopup(request: MsalTokenRequest): Promise<MsalTokenResult>;
}

export interface MsalTokenProviderOptions {
  /** Creates the client once, on first use (MSAL's initialisation talks to the host). */
  readonly client: () => Promise<MsalClientLike>;
  readonly host: Host;
  /** `Office.context.requirements.isSetSupported('NestedAppAuth', '1.1')`. */
  readonly naaSupported: () => boolean;
  /** The sign-in page the Office dialog opens (authDialogPage.ts). */
  readonly dialogUrl: string;
  readonly now?: () => number;
}

const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * Graph tokens inside Outlook by nested app authentication (REQUIREMENTS.md, Microsoft's NAA
 * samples): silent first; when a person must take part, a popup the host brokers; when that cannot
 * open
 * (old clients without NAA, blocked popups), the Office dialog. A Graph claims challenge is passed
 * through to whichever step answers it.
 */
export class MsalTokenProvider implements GraphTokenProvider {
  private clientPromise: Promise<MsalClientLike> | undefined;
  // A dialog token lives in the dialog's MSAL cache, which the pane cannot read: keep it here.
  private dialogToken: DialogToken | undefined;

  constructor(private readonly options: MsalTokenProviderOptions) {}

  async getToken(options: { readonly claims?: string } = {}): Promise<string> {
    const { claims } = options;
    const now = (this.options.now ?? Date.now)();
    if (!claims && this.dialogToken && this.dialogToken.expiresOn - EXPIRY_MARGIN_MS > now) {
      return this.dialogToken.accessToken;
    }
    const request: MsalTokenRequest = { scopes: [...GRAPH_SCOPES], ...(claims ? { claims } : {}) };
    const client = await this.client();
    try {
      return (await client.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (classifyMsalError(error) !== 'interactionRequired') {
        throw toGraphAuthError(error, 'Silent Graph sign-in failed');
      }
    }
    // Without NAA the task pane's popup is often blocked or cannot reach the pane again.
    if (!this.options.naaSupported()) return this.viaDialog(claims);
    try {
      return (await client.acquireTokenPopup(request)).accessToken;
    } catch (error) {
      if (classifyMsalError(error) !== 'popupUnavailable') {
        throw toGraphAuthError(error, 'Graph sign-in in a popup failed');
      }
    }
    return this.viaDialog(claims);
  }

  private async viaDialog(claims: string | undefined): Promise<string> {
    const token = await signInWithDialog(this.options.host, this.options.dialogUrl, claims);
    this.dialogToken = token;
    return token.accessToken;
  }

  private client(): Promise<MsalClientLike> {
    if (!this.clientPromise) {
      this.clientPromise = this.options.client().catch((error: unknown) => {
        this.clientPromise = undefined; // let the next call try again
        throw toGraphAuthError(error, 'MSAL could not start');
      });
    }
    return this.clientPromise;
  }
}
