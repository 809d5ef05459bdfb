/**
 * Issue 13 item 6: the pane's component kit. The views lean on these parts for their roles and
 * labels, so the parts keep them: a section is a region named by its heading, a notice keeps the
 * message bar's own role, a confirmation runs its step only when confirmed.
 */
import { Button, FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../../../src/taskpane/components/kit/ConfirmDialog';
import { FactList } from '../../../src/taskpane/components/kit/FactList';
import { Notice } from '../../../src/taskpane/components/kit/Notice';
import { Section } from '../../../src/taskpane/components/kit/Section';
import { JsdomStyles } from './jsdomStyles';

const inFluent = (ui: ReactNode) =>
  render(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>, { wrapper: JsdomStyles });

test('a kit Section is a region named by its heading, with its lead line', () => {
  inFluent(
    <Section headingId="h" title="Sync history" lead="What each run did" level={4}>
      <p>rows</p>
    </Section>,
  );
  const region = screen.getByRole('region', { name: 'Sync history' });
  expect(screen.getByRole('heading', { level: 4, name: 'Sync history' })).toBeTruthy();
  expect(region.textContent).toContain('What each run did');
  expect(region.textContent).toContain('rows');
});

test('a kit Notice keeps the message bar role and shows its title, text and actions', () => {
  inFluent(
    <Notice intent="error" title="Could not load" actions={<Button>Retry</Button>}>
      Try again later
    </Notice>,
  );
  const bar = screen.getByRole('group');
  expect(bar.textContent).toContain('Could not load');
  expect(bar.textContent).toContain('Try again later');
  expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
});

test('a kit FactList pairs each term with its value', () => {
  inFluent(
    <FactList
      facts={[
        ['CRM', 'https://crm.example'],
        ['Mailbox', 'anna@example.com'],
      ]}
    />,
  );
  const terms = screen.getAllByRole('term').map((t) => t.textContent);
  const values = screen.getAllByRole('definition').map((d) => d.textContent);
  expect(terms).toEqual(['CRM', 'Mailbox']);
  expect(values).toEqual(['https://crm.example', 'anna@example.com']);
});

test('a kit ConfirmDialog runs its step only when confirmed', async () => {
  const confirmed: string[] = [];
  inFluent(
    <ConfirmDialog
      trigger={<Button>Remove</Button>}
      title="Remove it?"
      body="This cannot be undone."
      cancel="Cancel"
      confirm="Remove now"
      onConfirm={() => confirmed.push('yes')}
    />,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Cancel', hidden: true }));
  await waitFor(() => expect(screen.queryByText('This cannot be undone.')).toBeNull());
  expect(confirmed).toEqual([]);
  fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Remove now', hidden: true }));
  expect(confirmed).toEqual(['yes']);
});
