import { createCommandHandlers, type CompletableEvent } from '../../../src/commands/handlers';
import {
  askOpenPaneToSignIn,
  isPaneMessage,
  maxPendingSync,
  syncRequestChannel,
  readPendingSync,
  takePendingSync,
} from '../../../src/commands/pendingSync';
import type { DialogHandle, Host } from '../../../src/host/host';
import { memorySettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';

function completion() {
  let completed = 0;
  const event: CompletableEvent = { completed: () => void (completed += 1) };
  return { event, count: () => completed };
}

function setup(
  overrides: Partial<Host> = {},
  extra: { askOpenPane?: () => Promise<boolean>; announce?: () => void } = {},
) {
  const base = new StandaloneHost({
    mailbox: 'anna@contoso.example',
    settings: memorySettingsStore(),
  });
  const host: Host = Object.assign(Object.create(base) as Host, overrides);
  const now = new Date('2025-03-04T09:30:00Z');
  const handlers = createCommandHandlers({
    host: () => host,
    now: () => now,
    paneUrl: (view) => `https://localhost:3000/taskpane.html?view=${view}`,
    askOpenPane: extra.askOpenPane ?? (async () => false),
    announce: extra.announce ?? (() => undefined),
  });
  return { host, handlers };
}

test.each([
  ['onNewAppointmentOrganizer', 'OnNewAppointmentOrganizer'],
  ['onAppointmentTimeChanged', 'OnAppointmentTimeChanged'],
  ['onAppointmentAttendeesChanged', 'OnAppointmentAttendeesChanged'],
  ['onAppointmentRecurrenceChanged', 'OnAppointmentRecurrenceChanged'],
  ['syncNow', 'syncNow'],
])('%s notes a pending push, announces it to an open pane and completes', async (name, trigger) => {
  let announced = 0;
  const { host, handlers } = setup({}, { announce: () => void (announced += 1) });
  const { event, count } = completion();
  await handlers[name]?.(event);
  expect(count()).toBe(1);
  expect(readPendingSync(host)).toEqual([{ trigger, at: '2025-03-04T09:30:00.000Z' }]);
  expect(announced).toBe(1);
});

test('sign-in with a pane open leaves it to the pane: no dialog, completed at once', async () => {
  const opened: string[] = [];
  const { handlers } = setup(
    {
      displayDialog: async (url) => {
        opened.push(url);
        throw new Error('no dialog expected');
      },
    },
    { askOpenPane: async () => true },
  );
  const { event, count } = completion();
  await handlers.signIn?.(event);
  expect(count()).toBe(1);
  expect(opened).toEqual([]);
});

test('an open pane answers the ribbon over the channel; with none, the ask times out', async () => {
  expect(await askOpenPaneToSignIn(50)).toBe(false);
  const pane = new BroadcastChannel(syncRequestChannel);
  const heard: unknown[] = [];
  pane.onmessage = (message: MessageEvent) => {
    heard.push(message.data);
    const data: unknown = message.data;
    if (isPaneMessage(data) && data.kind === 'signIn') {
      pane.postMessage({ kind: 'paneHere', id: data.id });
    }
  };
  try {
    expect(await askOpenPaneToSignIn(2000)).toBe(true);
    expect(heard).toEqual([{ kind: 'signIn', id: expect.any(String) }]);
  } finally {
    pane.close();
  }
});

test('a failing save still completes the event and throws nothing into Office', async () => {
  const { handlers } = setup({ setSetting: () => Promise.reject(new Error('quota')) });
  const { event, count } = completion();
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  await expect(handlers.onAppointmentTimeChanged?.(event)).resolves.toBeUndefined();
  expect(count()).toBe(1);
  spy.mockRestore();
});

test('the queue keeps the newest notes only and is emptied by its consumer', async () => {
  const { host, handlers } = setup();
  for (let i = 0; i < maxPendingSync + 5; i++) await handlers.syncNow?.(completion().event);
  expect(readPendingSync(host)).toHaveLength(maxPendingSync);
  expect(await takePendingSync(host)).toHaveLength(maxPendingSync);
  expect(readPendingSync(host)).toEqual([]);
});

test('sign-in opens the pane in a dialog and completes when it closes', async () => {
  let close: () => void = () => undefined;
  const opened: string[] = [];
  const dialog: DialogHandle = {
    close: () => undefined,
    onMessage: () => undefined,
    onClosed: (listener) => void (close = listener),
  };
  const { handlers } = setup({
    displayDialog: async (url) => {
      opened.push(url);
      return dialog;
    },
  });
  const { event, count } = completion();
  const done = handlers.signIn?.(event);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(opened).toEqual(['https://localhost:3000/taskpane.html?view=connection']);
  expect(count()).toBe(0);
  close();
  await done;
  expect(count()).toBe(1);
});

test('a dialog that cannot open still completes the command', async () => {
  const { handlers } = setup({ displayDialog: () => Promise.reject(new Error('blocked')) });
  const { event, count } = completion();
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  await handlers.signIn?.(event);
  expect(count()).toBe(1);
  spy.mockRestore();
});
