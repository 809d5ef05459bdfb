import { createCommandHandlers, type CompletableEvent } from '../../../src/commands/handlers';
import {
  maxPendingSync,
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

function setup(overrides: Partial<Host> = {}) {
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
  });
  return { host, handlers };
}

test.each([
  ['onNewAppointmentOrganizer', 'OnNewAppointmentOrganizer'],
  ['onAppointmentTimeChanged', 'OnAppointmentTimeChanged'],
  ['onAppointmentAttendeesChanged', 'OnAppointmentAttendeesChanged'],
  ['onAppointmentRecurrenceChanged', 'OnAppointmentRecurrenceChanged'],
  ['syncNow', 'syncNow'],
])('%s notes a pending push and completes', async (name, trigger) => {
  const { host, handlers } = setup();
  const { event, count } = completion();
  await handlers[name]?.(event);
  expect(count()).toBe(1);
  expect(readPendingSync(host)).toEqual([{ trigger, at: '2025-03-04T09:30:00.000Z' }]);
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
