/**
 * Issue 15, item 2: the brake's question (SPEC D3) lists the items it holds — every one, subject
 * and time, hostile text shown as text — for each kind that braked, in the person's language, and
 * its buttons are reachable by keyboard.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from '../../../src/i18n/createI18n';
import type { AskedBrake } from '../../../src/sync/engine/run';
import { BrakeQuestion } from '../../../src/taskpane/components/BrakeQuestion';
import { JsdomStyles } from './jsdomStyles';

const HOSTILE = '<img src=x onerror=alert(1)>';

const calendar: AskedBrake = {
  brake: { kind: 'sideEmpty', side: 'outlook', linked: 12, ids: ['o1', 'o2', 'o3'] },
  items: [
    { id: 'o1', subject: 'Budget review', start: '2026-11-25T07:00:00Z' },
    { id: 'o2', subject: HOSTILE, start: '2026-11-26' },
    { id: 'o3', subject: '', start: null },
  ],
};
const contacts: AskedBrake = {
  brake: { kind: 'massDelete', destructive: 10, linked: 20, ids: ['k1'], items: 'contacts' },
  items: [{ id: 'k1', subject: 'Aino Virtanen', start: null }],
};

async function show(asked: readonly AskedBrake[], language: 'en' | 'fi' = 'en') {
  const i18n = await createI18n(language);
  const answers: string[] = [];
  render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme}>
        <BrakeQuestion
          asked={asked}
          onConfirm={() => answers.push('confirm')}
          onDismiss={() => answers.push('dismiss')}
        />
      </FluentProvider>
    </I18nextProvider>,
    { wrapper: JsdomStyles },
  );
  return answers;
}

test('D3: the question lists every held item of each kind, hostile subjects as plain text', async () => {
  const answers = await show([calendar, contacts]);
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain('Your Outlook calendar suddenly looks empty');
  expect(alert.textContent).toContain('10 of your 20 linked contacts');
  const held = within(alert).getByRole('region', { name: /these 3 items/ });
  const rows = within(held)
    .getAllByRole('listitem')
    .map((li) => li.textContent);
  expect(rows[0]).toContain('Budget review');
  expect(rows[0]).toMatch(/2026|26/); // a date and time in the person's format
  expect(rows[1]).toContain(HOSTILE); // shown as text…
  expect(alert.querySelector('img')).toBeNull(); // …never as markup
  expect(rows[2]).toContain('(no subject)');
  const people = within(alert).getByRole('region', { name: /this contact/ });
  expect(people.textContent).toContain('Aino Virtanen');
  // The list scrolls by keyboard, and the buttons are buttons.
  expect(held.tabIndex).toBe(0);
  fireEvent.click(within(alert).getByRole('button', { name: 'Go ahead' }));
  fireEvent.click(within(alert).getByRole('button', { name: 'Not now' }));
  expect(answers).toEqual(['confirm', 'dismiss']);
});

test('D3: a side-empty brake with nothing to delete says so', async () => {
  await show([{ brake: { kind: 'sideEmpty', side: 'crm', linked: 12, ids: [] }, items: [] }]);
  expect(screen.getByRole('alert').textContent).toContain('Nothing would be deleted');
});

test('D3: the question speaks Finnish', async () => {
  await show([calendar], 'fi');
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain('Jatkaminen poistaa, peruu tai korvaa nämä 3 kohdetta');
  expect(within(alert).getByRole('button', { name: 'Jatka' })).toBeTruthy();
});
