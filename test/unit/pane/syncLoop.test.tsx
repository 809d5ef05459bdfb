/**
 * Issue 13 item 4: the sync loop's life is the pane root's SyncLoop, not a React ref. It starts,
 * stops, and a re-render or an unmount and mount of the pane finds the loop that runs instead of
 * starting a second one.
 */
import { act, screen, waitFor } from '@testing-library/react';
import { memorySettingsStore, type SettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import {
  connectionSettingKeys,
  type Connection,
} from '../../../src/taskpane/connection/connectionService';
import { defaultPreferences } from '../../../src/taskpane/preferences/preferences';
import {
  preferencesSettingKey,
  toSetting,
} from '../../../src/taskpane/preferences/preferencesStore';
import type { StartSyncInput } from '../../../src/taskpane/sync/syncController';
import { SyncLoop } from '../../../src/taskpane/sync/syncLoop';
import { FakeConnectionService } from './fakeConnectionService';
import { fakeStartSync } from './fakeStartSync';
import { renderPane, sandboxConfig } from './renderPane';

function connection(mailbox = 'anna@contoso.example'): Connection {
  return {
    address: 'https://crm.example.com',
    user: { displayName: 'Anna', email: mailbox },
    mailbox,
    calendars: [{ id: 'cal-1', name: 'Calendar', isDefault: true, canEdit: true }],
    activityTypes: async () => [],
    startSync: async () => undefined,
    signOut: async () => undefined,
    unpair: async () => undefined,
  };
}

function input(conn: Connection, calendarId = 'cal-1'): StartSyncInput {
  return {
    connection: conn,
    calendarId,
    config: sandboxConfig,
    host: new StandaloneHost({ mailbox: conn.mailbox, settings: memorySettingsStore() }),
    busySubject: 'Busy',
  };
}

test('the loop starts once for a connection and calendar, however often it is asked, and stops', async () => {
  const sync = fakeStartSync();
  const loop = new SyncLoop(sync.start);
  const seen: string[] = [];
  loop.subscribe(() => seen.push(loop.getSnapshot().state));
  const conn = connection();
  expect(loop.getSnapshot().state).toBe('stopped');

  // Asked twice while it starts and once after: one controller.
  const [a, b] = await Promise.all([loop.start(input(conn)), loop.start(input(conn))]);
  const c = await loop.start(input(conn));
  expect(a).toBe(b);
  expect(c).toBe(a);
  expect(sync.calls).toHaveLength(1);
  expect(loop.getSnapshot()).toMatchObject({ state: 'running', controller: a });
  expect(seen).toEqual(['starting', 'running']);

  loop.stop();
  expect(sync.controllers[0]?.stopped).toBe(true);
  expect(loop.getSnapshot().state).toBe('stopped');
});

test('another calendar replaces the loop (the old one stopped first); resume runs the stopped one again', async () => {
  const sync = fakeStartSync();
  const loop = new SyncLoop(sync.start);
  const conn = connection();
  const first = await loop.start(input(conn, 'cal-1'));
  const second = await loop.start(input(conn, 'cal-2'));
  expect(second).not.toBe(first);
  expect(sync.controllers.map((x) => x.stopped)).toEqual([true, false]);

  loop.stop();
  expect(sync.controllers[1]?.stopped).toBe(true);
  expect(loop.resume()).toBe(second);
  expect(sync.controllers[1]?.stopped).toBe(false);
  expect(loop.getSnapshot()).toMatchObject({ state: 'running', calendarId: 'cal-2' });
  // Nothing stopped, nothing to resume.
  expect(loop.resume()).toBeNull();
});

test('a loop stopped while it starts never runs beside the next one', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const sync = fakeStartSync();
  const loop = new SyncLoop(async (i) => {
    await gate;
    return sync.start(i);
  });
  const starting = loop.start(input(connection()));
  loop.stop();
  release();
  await expect(starting).rejects.toThrow(/stopped while it started/);
  expect(sync.controllers[0]?.stopped).toBe(true);
  expect(loop.getSnapshot().state).toBe('stopped');
});

function resumingSettings(): SettingsStore {
  const settings = memorySettingsStore();
  const prefs = defaultPreferences('en');
  const { language: _language, ...rest } = {
    ...prefs,
    options: { ...prefs.options, signInAutomatically: true },
  };
  settings.set(preferencesSettingKey, toSetting(rest));
  settings.set(connectionSettingKeys.address, 'https://crm.example.com');
  settings.set(connectionSettingKeys.syncStarted, true);
  settings.set(connectionSettingKeys.calendarId, 'cal-shared');
  return settings;
}

test('the pane unmounted and mounted again finds its loop running: no second loop, no second sign-in', async () => {
  const fake = new FakeConnectionService();
  fake.remembered = { username: 'anna', address: 'https://crm.example.com' };
  const settings = resumingSettings();
  const sync = fakeStartSync();
  const loop = new SyncLoop(sync.start);

  const first = await renderPane({
    connection: fake,
    settings,
    startSync: sync.start,
    syncLoop: loop,
  });
  await screen.findByText('Sync status: Up to date');
  expect(sync.calls).toHaveLength(1);
  // A re-render of the connection's provider (a new language gives it new callbacks) starts nothing.
  await act(async () => {
    await first.i18n.changeLanguage('fi');
  });
  await act(async () => {
    await first.i18n.changeLanguage('en');
  });
  await screen.findByText('Sync status: Up to date');
  expect(sync.calls).toHaveLength(1);
  first.unmount();
  // Unmounting is not stopping: the loop belongs to the pane's root.
  expect(sync.controllers[0]?.stopped).toBe(false);
  expect(loop.getSnapshot().state).toBe('running');

  await renderPane({ connection: fake, settings, startSync: sync.start, syncLoop: loop });
  await screen.findByText('Sync status: Up to date');
  expect(sync.calls).toHaveLength(1);
  expect(loop.started).toBe(1);
  expect(fake.resumeCalls).toBe(1);

  // Its "Sync now" reaches the one loop.
  await act(async () => {
    screen.getByRole('button', { name: 'Sync now' }).click();
  });
  await waitFor(() => expect(sync.controllers[0]?.syncNowCalls).toBe(1));
});
