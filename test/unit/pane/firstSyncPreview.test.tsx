/**
 * The Sign-in section around the first sync (SPEC C3, C4, C8, S5): the preview the person
 * confirms by starting, the automatic sign-in on load with a remembered sign-in, sync resumed
 * when it was started before, and one clear message when the remembered sign-in fails.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { memorySettingsStore, type SettingsStore } from '../../../src/host/settingsStore';
import { SyncError } from '../../../src/sync/core/errors';
import type { PreviewOutcome } from '../../../src/sync/engine/preview';
import { connectionSettingKeys } from '../../../src/taskpane/connection/connectionService';
import { defaultPreferences } from '../../../src/taskpane/preferences/preferences';
import {
  preferencesSettingKey,
  toSetting,
} from '../../../src/taskpane/preferences/preferencesStore';
import { FakeConnectionService } from './fakeConnectionService';
import { fakePreviewSync, fakeStartSync } from './fakeStartSync';
import { connect, renderPane } from './renderPane';

const item = (id: string, subject: string, side: 'outlook' | 'crm' = 'outlook') => ({
  side,
  id,
  subject,
  start: '2026-11-24T09:00:00Z',
});

const preview: PreviewOutcome = {
  state: 'ready',
  preview: {
    counts: { link: 1, createInCrm: 2, createInOutlook: 1, updateCrm: 1 },
    items: {
      link: [item('o1', 'Pair')],
      createInCrm: [item('o2', '<b>Bold</b> plan'), item('o3', '')],
      createInOutlook: [item('c1', 'From the CRM', 'crm')],
    },
    skipped: [
      { reason: 'typeNotSynced', items: [item('c2', 'Call', 'crm'), item('c3', 'Call 2', 'crm')] },
      { reason: 'privateNotSynced', items: [item('o4', 'Doctor')] },
    ],
    brake: null,
    invitations: 0,
  },
};

/** Roaming settings with the automatic sign-in switched on (Preferences, SPEC C4). */
function withAutoSignIn(settings: SettingsStore = memorySettingsStore()): SettingsStore {
  const prefs = defaultPreferences('en');
  const { language: _language, ...rest } = {
    ...prefs,
    options: { ...prefs.options, signInAutomatically: true },
  };
  settings.set(preferencesSettingKey, toSetting(rest));
  settings.set(connectionSettingKeys.address, 'https://crm.example.com');
  return settings;
}

test('the preview counts each action and groups what is skipped; Start confirms it', async () => {
  const sync = fakeStartSync();
  const dry = fakePreviewSync(preview);
  await renderPane({ startSync: sync.start, previewSync: dry.preview });
  await connect();

  const toCrm = await screen.findByRole('button', {
    name: 'Will be copied from Outlook to the CRM: 2',
  });
  expect(screen.getByRole('button', { name: 'Already in both, will be linked: 1' })).toBeTruthy();
  expect(
    screen.getByRole('button', { name: 'Will be copied from the CRM to Outlook: 1' }),
  ).toBeTruthy();
  expect(screen.getByText('Not synced: 3')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Its activity type is not synced: 2' })).toBeTruthy();
  expect(
    screen.getByRole('button', { name: 'Private, and private items are not synced: 1' }),
  ).toBeTruthy();
  expect(dry.calls).toHaveLength(1);
  expect(dry.calls[0]).toMatchObject({ calendarId: 'cal-default', busySubject: 'Busy' });

  // A subject is text, never markup; an empty one is named as such.
  fireEvent.click(toCrm);
  const region = toCrm.closest('.fui-AccordionItem') as HTMLElement;
  expect(await within(region).findByText('<b>Bold</b> plan')).toBeTruthy();
  expect(region.querySelector('b')).toBeNull();
  expect(within(region).getByText('(no subject)')).toBeTruthy();

  fireEvent.click(screen.getByRole('checkbox', { name: 'I have read this' }));
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Start sync' }));
  });
  expect(sync.calls).toHaveLength(1);
});

test('the preview says how many invitations the copies to Outlook would send, before Start (issue 12)', async () => {
  const ready = preview.state === 'ready' ? preview.preview : null;
  const dry = fakePreviewSync({ state: 'ready', preview: { ...ready!, invitations: 3 } });
  await renderPane({ previewSync: dry.preview });
  await connect();
  expect(
    await screen.findByText('Copying to Outlook sends 3 meeting invitations from your mailbox.'),
  ).toBeTruthy();
});

test('without invitations to send, the preview says nothing about them', async () => {
  const dry = fakePreviewSync(preview);
  await renderPane({ previewSync: dry.preview });
  await connect();
  await screen.findByRole('button', { name: 'Will be copied from Outlook to the CRM: 2' });
  expect(screen.queryByText(/meeting invitation/)).toBeNull();
});

test('a failed preview says so, keeps Start disabled, and Try again asks once more', async () => {
  const failing = fakePreviewSync({
    state: 'failed',
    error: new SyncError('crmUnreachable', 'ECONNREFUSED'),
  });
  await renderPane({ previewSync: failing.preview });
  await connect();
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain('The first sync could not be checked.');
  fireEvent.click(screen.getByRole('checkbox', { name: 'I have read this' }));
  expect((screen.getByRole('button', { name: 'Start sync' }) as HTMLButtonElement).disabled).toBe(
    true,
  );
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  });
  expect(failing.calls).toHaveLength(2);
});

test('with a remembered sign-in and the preference on, the pane signs in by itself', async () => {
  const fake = new FakeConnectionService();
  fake.remembered = { username: 'anna', address: 'https://crm.example.com' };
  const sync = fakeStartSync();
  await renderPane({ connection: fake, settings: withAutoSignIn(), startSync: sync.start });
  await screen.findByRole('heading', { name: 'Connected to the CRM' });
  expect(fake.resumeCalls).toBe(1);
  expect(fake.connectCalls).toEqual([]);
  // Never started here before: the first sync still waits for the preview and the warnings.
  expect(sync.calls).toEqual([]);
  expect(screen.getByRole('button', { name: 'Start sync' })).toBeTruthy();
});

test('sync started before resumes on the saved calendar after the automatic sign-in', async () => {
  const fake = new FakeConnectionService();
  fake.remembered = { username: 'anna', address: 'https://crm.example.com' };
  const settings = withAutoSignIn();
  settings.set(connectionSettingKeys.syncStarted, true);
  settings.set(connectionSettingKeys.calendarId, 'cal-shared');
  const sync = fakeStartSync();
  const dry = fakePreviewSync(preview);
  await renderPane({ connection: fake, settings, startSync: sync.start, previewSync: dry.preview });
  await screen.findByText('Sync status: Up to date');
  expect(sync.calls).toHaveLength(1);
  expect(sync.calls[0]).toMatchObject({ calendarId: 'cal-shared' });
  expect(dry.calls).toEqual([]); // not a first sync: nothing to preview
});

test('without the preference the remembered sign-in waits for the person', async () => {
  const fake = new FakeConnectionService();
  fake.remembered = { username: 'anna', address: 'https://crm.example.com' };
  await renderPane({ connection: fake });
  expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
  expect(fake.resumeCalls).toBe(0);
});

test('a remembered sign-in the CRM refuses shows the form with one message', async () => {
  const fake = new FakeConnectionService();
  fake.resumeFailure = new SyncError('sessionExpired', 'The CRM session ended');
  await renderPane({ connection: fake, settings: withAutoSignIn() });
  await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(1));
  expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
  expect(fake.resumeCalls).toBe(1);
});

test('Start sync remembers that sync runs, and unpairing forgets it (S5)', async () => {
  const settings = memorySettingsStore();
  await renderPane({ settings });
  await connect();
  await screen.findByRole('button', { name: /Will be copied from Outlook to the CRM/ });
  fireEvent.click(screen.getByRole('checkbox', { name: 'I have read this' }));
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Start sync' }));
  });
  expect(settings.get(connectionSettingKeys.syncStarted)).toBe(true);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Unpair' }));
  });
  expect(settings.get(connectionSettingKeys.syncStarted)).toBe(false);
});
