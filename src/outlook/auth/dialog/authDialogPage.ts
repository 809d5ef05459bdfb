import { CLAIMS_PARAM, LOGIN_HINT_PARAM, type DialogMessage } from '../dialogProtocol';
import { classifyMsalError } from '../msalErrors';
import type { MsalTokenResult } from '../msalTokenProvider';
import { GRAPH_SCOPES } from '../tokenProvider';

/** The slice of a standard (non-nested) MSAL client the dialog page uses. */
export interface DialogMsalClient {
  handleRedirectPromise(): Promise<MsalTokenResult | null>;
  acquireTokenRedirect(request: {
    scopes: string[];
    claims?: string;
    loginHint?: string;
    redirectUri: string;
  }): Promise<void>;
}

export interface AuthDialogDeps {
  readonly client: DialogMsalClient;
  /** This page's address as opened (may carry `?claims=`). */
  readonly location: string;
  /** `Office.context.ui.messageParent`. */
  readonly messageParent: (message: string) => void;
}

/**
 * The job of auth-dialog.html, opened by the pane in an Office dialog when nested app
 * authentication cannot be used (dialogSignIn.ts). A dialog is a full top-level window, so a
 * plain MSAL redirect sign-in works there even where the pane cannot open a popup:
 * 1. first load: no MSAL response in the URL → redirect to Entra ID (with the claims challenge
 *    from the pane, if any), coming back to this same page;
 * 2. second load: MSAL reads the response → the access token goes to the pane through
 *    messageParent (a channel only the add-in's own origin can use), and the pane closes us.
 * Failures go to the pane as a reason and MSAL's error code, never as MSAL's message text.
 */
export async function runAuthDialog(deps: AuthDialogDeps): Promise<void> {
  const send = (message: DialogMessage) => deps.messageParent(JSON.stringify(message));
  try {
    const result = await deps.client.handleRedirectPromise();
    if (result) {
      const expiresOn = result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000;
      send({ status: 'success', accessToken: result.accessToken, expiresOn });
      return;
    }
    const url = new URL(deps.location);
    const claims = url.searchParams.get(CLAIMS_PARAM) ?? undefined;
    const loginHint = url.searchParams.get(LOGIN_HINT_PARAM) ?? undefined;
    url.search = '';
    url.hash = '';
    await deps.client.acquireTokenRedirect({
      scopes: [...GRAPH_SCOPES],
      redirectUri: url.href,
      ...(claims ? { claims } : {}),
      ...(loginHint ? { loginHint } : {}),
    });
  } catch (error) {
    const failure = classifyMsalError(error);
    const errorCode =
      typeof error === 'object' && error !== null && 'errorCode' in error
        ? String(error.errorCode).slice(0, 100)
        : undefined;
    send({
      status: 'failure',
      reason: failure === 'consentRequired' || failure === 'cancelled' ? failure : 'failed',
      ...(errorCode ? { errorCode } : {}),
    });
  }
}
