import type { OfficeContextLike } from '../../../src/host/officeContext';
import { startPane } from '../../../src/taskpane/startPane';
import { FakeConnectionService } from './fakeConnectionService';
import { fakeStartSync } from './fakeStartSync';
import { sandboxConfig } from './renderPane';

const noHost = async () => ({ kind: 'no-host' }) as const;
const connectionService = () => new FakeConnectionService();

function fakeOffice(displayLanguage: string, settings: Record<string, unknown> = {}) {
  const context: OfficeContextLike = {
    displayLanguage,
    mailbox: { userProfile: { emailAddress: 'ben@fabrikam.example' }, item: null },
    roamingSettings: {
      get: (name) => settings[name],
      set: (name, value) => void (settings[name] = value),
      saveAsync: (callback) => callback?.({ status: 'succeeded', value: undefined }),
    },
    ui: { displayDialogAsync: () => undefined },
  };
  return async () => ({ kind: 'office', context }) as const;
}

test('an invalid configuration becomes a readable error naming the field', async () => {
  const start = await startPane({
    connectionService,
    startSync: fakeStartSync().start,
    rawConfig: { ...sandboxConfig, graphBaseUrl: 'not a url' },
    waitForOffice: noHost,
    browserLanguages: ['sv-SE'],
  });
  expect(start.kind).toBe('config-error');
  if (start.kind !== 'config-error') return;
  expect(start.details).toMatch(/graphBaseUrl/);
  expect(start.i18n.language).toBe('sv');
});

test('a missing configuration (no DefinePlugin) is an error too, not a crash', async () => {
  const start = await startPane({
    connectionService,
    startSync: fakeStartSync().start,
    rawConfig: undefined,
    waitForOffice: noHost,
    browserLanguages: [],
  });
  expect(start.kind).toBe('config-error');
});

test('outside Office the configured fallback decides: standalone demo host or none', async () => {
  const standalone = await startPane({
    connectionService,
    startSync: fakeStartSync().start,
    rawConfig: sandboxConfig,
    waitForOffice: noHost,
    browserLanguages: ['it-IT', 'en'],
  });
  expect(standalone.kind).toBe('ready');
  if (standalone.kind !== 'ready') return;
  expect(standalone.host.kind).toBe('standalone');
  expect(standalone.host.mailboxAddress()).toBe('anna@contoso.example');
  expect(standalone.i18n.language).toBe('it');

  const none = await startPane({
    connectionService,
    startSync: fakeStartSync().start,
    rawConfig: { ...sandboxConfig, hostFallback: { kind: 'none' } },
    waitForOffice: noHost,
    browserLanguages: [],
  });
  expect(none.kind).toBe('no-host');
});

test("inside Outlook the Office host is used and Office's display language wins over the browser's", async () => {
  const start = await startPane({
    connectionService,
    startSync: fakeStartSync().start,
    rawConfig: sandboxConfig,
    waitForOffice: fakeOffice('fi-FI'),
    browserLanguages: ['de-DE'],
  });
  expect(start.kind).toBe('ready');
  if (start.kind !== 'ready') return;
  expect(start.host.kind).toBe('office');
  expect(start.host.mailboxAddress()).toBe('ben@fabrikam.example');
  expect(start.i18n.language).toBe('fi');
});

test('a saved language choice wins; unsupported languages fall back to English', async () => {
  const saved = await startPane({
    connectionService,
    startSync: fakeStartSync().start,
    rawConfig: sandboxConfig,
    waitForOffice: fakeOffice('fi-FI', { appLanguage: 'sv' }),
    browserLanguages: [],
  });
  expect(saved.i18n.language).toBe('sv');
  const unsupported = await startPane({
    connectionService,
    startSync: fakeStartSync().start,
    rawConfig: sandboxConfig,
    waitForOffice: fakeOffice('ja-JP'),
    browserLanguages: ['pt-BR'],
  });
  expect(unsupported.i18n.language).toBe('en');
});
