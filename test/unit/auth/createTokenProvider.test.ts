import { parseAddinConfig } from '../../../src/config/addinConfig';
import { createTokenProvider } from '../../../src/outlook/auth/createTokenProvider';
import { MsalTokenProvider } from '../../../src/outlook/auth/msalTokenProvider';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { FakeDialogHost } from './fakeDialogHost';

const base = {
  addinOrigin: 'https://localhost:3000',
  environment: 'sandbox',
  officeJsUrl: '/office-js/office.js',
  graphBaseUrl: 'http://localhost:3002/v1.0',
  hostFallback: { kind: 'none' },
};

test('auth.kind "sandbox" gives the emulator token provider', () => {
  const config = parseAddinConfig({
    ...base,
    auth: { kind: 'sandbox', tokenUrl: 'http://localhost:3002/sandbox/token' },
  });
  expect(createTokenProvider(config, { host: new FakeDialogHost() })).toBeInstanceOf(
    SandboxTokenProvider,
  );
});

test('auth.kind "msal" gives the NAA provider (MSAL starts lazily, on first use)', () => {
  const config = parseAddinConfig({
    ...base,
    environment: 'production',
    auth: { kind: 'msal', clientId: 'c1', authority: 'https://login.microsoftonline.com/common' },
  });
  const provider = createTokenProvider(config, {
    host: new FakeDialogHost(),
    baseUrl: 'https://addin.example.com/taskpane.html',
    naaSupported: () => false,
  });
  expect(provider).toBeInstanceOf(MsalTokenProvider);
});
