import type { DialogHandle, Host } from '../../host/host';
import { SyncError } from '../../sync/core/errors';
import { CLAIMS_PARAM, LOGIN_HINT_PARAM, dialogMessageSchema } from './dialogProtocol';

export interface DialogToken {
  readonly accessToken: string;
  readonly expiresOn: number;
}

/**
 * The last resort when NAA is unavailable or the popup is blocked (REQUIREMENTS.md: silent → popup
 * → Office dialog): opens the sign-in page in an Office dialog, which runs a standard MSAL sign-in
 * in its own window and posts the token back. Settles once: on the first message, or when the
 * person closes the dialog.
 */
export async function signInWithDialog(
  host: Host,
  dialogUrl: string,
  claims: string | undefined,
): Promise<DialogToken> {
  const url = new URL(dialogUrl);
  if (claims) url.searchParams.set(CLAIMS_PARAM, claims);
  // The dialog signs in the mailbox's own account, as the popup does (issue 11 item 6).
  const loginHint = host.mailboxAddress();
  if (loginHint) url.searchParams.set(LOGIN_HINT_PARAM, loginHint);
  let dialog: DialogHandle;
  try {
    dialog = await host.displayDialog(url.href, { widthPercent: 40, heightPercent: 60 });
  } catch (cause) {
    throw new SyncError('graphSignInFailed', 'The sign-in dialog could not be opened', { cause });
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    dialog.onMessage((raw) => {
      settle(() => {
        dialog.close();
        const message = parseMessage(raw);
        if (message?.status === 'success') {
          resolve({ accessToken: message.accessToken, expiresOn: message.expiresOn });
          return;
        }
        const code =
          message?.status === 'failure' && message.reason === 'consentRequired'
            ? 'graphConsentRequired'
            : 'graphSignInFailed';
        const detail = message
          ? `${message.reason} (${message.errorCode ?? 'no code'})`
          : 'bad message';
        reject(new SyncError(code, `Sign-in in the dialog failed: ${detail}`));
      });
    });
    dialog.onClosed(() =>
      settle(() => reject(new SyncError('graphSignInFailed', 'The sign-in dialog was closed'))),
    );
  });
}

function parseMessage(raw: string) {
  try {
    const parsed = dialogMessageSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
