import { createCommandHandlers, type CompletableEvent } from '../../../src/commands/handlers';
import type { DialogHandle, Host } from '../../../src/host/host';
import { memorySettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import { cacheActivityTypes } from '../../../src/taskpane/preferences/activityTypesCache';
import {
  encodeDialogMessage,
  parseDialogInit,
} from '../../../src/taskpane/preferences/dialogProtocol';
import {
  defaultPreferences,
  type Preferences,
} from '../../../src/taskpane/preferences/preferences';
import {
  readPreferences,
  writePreferences,
} from '../../../src/taskpane/preferences/preferencesStore';
import { fakeType } from '../pane/fakeConnectionService';

/** A host whose dialog the test drives: what it was opened with, messages, close. */
function setup() {
  const base = new StandaloneHost({
    mailbox: 'anna@contoso.example',
    settings: memorySettingsStore(),
  });
  const opened: string[] = [];
  let send: (message: string) => void = () => undefined;
  let closedByUser: () => void = () => undefined;
  let closes = 0;
  const dialog: DialogHandle = {
    close: () => void closes++,
    onMessage: (listener) => void (send = listener),
    onClosed: (listener) => void (closedByUser = listener),
  };
  const host: Host = Object.assign(Object.create(base) as Host, {
    displayDialog: async (url: string) => {
      opened.push(url);
      return dialog;
    },
  });
  const handlers = createCommandHandlers({
    host: () => host,
    now: () => new Date('2025-03-04T09:30:00Z'),
    paneUrl: (view) => `https://localhost:3000/taskpane.html?view=${view}`,
  });
  let completed = 0;
  const event: CompletableEvent = { completed: () => void completed++ };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    host,
    handlers,
    event,
    opened,
    tick,
    send: (message: string) => send(message),
    closeByUser: () => closedByUser(),
    completed: () => completed,
    closes: () => closes,
  };
}

const changed: Preferences = {
  ...defaultPreferences('sv'),
  outlookToCrm: { daysBack: 14, daysAhead: 30, createTypes: [], editTypes: 'all' },
  privateMode: 'busy',
};

test('opens the preferences view with the saved values and the known activity types', async () => {
  const t = setup();
  await writePreferences(t.host, changed);
  const types = [fakeType('t-call', 'Phone call', 'Puhelu')];
  await cacheActivityTypes(t.host, types);
  void t.handlers.openPreferences?.(t.event);
  await t.tick();
  expect(t.opened).toHaveLength(1);
  const url = new URL(t.opened[0]!);
  expect(url.pathname).toBe('/taskpane.html');
  expect(url.searchParams.get('view')).toBe('preferences');
  expect(parseDialogInit(url.search, 'en')).toEqual({ preferences: changed, activityTypes: types });
});

test('a valid message is saved into roaming settings, the dialog closed and the command completed', async () => {
  const t = setup();
  const done = t.handlers.openPreferences?.(t.event);
  await t.tick();
  expect(t.completed()).toBe(0);
  t.send(encodeDialogMessage(changed));
  await done;
  expect(readPreferences(t.host, 'en')).toEqual(changed);
  expect(t.closes()).toBe(1);
  expect(t.completed()).toBe(1);
});

test('a message that fails validation saves nothing and leaves the dialog open', async () => {
  const t = setup();
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const done = t.handlers.openPreferences?.(t.event);
  await t.tick();
  const tooFar = { ...changed, outlookToCrm: { ...changed.outlookToCrm, daysBack: 61 } };
  t.send(JSON.stringify({ kind: 'preferencesSaved', preferences: tooFar }));
  t.send('{"kind":"preferencesSaved"');
  await t.tick();
  expect(readPreferences(t.host, 'en')).toEqual(defaultPreferences('en'));
  expect(t.closes()).toBe(0);
  expect(t.completed()).toBe(0);
  expect(warn).toHaveBeenCalledTimes(2);
  t.closeByUser();
  await done;
  expect(t.completed()).toBe(1);
  warn.mockRestore();
});
