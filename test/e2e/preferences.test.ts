/**
 * Preferences in a real browser (SPEC W1–W2, P1, L1): the view the ribbon's dialog opens
 * (`?view=preferences`), used with the keyboard only at 320 px; what is saved survives a reload
 * (the standalone host keeps roaming settings in localStorage).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { focusReport } from './support/focus';
import { horizontalOverflow, shots, startE2e, tabTo, type E2e } from './support/harness';
jest.setTimeout(180_000);

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: false });
});

afterAll(async () => {
  await e2e?.close();
});

const direction = (page: Page, name: string) => page.getByRole('group', { name });

test('keyboard only at 320 px: limits, save, reload, Finnish', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${e2e.paneUrl}taskpane.html?view=preferences`);
  await page.getByRole('heading', { level: 2, name: 'Preferences' }).waitFor({ timeout: 15_000 });
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'preferences-en-320.png'), fullPage: true });

  const toCrm = direction(page, 'From Outlook to the CRM');
  const back = toCrm.getByRole('spinbutton', { name: 'Days back' });
  await tabTo(page, back);
  expect(await focusReport(page)).toMatchObject({ indicated: true });
  await page.keyboard.press('Control+A');
  await page.keyboard.type('61');
  await toCrm.getByText('Choose from 0 to 60 days.').waitFor();
  const save = page.getByRole('button', { name: 'Save' });
  await expect(save.isDisabled()).resolves.toBe(true);
  await page.screenshot({ path: path.join(shots, 'preferences-en-320-error.png'), fullPage: true });
  await page.keyboard.press('Control+A');
  await page.keyboard.type('14');
  await expect(save.isDisabled()).resolves.toBe(false);

  // Days ahead, CRM → Outlook: arrow keys step a number field.
  const ahead = direction(page, 'From the CRM to Outlook').getByRole('spinbutton', {
    name: 'Days ahead',
  });
  await tabTo(page, ahead);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(ahead.inputValue()).resolves.toBe('363');

  // Private items: arrows move within the radio group.
  await tabTo(page, page.getByRole('radio', { name: 'Sync in full' }));
  await page.keyboard.press('ArrowDown');
  await expect(
    page.getByRole('radio', { name: 'Sync as a busy block without content' }).isChecked(),
  ).resolves.toBe(true);

  // A switch toggles with Space.
  const reports = page.getByRole('switch', { name: 'Send error reports to the developers' });
  await tabTo(page, reports);
  expect(await focusReport(page)).toMatchObject({ indicated: true });
  await page.keyboard.press('Space');

  // The application language: open with Enter, choose with the arrows.
  const appLanguage = page.getByRole('combobox', { name: 'Application language' });
  await tabTo(page, appLanguage);
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown'); // English → Suomi
  await page.keyboard.press('Enter');
  await expect(appLanguage.textContent()).resolves.toBe('Suomi');

  await tabTo(page, save);
  await page.keyboard.press('Enter');
  await page.getByText('Asetukset tallennettu.', { exact: false }).waitFor();
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('fi');

  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Asetukset' }).waitFor({ timeout: 15_000 });
  const toCrmFi = direction(page, 'Outlookista CRM:ään');
  await expect(
    toCrmFi.getByRole('spinbutton', { name: 'Päiviä taaksepäin' }).inputValue(),
  ).resolves.toBe('14');
  await expect(
    direction(page, 'CRM:stä Outlookiin')
      .getByRole('spinbutton', { name: 'Päiviä eteenpäin' })
      .inputValue(),
  ).resolves.toBe('363');
  await expect(
    page.getByRole('radio', { name: 'Synkronoi varattuna aikana ilman sisältöä' }).isChecked(),
  ).resolves.toBe(true);
  await expect(
    page.getByRole('switch', { name: 'Lähetä virheraportit kehittäjille' }).isChecked(),
  ).resolves.toBe(true);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'preferences-fi-320.png'), fullPage: true });

  // Finnish error text at 320 px, for the longest message.
  await tabTo(page, toCrmFi.getByRole('spinbutton', { name: 'Päiviä taaksepäin' }));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('61');
  await toCrmFi.getByText('Valitse 0–60 päivää.').waitFor();
  await page.screenshot({ path: path.join(shots, 'preferences-fi-320-error.png'), fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});
