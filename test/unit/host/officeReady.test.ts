import { waitForOffice } from '../../../src/host/officeReady';

function installOffice(context: Record<string, unknown> | undefined, host: string | null) {
  Object.defineProperty(globalThis, 'Office', {
    configurable: true,
    value: { onReady: async () => ({ host, platform: null }), context },
  });
}

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'Office');
});

test('no host, or a host without a mailbox (an Office dialog), is "no host"', async () => {
  installOffice({ displayLanguage: 'en-US' }, null);
  await expect(waitForOffice(1000)).resolves.toEqual({ kind: 'no-host' });
  installOffice({ displayLanguage: 'en-US', ui: {} }, 'Outlook');
  await expect(waitForOffice(1000)).resolves.toEqual({ kind: 'no-host' });
  installOffice({ displayLanguage: 'it-IT', ui: { messageParent: () => undefined } }, 'Outlook');
  await expect(waitForOffice(1000)).resolves.toEqual({ kind: 'no-host' });
});

test('a task pane with a mailbox is the Office host', async () => {
  installOffice({ displayLanguage: 'en-US', mailbox: { userProfile: {} }, ui: {} }, 'Outlook');
  await expect(waitForOffice(1000)).resolves.toMatchObject({ kind: 'office' });
});
