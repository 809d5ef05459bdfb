import { SyncError } from '../../sync/core/errors';

/**
 * What an MSAL failure means for the next step. Read from `errorCode`/`name` rather than
 * `instanceof`, so errors from the nested (NAA) bridge and the standard controller classify alike.
 */
export type MsalFailure =
  | 'interactionRequired' // silent failed: a person must take part (popup or dialog)
  | 'consentRequired' // the user or an admin must consent to the Graph scopes
  | 'popupUnavailable' // the popup was blocked or cannot open here: use the Office dialog
  | 'cancelled' // the person closed the sign-in window
  | 'failed';

const INTERACTION_CODES = new Set([
  'interaction_required',
  'login_required',
  'no_tokens_found',
  'refresh_token_expired',
  'bad_token',
  'native_account_unavailable',
  'no_account_error',
  'token_refresh_required',
]);
const POPUP_CODES = new Set([
  'popup_window_error',
  'empty_window_error',
  'block_nested_popups',
  'popup_not_supported',
]);
// AADSTS65001: consent not granted; AADSTS90094 / 90099: admin consent required.
const CONSENT_MESSAGE = /AADSTS(65001|90094|90099)\b/;

interface AuthErrorShape {
  readonly name?: unknown;
  readonly errorCode?: unknown;
  readonly subError?: unknown;
  readonly errorMessage?: unknown;
}

export function classifyMsalError(error: unknown): MsalFailure {
  if (typeof error !== 'object' || error === null) return 'failed';
  const { name, errorCode, subError, errorMessage } = error as AuthErrorShape;
  const code = typeof errorCode === 'string' ? errorCode : '';
  const message = typeof errorMessage === 'string' ? errorMessage : '';
  if (code === 'consent_required' || subError === 'consent_required') return 'consentRequired';
  if (CONSENT_MESSAGE.test(message)) return 'consentRequired';
  if (POPUP_CODES.has(code)) return 'popupUnavailable';
  if (code === 'user_cancelled') return 'cancelled';
  if (name === 'InteractionRequiredAuthError' || INTERACTION_CODES.has(code)) {
    return 'interactionRequired';
  }
  return 'failed';
}

/** The SyncError the engine and the pane understand; MSAL's own error is kept as the cause. */
export function toGraphAuthError(error: unknown, what: string): SyncError {
  if (error instanceof SyncError) return error;
  const code =
    classifyMsalError(error) === 'consentRequired' ? 'graphConsentRequired' : 'graphSignInFailed';
  const msalCode =
    typeof error === 'object' && error !== null && 'errorCode' in error
      ? String((error as AuthErrorShape).errorCode)
      : 'unknown';
  // Only MSAL's error code goes into the detail: its messages can carry account names.
  return new SyncError(code, `${what} (${msalCode})`, { cause: error });
}
