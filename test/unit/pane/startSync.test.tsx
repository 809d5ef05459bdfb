import { act, fireEvent, screen } from '@testing-library/react';
import { msUntilNextMidnight, pickDefaultTypeId } from '../../../src/taskpane/sync/startSync';
import { FakeConnectionService } from './fakeConnectionService';
import { fakeStartSync } from './fakeStartSync';
import { connect, renderPane } from './renderPane';

async function startWith(calendar: string) {
  fireEvent.click(screen.getByRole('combobox', { name: 'Calendar to sync' }));
  fireEvent.click(screen.getByRole('option', { name: calendar }));
  // SPEC C8: starting confirms the preview, so it waits for the preview of this calendar.
  await screen.findByRole('button', { name: /Will be copied from Outlook to the CRM/ });
  fireEvent.click(screen.getByRole('checkbox', { name: 'I have read this' }));
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Start sync' }));
  });
}

test('Start sync starts the loop on the chosen calendar and shows its state', async () => {
  const sync = fakeStartSync();
  const fake = new FakeConnectionService();
  await renderPane({ connection: fake, startSync: sync.start });
  await connect();
  expect(sync.calls).toEqual([]);
  await startWith('Team');

  expect(fake.startedCalendars).toEqual(['cal-shared']);
  expect(sync.calls).toHaveLength(1);
  expect(sync.calls[0]).toMatchObject({
    calendarId: 'cal-shared',
    connection: { mailbox: 'anna@contoso.example' },
    busySubject: 'Busy',
  });
  const loop = sync.controllers[0]!;
  expect(screen.getByText('Sync status: Up to date')).toBeTruthy();
  expect(screen.getByText('Not synced yet')).toBeTruthy();

  act(() => loop.set({ state: 'syncing' }));
  expect(screen.getByText('Sync status: Syncing…')).toBeTruthy();
  act(() => loop.set({ state: 'idle', lastSyncAt: Date.UTC(2026, 0, 5, 9, 30) }));
  expect(screen.getByText('Sync status: Up to date')).toBeTruthy();
  expect(screen.getByText(/^Last synced /)).toBeTruthy();

  fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
  expect(loop.syncNowCalls).toBe(1);

  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  });
  expect(loop.stopped).toBe(true);
});

test('Unpair stops the loop', async () => {
  const sync = fakeStartSync();
  await renderPane({ startSync: sync.start });
  await connect();
  await startWith('Calendar');
  expect(sync.calls[0]?.calendarId).toBe('cal-default');
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Unpair' }));
  });
  expect(sync.controllers[0]?.stopped).toBe(true);
});

test('the state speaks Swedish too', async () => {
  const sync = fakeStartSync();
  const { i18n } = await renderPane({ startSync: sync.start });
  await connect();
  await startWith('Calendar');
  await act(async () => {
    await i18n.changeLanguage('sv');
  });
  expect(screen.getByText('Synkroniseringsstatus: Uppdaterad')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Synkronisera nu' })).toBeTruthy();
});

test('the default type is Meeting, else the first non-personal; midnight is local', () => {
  const type = (id: string, name: string, personal = false) => ({
    id,
    name,
    names: { en: name, fi: name, sv: name, it: name, de: name },
    personal,
  });
  expect(
    pickDefaultTypeId([type('p', 'Personal', true), type('c', 'Call'), type('m', 'Meeting')]),
  ).toBe('m');
  expect(pickDefaultTypeId([type('p', 'Personal', true), type('c', 'Call')])).toBe('c');
  expect(pickDefaultTypeId([type('p', 'Personal', true)])).toBeNull();
  const now = new Date(2026, 2, 3, 23, 59, 0).getTime();
  expect(msUntilNextMidnight(now)).toBe(60_000);
  const midnight = new Date(2026, 2, 4, 0, 0, 0).getTime();
  expect(msUntilNextMidnight(midnight)).toBe(24 * 3600_000);
});
