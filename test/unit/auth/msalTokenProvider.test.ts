import { InteractionRequiredAuthError } from '@azure/msal-browser';
import { MsalTokenProvider } from '../../../src/outlook/auth/msalTokenProvider';
import { GRAPH_SCOPES } from '../../../src/outlook/auth/tokenProvider';
import { SyncError } from '../../../src/sync/core/errors';
import { FakeDialogHost } from './fakeDialogHost';
import { FakeMsal, MAILBOX, fakeAccount } from './fakeMsal';

const DIALOG_URL = 'https://addin.example.com/auth-dialog.html';

function setup(options: { naa?: boolean; silentOnly?: boolean } = {}) {
  const msal = new FakeMsal();
  const host = new FakeDialogHost();
  let created = 0;
  const provider = new MsalTokenProvider({
    client: async () => {
      created++;
      return msal;
    },
    host,
    naaSupported: () => options.naa ?? true,
    dialogUrl: DIALOG_URL,
    ...(options.silentOnly ? { silentOnly: true } : {}),
  });
  return { msal, host, provider, created: () => created };
}

const methods = (msal: FakeMsal) => msal.calls.map((c) => c.method);

async function syncErrorOf(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return error;
}

test('silent succeeds: no popup, no dialog, the Graph scopes are asked for', async () => {
  const { msal, host, provider, created } = setup();
  msal.signedIn = true;
  expect(await provider.getToken()).toBe('graph-silent-1');
  await provider.getToken();
  expect(methods(msal)).toEqual(['silent', 'silent']);
  expect(msal.calls[0]?.request).toEqual({
    scopes: [...GRAPH_SCOPES],
    loginHint: MAILBOX,
    account: fakeAccount(MAILBOX),
  });
  expect(host.opened).toEqual([]);
  expect(created()).toBe(1); // the client is created once
});

test('silent needs interaction → popup, then silent again next time', async () => {
  const { msal, host, provider } = setup();
  expect(await provider.getToken()).toBe('graph-popup-1');
  expect(await provider.getToken()).toBe('graph-silent-2');
  // No cached account yet: ssoSilent (as Microsoft's NAA sample does), then the popup.
  expect(methods(msal)).toEqual(['ssoSilent', 'popup', 'silent']);
  expect(host.opened).toEqual([]);
});

test('popup blocked → the Office dialog signs in, and its token is reused until it expires', async () => {
  const { msal, host, provider } = setup();
  msal.popup = 'blocked';
  expect(await provider.getToken()).toBe('graph-dialog-token');
  expect(methods(msal)).toEqual(['ssoSilent', 'popup']);
  expect(host.opened).toEqual([`${DIALOG_URL}?login_hint=anna%40contoso.example`]);
  // The dialog's sign-in is hinted at the mailbox too.
  expect(host.redirects).toEqual([
    { claims: undefined, loginHint: MAILBOX, redirectUri: DIALOG_URL },
  ]);
  expect(await provider.getToken()).toBe('graph-dialog-token');
  expect(host.opened).toHaveLength(1);
});

test('without NAA the dialog is used straight after silent, never a popup', async () => {
  const { msal, host, provider } = setup({ naa: false });
  expect(await provider.getToken()).toBe('graph-dialog-token');
  expect(methods(msal)).toEqual(['ssoSilent']);
  expect(host.opened).toHaveLength(1);
});

test('a claims challenge is passed to silent and popup once, and bypasses cached tokens', async () => {
  const { msal, provider } = setup();
  msal.signedIn = true;
  await provider.getToken();
  const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
  expect(await provider.getToken({ claims })).toBe('graph-popup+claims-2');
  expect(msal.calls.slice(1)).toEqual([
    {
      method: 'silent',
      request: {
        scopes: [...GRAPH_SCOPES],
        claims,
        loginHint: MAILBOX,
        account: fakeAccount(MAILBOX),
      },
    },
    { method: 'popup', request: { scopes: [...GRAPH_SCOPES], claims, loginHint: MAILBOX } },
  ]);
});

test('a claims challenge reaches Entra ID through the dialog too', async () => {
  const { msal, host, provider } = setup();
  msal.popup = 'blocked';
  const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
  await provider.getToken({ claims });
  expect(new URL(host.opened[0]!).searchParams.get('claims')).toBe(claims);
  expect(host.redirects[0]).toEqual({ claims, loginHint: MAILBOX, redirectUri: DIALOG_URL });
});

describe('failures become SyncErrors', () => {
  test('missing consent in the popup → graphConsentRequired', async () => {
    const { msal, provider } = setup();
    msal.popup = 'consent';
    const error = await syncErrorOf(provider.getToken());
    expect(error.code).toBe('graphConsentRequired');
    expect(error.kind).toBe('auth');
    expect(error.cause).toBeInstanceOf(InteractionRequiredAuthError);
  });

  test('the person cancels the popup → graphSignInFailed, no dialog', async () => {
    const { msal, host, provider } = setup();
    msal.popup = 'cancelled';
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphSignInFailed');
    expect(host.opened).toEqual([]);
  });

  test('an unexpected silent failure is not turned into a popup', async () => {
    const { msal, provider } = setup();
    msal.signedIn = true;
    msal.silentFailure = Object.assign(new Error('boom'), {
      errorCode: 'endpoints_resolution_error',
    });
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphSignInFailed');
    expect(methods(msal)).toEqual(['silent']);
  });

  test('the dialog is closed → graphSignInFailed', async () => {
    const { host, provider } = setup({ naa: false });
    host.behaviour = 'close';
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphSignInFailed');
  });

  test('consent missing in the dialog → graphConsentRequired', async () => {
    const { host, provider } = setup({ naa: false });
    host.behaviour = 'consent';
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphConsentRequired');
  });

  test('the dialog cannot open → graphSignInFailed', async () => {
    const { host, provider } = setup({ naa: false });
    host.behaviour = 'cannotOpen';
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphSignInFailed');
  });

  test('MSAL cannot start → graphSignInFailed, and the next call tries again', async () => {
    const msal = new FakeMsal();
    msal.signedIn = true;
    let attempts = 0;
    const provider = new MsalTokenProvider({
      client: async () => {
        if (++attempts === 1) throw new Error('bridge not ready');
        return msal;
      },
      host: new FakeDialogHost(),
      naaSupported: () => true,
      dialogUrl: DIALOG_URL,
    });
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphSignInFailed');
    expect(await provider.getToken()).toBe('graph-silent-1');
  });
});

describe('issue 11 item 6: sign-in never pops up by itself', () => {
  test('a background token request that needs interaction → graphSignInNeeded, no window', async () => {
    const { msal, host, provider } = setup({ silentOnly: true });
    const error = await syncErrorOf(provider.getToken());
    expect(error.code).toBe('graphSignInNeeded');
    expect(error.kind).toBe('auth');
    expect(error.messageKey).toBe('errors.graphSignInNeeded.message');
    expect(methods(msal)).toEqual(['ssoSilent']);
    expect(host.opened).toEqual([]);
  });

  test('without NAA a background request opens no Office dialog either', async () => {
    const { msal, host, provider } = setup({ silentOnly: true, naa: false });
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphSignInNeeded');
    expect(methods(msal)).not.toContain('popup');
    expect(host.opened).toEqual([]);
  });

  test('a claims challenge in a background run asks for the person too, not a popup', async () => {
    const { msal, provider } = setup({ silentOnly: true });
    msal.signedIn = true;
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    expect((await syncErrorOf(provider.getToken({ claims }))).code).toBe('graphSignInNeeded');
    expect(methods(msal)).toEqual(['silent']);
  });

  test('signIn() opens the popup; then background requests succeed silently', async () => {
    const { msal, host, provider } = setup({ silentOnly: true });
    await provider.signIn();
    expect(methods(msal)).toEqual(['ssoSilent', 'popup']);
    expect(await provider.getToken()).toBe('graph-silent-2');
    expect(methods(msal)).toEqual(['ssoSilent', 'popup', 'silent']);
    expect(host.opened).toEqual([]);
  });

  test('signIn() falls back to the Office dialog, whose token background requests reuse', async () => {
    const { msal, host, provider } = setup({ silentOnly: true });
    msal.popup = 'blocked';
    await provider.signIn();
    expect(host.opened).toEqual([`${DIALOG_URL}?login_hint=anna%40contoso.example`]);
    expect(await provider.getToken()).toBe('graph-dialog-token');
    expect(host.opened).toHaveLength(1);
  });

  test('signIn() that the person cancels → graphSignInFailed', async () => {
    const { msal, provider } = setup({ silentOnly: true });
    msal.popup = 'cancelled';
    expect((await syncErrorOf(provider.signIn())).code).toBe('graphSignInFailed');
  });

  test('two concurrent interactive requests open one popup and share its token', async () => {
    const { msal, provider } = setup();
    const release = msal.holdPopups();
    const first = provider.getToken();
    const second = provider.signIn();
    const third = provider.getToken();
    // Let all three fail silently and reach the interactive step while the popup is still open.
    const yieldTurn = () => new Promise((resolve) => setTimeout(resolve, 0));
    const deadline = Date.now() + 2000;
    const silentTries = () => methods(msal).filter((m) => m === 'ssoSilent').length;
    while ((silentTries() < 3 || msal.popupsOpen === 0) && Date.now() < deadline) {
      await yieldTurn();
    }
    await yieldTurn(); // every microtask queued behind the silent failures has now run
    expect(silentTries()).toBe(3);
    release();
    const [a, , c] = await Promise.all([first, second, third]);
    expect(a).toBe(c);
    expect(methods(msal).filter((m) => m === 'popup')).toHaveLength(1);
  });

  test('after a shared popup ends, the next interaction opens a new one', async () => {
    const { msal, provider } = setup();
    msal.popup = 'cancelled';
    await syncErrorOf(provider.getToken());
    msal.popup = 'ok';
    expect(await provider.getToken()).toBe('graph-popup-1');
    expect(methods(msal).filter((m) => m === 'popup')).toHaveLength(2);
  });
});

describe("tokens are for the mailbox's own account", () => {
  test('the popup is hinted at the mailbox, so the mailbox signs in, not whoever is picked', async () => {
    const { msal, provider } = setup();
    await provider.getToken();
    expect(msal.calls.find((c) => c.method === 'popup')?.request.loginHint).toBe(MAILBOX);
    expect(msal.tokensFor).toEqual([MAILBOX]);
  });

  test('of several cached accounts, silent uses the one whose username is the mailbox', async () => {
    const { msal, provider } = setup({ silentOnly: true });
    msal.accounts = [fakeAccount('boss@contoso.example'), fakeAccount('Anna@Contoso.example')];
    await provider.getToken();
    expect(msal.calls[0]?.request.account?.username).toBe('Anna@Contoso.example');
    expect(msal.tokensFor).toEqual(['Anna@Contoso.example']);
  });

  test('another account alone in the cache is never used: ssoSilent for the mailbox instead', async () => {
    const { msal, provider } = setup({ silentOnly: true });
    msal.accounts = [fakeAccount('boss@contoso.example')];
    msal.ssoSession = MAILBOX;
    expect(await provider.getToken()).toBe('graph-sso-1');
    expect(msal.calls).toEqual([
      { method: 'ssoSilent', request: { scopes: [...GRAPH_SCOPES], loginHint: MAILBOX } },
    ]);
    expect(msal.tokensFor).toEqual([MAILBOX]);
  });

  test('the host session of another person does not answer for the mailbox', async () => {
    const { msal, provider } = setup({ silentOnly: true });
    msal.ssoSession = 'boss@contoso.example';
    expect((await syncErrorOf(provider.getToken())).code).toBe('graphSignInNeeded');
    expect(msal.tokensFor).toEqual([]);
  });
});

test("a dialog sign-in made for one provider serves the sync loop's provider too", async () => {
  const msal = new FakeMsal();
  msal.popup = 'blocked';
  const host = new FakeDialogHost();
  const dialogTokens = new Map<string, { accessToken: string; expiresOn: number }>();
  const make = (silentOnly: boolean) =>
    new MsalTokenProvider({
      client: async () => msal,
      host,
      naaSupported: () => true,
      dialogUrl: DIALOG_URL,
      silentOnly,
      dialogTokens,
    });
  await make(false).getToken(); // connecting: the person signs in in the dialog
  expect(await make(true).getToken()).toBe('graph-dialog-token');
  expect(host.opened).toHaveLength(1);
});
