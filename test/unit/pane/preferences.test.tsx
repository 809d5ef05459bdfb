import { act, fireEvent, screen, within } from '@testing-library/react';
import { memorySettingsStore, type SettingsStore } from '../../../src/host/settingsStore';
import { activityTypesSettingKey } from '../../../src/taskpane/preferences/activityTypesCache';
import { preferencesSettingKey } from '../../../src/taskpane/preferences/preferencesStore';
import { FakeConnectionService, fakeType } from './fakeConnectionService';
import { renderPane } from './renderPane';

const group = (name: string) => screen.getByRole('group', { name });
const outlookToCrm = () => group('From Outlook to the CRM');
const crmToOutlook = () => group('From the CRM to Outlook');
const days = (scope: HTMLElement, label: 'Days back' | 'Days ahead') =>
  within(scope).getByRole<HTMLInputElement>('spinbutton', { name: label });
const saveButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Save' });

async function save() {
  await act(async () => {
    fireEvent.click(saveButton());
  });
}

function withTypes(settings: SettingsStore = memorySettingsStore()) {
  const fake = new FakeConnectionService();
  settings.set(activityTypesSettingKey, fake.activityTypes);
  return settings;
}

test('61 days back is refused with its limit, and Save waits until it is fixed', async () => {
  await renderPane({ search: '?view=preferences' });
  expect(days(outlookToCrm(), 'Days back').value).toBe('1');
  expect(days(outlookToCrm(), 'Days ahead').value).toBe('365');

  fireEvent.change(days(outlookToCrm(), 'Days back'), { target: { value: '61' } });
  expect(within(outlookToCrm()).getByText('Choose from 0 to 60 days.')).toBeTruthy();
  expect(days(outlookToCrm(), 'Days back').getAttribute('aria-invalid')).toBe('true');
  expect(saveButton().disabled).toBe(true);

  fireEvent.change(days(crmToOutlook(), 'Days ahead'), { target: { value: '366' } });
  expect(within(crmToOutlook()).getByText('Choose from 0 to 365 days.')).toBeTruthy();

  fireEvent.change(days(outlookToCrm(), 'Days back'), { target: { value: '60' } });
  fireEvent.change(days(crmToOutlook(), 'Days ahead'), { target: { value: '' } });
  expect(within(crmToOutlook()).getByText('Enter a number of days.')).toBeTruthy();
  expect(saveButton().disabled).toBe(true);
  fireEvent.change(days(crmToOutlook(), 'Days ahead'), { target: { value: '365' } });
  expect(screen.queryByText(/Choose from|Enter a number/)).toBeNull();
  expect(saveButton().disabled).toBe(false);
});

test('saved values are there after a reload; they are in roaming settings', async () => {
  const settings = withTypes();
  const first = await renderPane({ search: '?view=preferences', settings });
  fireEvent.change(days(outlookToCrm(), 'Days back'), { target: { value: '14' } });
  fireEvent.change(days(crmToOutlook(), 'Days ahead'), { target: { value: '90' } });
  fireEvent.click(screen.getByRole('radio', { name: 'Sync as a busy block without content' }));
  fireEvent.click(screen.getByRole('radio', { name: 'The CRM wins' }));
  expect(screen.getByRole<HTMLInputElement>('radio', { name: 'Off' }).checked).toBe(true);
  fireEvent.click(screen.getByRole('radio', { name: 'Only from the CRM to Outlook' }));
  fireEvent.click(screen.getByRole('switch', { name: 'Send error reports to the developers' }));
  fireEvent.click(screen.getByRole('combobox', { name: 'Default type for items made in Outlook' }));
  fireEvent.click(screen.getByRole('option', { name: 'Ask me each time' }));
  await save();
  expect(screen.getByText('Preferences saved. They apply from the next sync.')).toBeTruthy();
  first.unmount();

  await renderPane({ search: '?view=preferences', settings });
  expect(days(outlookToCrm(), 'Days back').value).toBe('14');
  expect(days(crmToOutlook(), 'Days ahead').value).toBe('90');
  expect(
    screen.getByRole<HTMLInputElement>('radio', { name: 'Sync as a busy block without content' })
      .checked,
  ).toBe(true);
  expect(screen.getByRole<HTMLInputElement>('radio', { name: 'The CRM wins' }).checked).toBe(true);
  expect(
    screen.getByRole<HTMLInputElement>('radio', { name: 'Only from the CRM to Outlook' }).checked,
  ).toBe(true);
  expect(
    screen.getByRole<HTMLInputElement>('switch', { name: 'Send error reports to the developers' })
      .checked,
  ).toBe(true);
  expect(
    screen.getByRole('combobox', { name: 'Default type for items made in Outlook' }).textContent,
  ).toBe('Ask me each time');
  expect(settings.get(preferencesSettingKey)).toMatchObject({
    outlookToCrm: { daysBack: 14 },
    crmToOutlook: { daysAhead: 90 },
    defaultTypeId: null,
    privateMode: 'busy',
    conflictPolicy: 'crm-wins',
    contactSync: 'crmToOutlook', // SPEC K2
    options: { sendErrorReports: true },
  });
});

test('garbage in roaming settings shows the defaults without a crash', async () => {
  const settings = memorySettingsStore();
  settings.set(preferencesSettingKey, { outlookToCrm: 'yes', privateMode: 7, options: [1] });
  settings.set(activityTypesSettingKey, [{ id: 3 }]);
  await renderPane({ search: '?view=preferences', settings });
  expect(days(outlookToCrm(), 'Days back').value).toBe('1');
  expect(screen.getByRole<HTMLInputElement>('radio', { name: 'Sync in full' }).checked).toBe(true);
  expect(
    screen.getByRole<HTMLInputElement>('radio', { name: 'The newest change wins' }).checked,
  ).toBe(true);
  // SPEC T3: nothing chosen, types unknown: the form says what the sync will pick.
  expect(
    screen.getByRole('combobox', { name: 'Default type for items made in Outlook' }).textContent,
  ).toBe('The CRM\u2019s \u201cMeeting\u201d type'.replace('\u2019', "'"));
  // No types known: the type fields say why they cannot be used.
  expect(
    screen.getByText('Sign in to choose activity types. Until then your current choices are kept.'),
  ).toBeTruthy();
});

test('an empty "Create new" list is allowed and says that nothing new is created', async () => {
  const settings = withTypes();
  await renderPane({ search: '?view=preferences', settings });
  const create = within(crmToOutlook()).getByRole('combobox', { name: 'Create new' });
  expect(create.textContent).toBe('All types');
  fireEvent.click(create);
  // Fluent's multi-select lists its options as checkable menu items.
  for (const name of ['Meeting', 'Phone call', 'Customer visit', 'Personal']) {
    const option = screen.getByRole('menuitemcheckbox', { name });
    expect(option.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(option);
  }
  expect(create.textContent).toBe('None');
  expect(
    within(crmToOutlook()).getByText(
      'None chosen: nothing new is created in this direction. Items that are already linked keep syncing.',
    ),
  ).toBeTruthy();
  expect(saveButton().disabled).toBe(false);
  await save();
  expect(settings.get(preferencesSettingKey)).toMatchObject({
    crmToOutlook: { createTypes: [] },
    outlookToCrm: { createTypes: 'all' },
  });
});

test('types come from the signed-in CRM, in the picklist language, and are remembered', async () => {
  const connection = new FakeConnectionService();
  const { settings } = await renderPane({ connection });
  fireEvent.change(screen.getByLabelText('API key', { exact: false }), {
    target: { value: 'outlook-key' },
  });
  fireEvent.change(screen.getByLabelText('CRM username', { exact: false }), {
    target: { value: 'anna' },
  });
  fireEvent.change(screen.getByLabelText('Password', { exact: false }), {
    target: { value: 'secret' },
  });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  });
  await act(async () => {
    fireEvent.click(screen.getByRole('tab', { name: 'Preferences' }));
  });
  // SPEC T3: nothing chosen yet shows the CRM's "Meeting", as the sync will use it.
  const defaultType = screen.getByRole('combobox', {
    name: 'Default type for items made in Outlook',
  });
  expect(defaultType.textContent).toBe('Meeting');
  expect(settings.get(activityTypesSettingKey)).toEqual(connection.activityTypes);

  fireEvent.click(screen.getByRole('combobox', { name: 'Picklist language' }));
  fireEvent.click(screen.getByRole('option', { name: 'Suomi' }));
  expect(defaultType.textContent).toBe('Tapaaminen');
  // The page's own language stays English until saved.
  expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
});

test('P1: a CRM without a personal type is explained when private items sync in full', async () => {
  const settings = memorySettingsStore();
  settings.set(activityTypesSettingKey, [fakeType('t-meeting', 'Meeting', 'Tapaaminen')]);
  await renderPane({ search: '?view=preferences', settings });
  const note =
    'Your CRM has no personal activity type: private items get the default type, and every CRM user can see them.';
  expect(screen.getByText(note)).toBeTruthy();
  fireEvent.click(screen.getByRole('radio', { name: 'Do not sync' }));
  expect(screen.queryByText(note)).toBeNull();
});

test('saving the application language switches the pane to it', async () => {
  const { i18n, settings } = await renderPane({ search: '?view=preferences' });
  fireEvent.click(screen.getByRole('combobox', { name: 'Application language' }));
  fireEvent.click(screen.getByRole('option', { name: 'Deutsch' }));
  await save();
  expect(i18n.language).toBe('de');
  expect(settings.get('appLanguage')).toBe('de');
  expect(screen.getByRole('button', { name: 'Speichern' })).toBeTruthy();
});
