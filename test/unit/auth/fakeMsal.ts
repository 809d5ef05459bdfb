import { BrowserAuthError, InteractionRequiredAuthError } from '@azure/msal-browser';
import type {
  MsalClientLike,
  MsalTokenRequest,
  MsalTokenResult,
} from '../../../src/outlook/auth/msalTokenProvider';

/**
 * A behaving fake of the MSAL surface MsalTokenProvider uses: a token cache that silent reads,
 * a popup that signs in (or is blocked, or needs consent), claims honoured like Entra ID does
 * (a cached token never satisfies a claims challenge). Throws MSAL's real error classes.
 */
export class FakeMsal implements MsalClientLike {
  readonly calls: { method: 'silent' | 'popup'; request: MsalTokenRequest }[] = [];
  signedIn = false;
  popup: 'ok' | 'blocked' | 'cancelled' | 'consent' = 'ok';
  silentFailure: Error | undefined;
  private issued = 0;

  async acquireTokenSilent(request: MsalTokenRequest): Promise<MsalTokenResult> {
    this.calls.push({ method: 'silent', request });
    if (this.silentFailure) throw this.silentFailure;
    if (!this.signedIn) {
      throw new InteractionRequiredAuthError('interaction_required', 'fake-correlation');
    }
    if (request.claims) {
      // A claims challenge asks for a stronger sign-in (e.g. MFA) the cache cannot give.
      throw new InteractionRequiredAuthError('interaction_required', 'fake-correlation');
    }
    return this.token('silent');
  }

  async acquireTokenPopup(request: MsalTokenRequest): Promise<MsalTokenResult> {
    this.calls.push({ method: 'popup', request });
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
      case 'ok':
        this.signedIn = true;
        return this.token(request.claims ? 'popup+claims' : 'popup');
    }
  }

  private token(via: string): MsalTokenResult {
    return {
      accessToken: `graph-${via}-${++this.issued}`,
      expiresOn: new Date(Date.now() + 3600_000),
    };
  }
}
