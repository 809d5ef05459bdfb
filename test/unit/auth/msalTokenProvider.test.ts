import { InteractionRequiredAuthError } from '@azure/msal-browser';
import { MsalTokenProvider } from '../../../src/outlook/auth/msalTokenProvider';
import { GRAPH_SCOPES } from '../../../src/outlook/auth/tokenProvider';
import { SyncError } from '../../../src/sync/core/errors';
import { FakeDialogHost } from './fakeDialogHost';
import { FakeMsal } from './fakeMsal';

const DIALOG_URL = 'https://addin.example.com/auth-dialog.html';

function setup(options: { naa?: boolean } = {}) {
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
  expect(msal.calls[0]?.request).toEqual({ scopes: [...GRAPH_SCOPES] });
  expect(host.opened).toEqual([]);
  expect(created()).toBe(1); // the client is created once
});

test('silent needs interaction → popup, then silent again next time', async () => {
  const { msal, host, provider } = setup();
  expect(await provider.getToken()).toBe('graph-popup-1');
  expect(await provider.getToken()).toBe('graph-silent-2');
  expect(methods(msal)).toEqual(['silent', 'popup', 'silent']);
  expect(host.opened).toEqual([]);
});

test('popup blocked → the Office dialog signs in, and its token is reused until it expires', async () => {
  const { msal, host, provider } = setup();
  msal.popup = 'blocked';
  expect(await provider.getToken()).toBe('graph-dialog-token');
  expect(methods(msal)).toEqual(['silent', 'popup']);
  expect(host.opened).toEqual([DIALOG_URL]);
  expect(host.redirects).toEqual([{ claims: undefined, redirectUri: DIALOG_URL }]);
  expect(await provider.getToken()).toBe('graph-dialog-token');
  expect(host.opened).toHaveLength(1);
});

test('without NAA the dialog is used straight after silent, never a popup', async () => {
  const { msal, host, provider } = setup({ naa: false });
  expect(await provider.getToken()).toBe('graph-dialog-token');
  expect(methods(msal)).toEqual(['silent']);
  expect(host.opened).toHaveLength(1);
});

test('a claims challenge is passed to silent and popup once, and bypasses cached tokens', async () => {
  const { msal, provider } = setup();
  msal.signedIn = true;
  await provider.getToken();
  const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
  expect(await provider.getToken({ claims })).toBe('graph-popup+claims-2');
  expect(msal.calls.slice(1)).toEqual([
    { method: 'silent', request: { scopes: [...GRAPH_SCOPES], claims } },
    { method: 'popup', request: { scopes: [...GRAPH_SCOPES], claims } },
  ]);
});

test('a claims challenge reaches Entra ID through the dialog too', async () => {
  const { msal, host, provider } = setup();
  msal.popup = 'blocked';
  const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
  await provider.getToken({ claims });
  expect(new URL(host.opened[0]!).searchParams.get('claims')).toBe(claims);
  expect(host.redirects[0]).toEqual({ claims, redirectUri: DIALOG_URL });
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
