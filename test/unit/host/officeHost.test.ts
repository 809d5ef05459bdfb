import { HostError } from '../../../src/host/host';
import { OfficeHost } from '../../../src/host/officeHost';
import { fakeOfficeContext, installOfficeEnums } from './fakeOffice';

beforeAll(installOfficeEnums);

test.each([
  [null, 'none'],
  [{ itemType: 'message', subject: 'Hello' }, 'message'],
  [{ itemType: 'appointment', subject: 'Review' }, 'appointmentAttendee'],
  [{ itemType: 'appointment', subject: { getAsync: () => undefined } }, 'appointmentOrganizer'],
] as const)('item %j is a %s', (item, kind) => {
  expect(new OfficeHost(fakeOfficeContext({ item }).context).currentItemKind()).toBe(kind);
});

test('mailbox and display language come from Office', () => {
  const host = new OfficeHost(fakeOfficeContext({}).context);
  expect(host.mailboxAddress()).toBe('ben@fabrikam.example');
  expect(host.displayLanguage()).toBe('sv-SE');
});

test('settings are saved through saveAsync; a failed save rejects with a HostError', async () => {
  const ok = fakeOfficeContext({});
  const host = new OfficeHost(ok.context);
  await host.setSetting('appLanguage', 'fi');
  expect(host.getSetting('appLanguage')).toBe('fi');
  expect(host.getSetting('missing')).toBeUndefined();

  const failing = new OfficeHost(fakeOfficeContext({ saveFails: true }).context);
  await expect(failing.setSetting('x', 1)).rejects.toThrow(HostError);
  await expect(failing.setSetting('x', 1)).rejects.toThrow(/Office said no/);
});

test('dialogs open with the size asked for and relay messages and closing', async () => {
  const fake = fakeOfficeContext({});
  const host = new OfficeHost(fake.context);
  const dialog = await host.displayDialog('https://localhost:3000/taskpane.html?view=preferences', {
    widthPercent: 40,
    heightPercent: 60,
  });
  expect(fake.opened[0]?.options).toMatchObject({ width: 40, height: 60 });
  const messages: string[] = [];
  let closed = false;
  dialog.onMessage((m) => messages.push(m));
  dialog.onClosed(() => (closed = true));
  fake.raise('dialogMessageReceived', { message: 'saved' });
  fake.raise('dialogEventReceived', { error: 12006 });
  expect(messages).toEqual(['saved']);
  expect(closed).toBe(true);

  const failing = new OfficeHost(fakeOfficeContext({ dialogFails: true }).context);
  await expect(failing.displayDialog('x', { widthPercent: 1, heightPercent: 1 })).rejects.toThrow(
    HostError,
  );
});

test('a pinned pane follows ItemChanged: listeners hear it once each, and a null item is none', async () => {
  const { context } = fakeOfficeContext({
    item: { itemType: 'message', subject: 'First', from: { emailAddress: 'a@x.example' } } as never,
  });
  const registered: { type: string; handler: (arg: unknown) => void }[] = [];
  context.mailbox.addHandlerAsync = (type, handler, callback) => {
    registered.push({ type: String(type), handler });
    callback?.({ status: 'succeeded', value: undefined });
  };
  const host = new OfficeHost(context);
  let heardA = 0;
  let heardB = 0;
  const stopA = host.onItemChanged(() => void (heardA += 1));
  host.onItemChanged(() => void (heardB += 1));
  // One Office handler for the pane, of Office.EventType.ItemChanged's value.
  expect(registered.map((r) => r.type)).toEqual(['olkItemSelectedChanged']);
  expect((await host.currentMessage())?.subject).toBe('First');

  // Outlook updates mailbox.item before it calls the handler (outlook/pinnable-taskpane.md).
  context.mailbox.item = {
    itemType: 'message',
    subject: 'Second',
    from: { emailAddress: 'b@y.example', displayName: 'B' },
  };
  registered[0]!.handler({ type: 'olkItemSelectedChanged' });
  expect([heardA, heardB]).toEqual([1, 1]);
  expect((await host.currentMessage())?.sender.address).toBe('b@y.example');

  stopA();
  context.mailbox.item = null; // nothing selected: the handler must expect a null item
  registered[0]!.handler({ type: 'olkItemSelectedChanged' });
  expect([heardA, heardB]).toEqual([1, 2]);
  expect(host.currentItemKind()).toBe('none');
  expect(await host.currentMessage()).toBeNull();
  expect(await host.currentItem()).toEqual({ kind: 'none' });
});
