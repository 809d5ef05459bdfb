import { fireEvent, render, screen, within } from '@testing-library/react';
import { createI18n } from '../../../src/i18n/createI18n';
import { PaneRoot } from '../../../src/taskpane/components/PaneRoot';
import { renderPane } from './renderPane';
import { JsdomStyles } from './jsdomStyles';

test('the frame shows the product, the connection state and every section tab', async () => {
  await renderPane();
  expect(screen.getByRole('heading', { level: 1, name: 'CRM Calendar Sync' })).toBeTruthy();
  expect(screen.getByRole('status').getAttribute('aria-label')).toBe(
    'Connection status: Not connected',
  );
  const nav = screen.getByRole('navigation', { name: 'Sections' });
  const tabs = within(nav).getAllByRole('tab');
  ['Sign-in', 'Preferences', 'Status', 'This item'].forEach((name, index) => {
    expect(within(nav).getByRole('tab', { name })).toBe(tabs[index]);
  });
  expect(screen.getByRole('tab', { name: 'Sign-in' }).getAttribute('aria-selected')).toBe('true');
});

test('the sign-in section shows the host mailbox, and demo mode says it is outside Outlook', async () => {
  await renderPane();
  const panel = screen.getByRole('tabpanel', { name: 'Sign-in' });
  expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe(
    'Sign-in and connection',
  );
  const mailbox = within(panel).getByRole<HTMLInputElement>('textbox', { name: 'Mailbox' });
  expect(mailbox.value).toBe('anna@contoso.example');
  expect(mailbox.readOnly).toBe(true);
  expect(screen.getByText(/Demo mode: running outside Outlook/)).toBeTruthy();
});

// Arrow-key navigation between tabs is Fluent's (tabster) and needs real focus handling: the
// browser test covers it.
test('choosing a tab shows its section and what the host says about the item', async () => {
  await renderPane({ itemKind: 'appointmentOrganizer' });
  fireEvent.click(screen.getByRole('tab', { name: 'This item' }));
  const panel = screen.getByRole('tabpanel', { name: 'This item' });
  expect(panel.textContent).toContain('You are editing an appointment you organize.');
  fireEvent.click(screen.getByRole('tab', { name: 'Status' }));
  expect(screen.getByRole('heading', { level: 2, name: 'Sync status' })).toBeTruthy();
});

test('a dialog view shows one section without the tabs', async () => {
  await renderPane({ search: '?view=preferences' });
  expect(screen.getByRole('heading', { level: 2, name: 'Preferences' })).toBeTruthy();
  expect(screen.queryByRole('tablist')).toBeNull();
});

test('a configuration error is shown as an alert with its details', async () => {
  const i18n = await createI18n('en');
  render(
    <PaneRoot
      start={{ kind: 'config-error', i18n, details: 'graphBaseUrl: Invalid URL' }}
      view={{ kind: 'pane' }}
    />,
    { wrapper: JsdomStyles },
  );
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain('The add-in is not configured correctly');
  expect(alert.textContent).toContain('graphBaseUrl: Invalid URL');
});
