import type { AccountInfo } from '@azure/msal-browser';
import type { Host } from '../../host/host';
import { SyncError } from '../../sync/core/errors';
import { type DialogToken, signInWithDialog } from './dialogSignIn';
import { classifyMsalError, toGraphAuthError } from './msalErrors';
import { GRAPH_SCOPES, type InteractiveTokenProvider } from './tokenProvider';

export interface MsalTokenRequest {
  scopes: string[];
  claims?: string;
  /** The mailbox's address, so Entra ID signs in (or picks) that account and no other. */
  loginHint?: string;
  /** The cached account whose username is the mailbox's; absent when MSAL knows none yet. */
  account?: AccountInfo;
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
  getAllAccounts(): AccountInfo[];
  acquireTokenSilent(request: MsalTokenRequest): Promise<MsalTokenResult>;
  /** Silent sign-in from the host's session when MSAL's cache holds no account yet. */
  ssoSilent(request: MsalTokenRequest): Promise<MsalTokenResult>;
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
  /**
   * Issue 11 item 6: `getToken` never opens a window; when a person must take part it throws
   * `graphSignInNeeded` and only `signIn()` (a button the person pressed) opens one. The sync
   * loop's provider sets this; providers behind a person's own action (connecting) do not.
   */
  readonly silentOnly?: boolean;
  /**
   * Tokens the Office dialog brought back, by lower-cased mailbox. They live in the dialog's MSAL
   * cache, which the pane cannot read; createTokenProvider shares one map between the pane's
   * providers, so a sign-in made for one (e.g. connecting) serves the sync loop's too.
   */
  readonly dialogTokens?: Map<string, DialogToken>;
  readonly now?: () => number;
}

const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * Graph tokens inside Outlook by nested app authentication (REQUIREMENTS.md, Microsoft's NAA
 * samples): silent first; when a person must take part, a popup the host brokers; when that cannot
 * open (old clients without NAA, blocked popups), the Office dialog. A Graph claims challenge is
 * passed through to whichever step answers it.
 *
 * Tokens are always for the mailbox's own account: every request carries loginHint = the mailbox
 * address, and silent requests use the cached MSAL account whose username is that address (as
 * Microsoft's sample does: Office-Add-in-samples Samples/auth/Outlook-Add-in-SSO-NAA
 * src/taskpane/authConfig.ts — acquireTokenSilent with the matched account, ssoSilent without).
 * Interactive sign-in is single-flight: concurrent callers share one popup or dialog.
 */
export class MsalTokenProvider implements InteractiveTokenProvider {
  private clientPromise: Promise<MsalClientLike> | undefined;
  private readonly dialogTokens: Map<string, DialogToken>;
  private interactive: Promise<string> | undefined;

  constructor(private readonly options: MsalTokenProviderOptions) {
    this.dialogTokens = options.dialogTokens ?? new Map();
  }

  async getToken(options: { readonly claims?: string } = {}): Promise<string> {
    const { claims } = options;
    const silent = await this.silent(claims);
    if (silent.token !== undefined) return silent.token;
    if (this.options.silentOnly) {
      throw new SyncError(
        'graphSignInNeeded',
        'Microsoft 365 sign-in needs the person; a background run opens no window',
        { cause: silent.cause },
      );
    }
    return this.interactiveToken(claims);
  }

  /** The person pressed "Sign in to Microsoft 365": silent if it suffices, else a window. */
  async signIn(): Promise<void> {
    const silent = await this.silent(undefined);
    if (silent.token === undefined) await this.interactiveToken(undefined);
  }

  /** A token without any window, or the MSAL error saying a person must take part. */
  private async silent(
    claims: string | undefined,
  ): Promise<{ token: string; cause?: never } | { token?: never; cause: unknown }> {
    const now = (this.options.now ?? Date.now)();
    const dialogToken = this.dialogTokens.get(this.mailbox());
    if (!claims && dialogToken && dialogToken.expiresOn - EXPIRY_MARGIN_MS > now) {
      return { token: dialogToken.accessToken };
    }
    const client = await this.client();
    const request = this.request(claims);
    const account = this.mailboxAccount(client);
    try {
      const result = account
        ? await client.acquireTokenSilent({ ...request, account })
        : await client.ssoSilent(request);
      return { token: result.accessToken };
    } catch (error) {
      if (classifyMsalError(error) !== 'interactionRequired') {
        throw toGraphAuthError(error, 'Silent Graph sign-in failed');
      }
      return { cause: error };
    }
  }

  /** Single-flight: a popup or dialog already open answers every caller that asks meanwhile. */
  private interactiveToken(claims: string | undefined): Promise<string> {
    if (!this.interactive) {
      this.interactive = this.openInteractive(claims).finally(() => {
        this.interactive = undefined;
      });
    }
    return this.interactive;
  }

  private async openInteractive(claims: string | undefined): Promise<string> {
    // Without NAA the task pane's popup is often blocked or cannot reach the pane again.
    if (!this.options.naaSupported()) return this.viaDialog(claims);
    const client = await this.client();
    try {
      return (await client.acquireTokenPopup(this.request(claims))).accessToken;
    } catch (error) {
      if (classifyMsalError(error) !== 'popupUnavailable') {
        throw toGraphAuthError(error, 'Graph sign-in in a popup failed');
      }
    }
    return this.viaDialog(claims);
  }

  private request(claims: string | undefined): MsalTokenRequest {
    const loginHint = this.options.host.mailboxAddress();
    return {
      scopes: [...GRAPH_SCOPES],
      ...(claims ? { claims } : {}),
      ...(loginHint ? { loginHint } : {}),
    };
  }

  /** The cached account signed in as the mailbox (user names compare case-insensitively). */
  private mailboxAccount(client: MsalClientLike): AccountInfo | undefined {
    const mailbox = this.mailbox();
    if (!mailbox) return undefined;
    return client.getAllAccounts().find((a) => a.username.toLowerCase() === mailbox);
  }

  private mailbox(): string {
    return this.options.host.mailboxAddress().toLowerCase();
  }

  private async viaDialog(claims: string | undefined): Promise<string> {
    const mailbox = this.mailbox();
    const token = await signInWithDialog(this.options.host, this.options.dialogUrl, claims);
    this.dialogTokens.set(mailbox, token);
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
