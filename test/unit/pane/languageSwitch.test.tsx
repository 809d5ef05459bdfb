import { act, fireEvent, screen } from '@testing-library/react';
import { memorySettingsStore } from '../../../src/host/settingsStore';
import { languageSettingKey } from '../../../src/taskpane/hooks/useLanguage';
import { renderPane } from './renderPane';

test('picking Suomi translates the frame, sets <html lang> and remembers the choice', async () => {
  const { settings } = await renderPane();
  fireEvent.click(screen.getByRole('combobox', { name: 'Language' }));
  await act(async () => {
    fireEvent.click(screen.getByRole('option', { name: 'Suomi' }));
  });

  expect(screen.getByRole('heading', { level: 1, name: 'CRM-kalenterisynkronointi' })).toBeTruthy();
  expect(screen.getByRole('tab', { name: 'Kirjautuminen' })).toBeTruthy();
  expect(screen.getByRole('tab', { name: 'Tämä kohde' })).toBeTruthy();
  expect(screen.getByRole('combobox', { name: 'Kieli' })).toBeTruthy();
  expect(document.documentElement.lang).toBe('fi');
  expect(settings.get(languageSettingKey)).toBe('fi');
});

test('the picker lists each language by its own name and starts on the current one', async () => {
  await renderPane({ language: 'de', settings: memorySettingsStore() });
  const picker = screen.getByRole('combobox', { name: 'Sprache' });
  expect(picker.textContent).toContain('Deutsch');
  fireEvent.click(picker);
  const options = screen.getAllByRole('option').map((o) => o.textContent);
  expect(options).toEqual(['English', 'Suomi', 'Svenska', 'Italiano', 'Deutsch']);
  expect(screen.getByRole('tab', { name: 'Einstellungen' })).toBeTruthy();
});
