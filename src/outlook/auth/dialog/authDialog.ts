import { createStandardPublicClientApplication } from '@azure/msal-browser';
import { parseAddinConfig } from '../../../config/addinConfig';
import { runAuthDialog } from './authDialogPage';

/**
 * Entry of auth-dialog.html (webpack entry `auth-dialog`, template auth-dialog.html here). Runs
 * only inside the Office dialog that MsalTokenProvider opens as its last fallback.
 */
async function main(): Promise<void> {
  const config = parseAddinConfig(__ADDIN_CONFIG__);
  if (config.auth.kind !== 'msal') return;
  await Office.onReady();
  const client = await createStandardPublicClientApplication({
    auth: { clientId: config.auth.clientId, authority: config.auth.authority },
    // The dialog's window is separate from the pane's: nothing to share, keep it per window.
    cache: { cacheLocation: 'sessionStorage' },
  });
  await runAuthDialog({
    client,
    location: window.location.href,
    messageParent: (message) => Office.context.ui.messageParent(message),
  });
}

void main();
