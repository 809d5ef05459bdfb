import type { DialogHandle, DialogOptions, Host, SettingValue } from '../../../src/host/host';
import { HostError } from '../../../src/host/host';
import {
  type DialogMsalClient,
  runAuthDialog,
} from '../../../src/outlook/auth/dialog/authDialogPage';

/**
 * A host whose Office dialog really runs the sign-in page's logic (runAuthDialog) against a fake
 * Entra ID: first load redirects away, the second load (after "sign-in") reads the response and
 * posts the token to the pane through messageParent, as Office would deliver it.
 */
export class FakeDialogHost implements Host {
  readonly kind = 'office';
  readonly opened: string[] = [];
  /** What the person does in the dialog. */
  behaviour: 'signIn' | 'close' | 'consent' | 'cannotOpen' = 'signIn';
  /** Claims the fake Entra ID saw in the redirect request. */
  readonly redirects: { claims?: string; loginHint?: string; redirectUri: string }[] = [];

  mailboxAddress = () => 'anna@contoso.example';
  displayLanguage = () => 'en';
  currentItemKind = () => 'none' as const;
  currentItem = async () => ({ kind: 'none' }) as const;
  currentMessage = async () => null;
  getSetting = (): SettingValue | undefined => undefined;
  setSetting = async (): Promise<void> => undefined;

  async displayDialog(url: string, _options: DialogOptions): Promise<DialogHandle> {
    this.opened.push(url);
    if (this.behaviour === 'cannotOpen') throw new HostError('Office said no', 12007);
    const messageListeners: ((message: string) => void)[] = [];
    const closedListeners: (() => void)[] = [];
    // Let the pane register its listeners first, as Office delivers events asynchronously.
    setTimeout(() => void this.runPage(url, messageListeners, closedListeners), 0);
    return {
      close: () => undefined,
      onMessage: (listener) => void messageListeners.push(listener),
      onClosed: (listener) => void closedListeners.push(listener),
    };
  }

  private async runPage(
    url: string,
    messageListeners: ((message: string) => void)[],
    closedListeners: (() => void)[],
  ): Promise<void> {
    if (this.behaviour === 'close') return closedListeners.forEach((l) => l());
    const messageParent = (message: string) => messageListeners.forEach((l) => l(message));
    let returned = false;
    const client: DialogMsalClient = {
      handleRedirectPromise: async () =>
        returned
          ? { accessToken: 'graph-dialog-token', expiresOn: new Date(Date.now() + 3600_000) }
          : null,
      acquireTokenRedirect: async (request) => {
        this.redirects.push({
          claims: request.claims,
          loginHint: request.loginHint,
          redirectUri: request.redirectUri,
        });
        if (this.behaviour === 'consent') {
          throw Object.assign(new Error('consent'), { errorCode: 'consent_required' });
        }
        returned = true;
      },
    };
    await runAuthDialog({ client, location: url, messageParent }); // first load: redirects
    if (returned) await runAuthDialog({ client, location: url, messageParent }); // back again
  }
}
