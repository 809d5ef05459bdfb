import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { memorySettingsStore } from '../../../src/host/settingsStore';
import { connectionSettingKeys } from '../../../src/taskpane/connection/connectionService';
import { FakeConnectionService } from './fakeConnectionService';
import { connect as fillAndSave, field, renderPane } from './renderPane';

const badge = () => screen.getByRole('status').getAttribute('aria-label');

test('Save with empty fields shows a message on each field and connects to nothing', async () => {
  const { connection } = await renderPane();
  fireEvent.change(field('CRM address'), { target: { value: '' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  });
  expect(screen.getByText('Enter the API key.')).toBeTruthy();
  expect(screen.getByText('Enter the CRM address.')).toBeTruthy();
  expect(screen.getByText('Enter your CRM username.')).toBeTruthy();
  expect(screen.getByText('Enter your CRM password.')).toBeTruthy();
  expect(field('API key').getAttribute('aria-invalid')).toBe('true');
  expect(document.activeElement).toBe(field('API key'));
  expect((connection as FakeConnectionService).connectCalls).toEqual([]);
});

test('an address normaliseCrmAddress rejects gets its own message on the field', async () => {
  const { connection } = await renderPane();
  fireEvent.change(field('CRM address'), { target: { value: 'http://crm.example.com' } });
  await fillAndSave();
  expect(screen.getByText('The CRM address does not use a secure connection.')).toBeTruthy();
  expect(document.activeElement).toBe(field('CRM address'));
  fireEvent.change(field('CRM address'), { target: { value: 'ftp://crm.example.com' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  });
  expect(screen.getByText('The CRM address is not valid.')).toBeTruthy();
  expect((connection as FakeConnectionService).connectCalls).toEqual([]);
});

test('a successful Save pairs the mailbox, lists the calendars and shows Connected', async () => {
  const settings = memorySettingsStore();
  const fake = new FakeConnectionService();
  await renderPane({ connection: fake, settings });
  expect(field('CRM address').value).toBe('http://localhost:3001'); // config defaultCrmUrl
  expect(badge()).toBe('Connection status: Not connected');
  fireEvent.click(screen.getByRole('checkbox', { name: 'Remember my sign-in' }));
  await fillAndSave();

  expect(fake.connectCalls).toEqual([
    {
      apiKey: 'outlook-key',
      address: 'http://localhost:3001',
      username: 'anna',
      password: 'secret',
      remember: true,
      mailbox: 'anna@contoso.example',
    },
  ]);
  expect(fake.pairings.get('anna@contoso.example')).toBe('anna');
  expect(badge()).toBe('Connection status: Connected');
  const panel = screen.getByRole('tabpanel');
  expect(within(panel).getByRole('heading', { name: 'Connected to the CRM' })).toBeTruthy();
  expect(panel.textContent).toContain('http://localhost:3001');
  expect(panel.textContent).toContain('Anna Virtanen (anna@contoso.example)');
  // The password field is gone, and nothing kept it.
  expect(screen.queryByLabelText('Password', { exact: false })).toBeNull();
  expect(JSON.stringify([...['crmAddress', 'crmUsername'].map((k) => settings.get(k))])).toBe(
    '["http://localhost:3001","anna"]',
  );

  // The default calendar is chosen first; the other one can be picked.
  const picker = screen.getByRole('combobox', { name: 'Calendar to sync' });
  expect(picker.textContent).toContain('Calendar');
  fireEvent.click(picker);
  expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Team', 'Calendar']);
  fireEvent.click(screen.getByRole('option', { name: 'Team' }));
  expect(screen.getByRole('combobox', { name: 'Calendar to sync' }).textContent).toContain('Team');

  // Sign out returns to the form and says so.
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  });
  expect(fake.signOuts).toBe(1);
  expect(screen.getByText(/You are signed out/)).toBeTruthy();
  expect(badge()).toBe('Connection status: Not connected');
});

type Arrange = (fake: FakeConnectionService) => void;
const nothing: Arrange = () => undefined;
const failures: readonly [string, Parameters<typeof fillAndSave>[0], Arrange, string][] = [
  ['wrong API key', { apiKey: 'nope' }, nothing, 'The CRM did not accept the API key.'],
  ['wrong password', { password: 'wrong' }, nothing, 'The CRM username or password is wrong.'],
  [
    'company not enabled (C7)',
    {},
    (fake) => void (fake.syncEnabled = false),
    'Outlook sync is not switched on for your company.',
  ],
  [
    'mailbox mismatch naming both addresses (C6)',
    { username: 'ben' },
    nothing,
    "The mailbox anna@contoso.example does not match the CRM user's e-mail ben@contoso.example.",
  ],
  [
    'CRM unreachable',
    {},
    (fake) => void (fake.reachable = false),
    'The CRM address cannot be reached.',
  ],
];

test.each(failures)('%s gets its own message', async (_name, values, arrange, message) => {
  const fake = new FakeConnectionService();
  arrange(fake);
  await renderPane({ connection: fake });
  await fillAndSave(values);
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain(message);
  expect(badge()).toBe('Connection status: Connection problem');
  // Only a pairing elsewhere offers the forced removal.
  expect(screen.queryByRole('button', { name: 'Remove pairing from this device' })).toBeNull();
});

test('a mailbox paired elsewhere offers forced removal, which asks for confirmation first', async () => {
  const fake = new FakeConnectionService();
  fake.pairings.set('anna@contoso.example', 'ben');
  await renderPane({ connection: fake });
  await fillAndSave();
  expect(screen.getByRole('alert').textContent).toContain('already paired');

  // The dialog's code loads with the problem that offers it (React.lazy).
  fireEvent.click(await screen.findByRole('button', { name: 'Remove pairing from this device' }));
  const dialog = await screen.findByRole('alertdialog', {
    name: 'Remove the pairing from this device?',
  });
  expect(dialog.textContent).toContain('items may be created twice');
  // Fluent keeps the surface aria-hidden during its opening motion, and in jsdom on a loaded
  // machine that motion outlasted findBy's 10 s in CI: what this test checks is the confirmation
  // step, not the motion, so the dialog's own button is found whether or not it is exposed yet.
  fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel', hidden: true }));
  await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull());
  expect(fake.localRemovals).toBe(0);

  fireEvent.click(await screen.findByRole('button', { name: 'Remove pairing from this device' }));
  const again = await screen.findByRole('alertdialog', { hidden: true });
  const confirm = within(again).getByRole('button', { name: 'Remove pairing', hidden: true });
  await act(async () => {
    fireEvent.click(confirm);
  });
  expect(fake.localRemovals).toBe(1);
  expect(screen.getByText('The pairing was removed from this device.')).toBeTruthy();
});

test('Unpair that cannot reach the CRM offers the forced removal (C5)', async () => {
  const fake = new FakeConnectionService();
  await renderPane({ connection: fake });
  await fillAndSave();
  fake.reachable = false;
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Unpair' }));
  });
  expect(screen.getByRole('alert').textContent).toContain('The CRM address cannot be reached.');
  expect(
    await screen.findByRole('button', { name: 'Remove pairing from this device' }),
  ).toBeTruthy();
  expect(badge()).toBe('Connection status: Connected');
});

test('Start sync stays disabled until the first-sync warning is acknowledged (C8)', async () => {
  const settings = memorySettingsStore();
  const fake = new FakeConnectionService();
  await renderPane({ connection: fake, settings });
  await fillAndSave();
  expect(screen.getByText(/your phone's/)).toBeTruthy();
  expect(screen.getByText(/send invitations again/)).toBeTruthy();
  const start = screen.getByRole('button', { name: 'Start sync' });
  expect(start.hasAttribute('disabled')).toBe(true);
  fireEvent.click(start);
  expect(fake.startedCalendars).toEqual([]);

  fireEvent.click(screen.getByRole('checkbox', { name: 'I have read this' }));
  expect(screen.getByRole('button', { name: 'Start sync' }).hasAttribute('disabled')).toBe(false);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Start sync' }));
  });
  expect(fake.startedCalendars).toEqual(['cal-default']);
  expect(settings.get(connectionSettingKeys.firstSyncAcknowledged)).toBe(true);
  expect(screen.getByText('Sync is set up for the calendar Calendar.')).toBeTruthy();
});

test('the form speaks Finnish too', async () => {
  await renderPane({ language: 'fi' });
  expect(screen.getByLabelText('API-avain', { exact: false })).toBeTruthy();
  expect(screen.getByRole('checkbox', { name: 'Muista kirjautumistiedot' })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Tallenna' })).toBeTruthy();
});
