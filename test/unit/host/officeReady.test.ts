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

test('an Office dialog (no mailbox, but messageParent) is told apart from a task pane', async () => {
  const sent: string[] = [];
  installOffice(
    { displayLanguage: 'it-IT', ui: { messageParent: (m: string) => sent.push(m) } },
    'Outlook',
  );
  const result = await waitForOffice(1000);
  expect(result.kind).toBe('dialog');
  if (result.kind !== 'dialog') return;
  expect(result.displayLanguage).toBe('it-IT');
  result.messageParent('hello');
  expect(sent).toEqual(['hello']);
});

test('no host, or a host with neither mailbox nor messageParent, is "no host"', async () => {
  installOffice({ displayLanguage: 'en-US' }, null);
  await expect(waitForOffice(1000)).resolves.toEqual({ kind: 'no-host' });
  installOffice({ displayLanguage: 'en-US', ui: {} }, 'Outlook');
  await expect(waitForOffice(1000)).resolves.toEqual({ kind: 'no-host' });
});

test('a task pane with a mailbox is the Office host', async () => {
  installOffice({ displayLanguage: 'en-US', mailbox: { userProfile: {} }, ui: {} }, 'Outlook');
  await expect(waitForOffice(1000)).resolves.toMatchObject({ kind: 'office' });
});
