import {
  type AccountInfo,
  BrowserAuthError,
  InteractionRequiredAuthError,
} from '@azure/msal-browser';
import type {
  MsalClientLike,
  MsalTokenRequest,
  MsalTokenResult,
} from '../../../src/outlook/auth/msalTokenProvider';

/** The fake host's mailbox (FakeDialogHost.mailboxAddress). */
export const MAILBOX = 'anna@contoso.example';

export function fakeAccount(username: string): AccountInfo {
  return {
    homeAccountId: `home-${username}`,
    localAccountId: `local-${username}`,
    environment: 'login.microsoftonline.com',
    tenantId: 'tenant-1',
    username,
  };
}

/**
 * A behaving fake of the MSAL surface MsalTokenProvider uses: an account cache that silent reads
 * (acquireTokenSilent needs a cached account, like MSAL), ssoSilent from the host's session, a
 * popup that signs in the account Entra ID is hinted at (or is blocked, or needs consent), only one
 * interaction at a time (MSAL's interaction_in_progress), and claims honoured like Entra ID does
 * (a cached token never satisfies a claims challenge). Throws MSAL's real error classes.
 */
export class FakeMsal implements MsalClientLike {
  readonly calls: { method: 'silent' | 'ssoSilent' | 'popup'; request: MsalTokenRequest }[] = [];
  /** MSAL's account cache. */
  accounts: AccountInfo[] = [];
  /** Whom the host's session can sign in without a window (NAA's broker); none by default. */
  ssoSession: string | undefined;
  /** Whom the popup signs in when Entra ID gets no loginHint (the person picks an account). */
  popupPicks = 'someone.else@contoso.example';
  popup: 'ok' | 'blocked' | 'cancelled' | 'consent' = 'ok';
  silentFailure: Error | undefined;
  /** How many sign-in popups are open right now. */
  popupsOpen = 0;
  private popupGate: Promise<void> | undefined;
  private issued = 0;

  /** The mailbox's account is in MSAL's cache (a person signed in before). */
  set signedIn(value: boolean) {
    this.accounts = value ? [fakeAccount(MAILBOX)] : [];
  }

  /** Popups stay open until the returned function is called (the person is signing in). */
  holdPopups(): () => void {
    let release = () => undefined as void;
    this.popupGate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.popupGate = undefined;
      release();
    };
  }

  getAllAccounts(): AccountInfo[] {
    return [...this.accounts];
  }

  async acquireTokenSilent(request: MsalTokenRequest): Promise<MsalTokenResult> {
    this.calls.push({ method: 'silent', request });
    if (this.silentFailure) throw this.silentFailure;
    const account = request.account;
    if (!account || !this.accounts.some((a) => a.homeAccountId === account.homeAccountId)) {
      throw new BrowserAuthError('no_account_error', 'fake-correlation');
    }
    if (request.claims) {
      // A claims challenge asks for a stronger sign-in (e.g. MFA) the cache cannot give.
      throw new InteractionRequiredAuthError('interaction_required', 'fake-correlation');
    }
    return this.token('silent', account.username);
  }

  async ssoSilent(request: MsalTokenRequest): Promise<MsalTokenResult> {
    this.calls.push({ method: 'ssoSilent', request });
    if (this.silentFailure) throw this.silentFailure;
    const user = this.ssoSession;
    if (!user || request.claims || (request.loginHint && request.loginHint !== user)) {
      throw new InteractionRequiredAuthError('login_required', 'fake-correlation');
    }
    this.remember(user);
    return this.token('sso', user);
  }

  async acquireTokenPopup(request: MsalTokenRequest): Promise<MsalTokenResult> {
    this.calls.push({ method: 'popup', request });
    if (this.popupsOpen > 0) {
      throw new BrowserAuthError('interaction_in_progress', 'fake-correlation');
    }
    this.popupsOpen++;
    try {
      await this.popupGate;
      switch (this.popup) {
        case 'blocked':
          throw new BrowserAuthError('popup_window_error', 'fake-correlation');
        case 'cancelled':
          throw new BrowserAuthError('user_cancelled', 'fake-correlation');
        case 'consent':
          throw new InteractionRequiredAuthError(
            'consent_required',
            'fake-correlation',
            'AADSTS65001: The user or administrator has not consented.',
          );
        case 'ok': {
          const user = request.loginHint ?? this.popupPicks;
          this.remember(user);
          return this.token(request.claims ? 'popup+claims' : 'popup', user);
        }
      }
    } finally {
      this.popupsOpen--;
    }
  }

  /** Who each issued token was for, in order. */
  readonly tokensFor: string[] = [];

  private remember(username: string): void {
    if (!this.accounts.some((a) => a.username === username)) {
      this.accounts.push(fakeAccount(username));
    }
  }

  private token(via: string, username: string): MsalTokenResult {
    this.tokensFor.push(username);
    return {
      accessToken: `graph-${via}-${++this.issued}`,
      expiresOn: new Date(Date.now() + 3600_000),
    };
  }
}
