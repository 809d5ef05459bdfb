/**
 * The task pane in a real browser: Debian's Chromium loads it from the pane dev server (webpack in
 * memory, sandbox configuration, no Office host → the standalone host).
 */
import path from 'node:path';
import { focusReport } from './support/focus';
import { horizontalOverflow, shots, startE2e, type E2e } from './support/harness';
jest.setTimeout(180_000);

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: false });
});

afterAll(async () => {
  await e2e?.close();
});

/** Opens the pane in a fresh profile and collects console errors and uncaught exceptions. */
async function openPane(width: number, query = '') {
  const context = await e2e.browser.newContext({
    viewport: { width, height: 720 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${e2e.paneUrl}taskpane.html${query}`);
  try {
    await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
  } catch (error) {
    throw new Error(`The pane did not render: ${errors.join('; ') || String(error)}`);
  }
  return { page, errors, close: () => context.close() };
}

test('renders the app frame at 320 px and switches to Finnish', async () => {
  const { page, errors, close } = await openPane(320);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
    'CRM Calendar Sync',
  );
  for (const name of ['Sign-in', 'Preferences', 'Status', 'This item']) {
    await expect(page.getByRole('tab', { name }).isVisible()).resolves.toBe(true);
  }
  await expect(page.getByRole('status').textContent()).resolves.toContain('Not connected');
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'pane-en.png'), fullPage: true });

  // Keyboard: focus the language picker, open it, choose Suomi.
  await page.getByRole('combobox', { name: 'Language' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: 'Suomi' }).click();

  await page.getByRole('heading', { level: 1, name: 'CRM-kalenterisynkronointi' }).waitFor();
  for (const name of ['Kirjautuminen', 'Asetukset', 'Tila', 'Tämä kohde']) {
    await expect(page.getByRole('tab', { name }).isVisible()).resolves.toBe(true);
  }
  await expect(page.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(
    'Kirjautuminen ja yhteys',
  );
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('fi');
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'pane-fi.png'), fullPage: true });

  // The choice roams (here: the standalone host's storage) and survives a reload.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'CRM-kalenterisynkronointi' }).waitFor();
  expect(errors).toEqual([]);
  await close();
});

test('is usable by keyboard at 800 px with a visible focus indicator', async () => {
  const { page, errors, close } = await openPane(800);
  await page.keyboard.press('Tab');
  const first = await focusReport(page);
  expect(first).toMatchObject({ role: 'combobox', indicated: true });

  await page.keyboard.press('Tab');
  const tab = await focusReport(page);
  expect(tab).toMatchObject({ role: 'tab', text: 'Sign-in', indicated: true });
  await page.screenshot({ path: path.join(shots, 'pane-focus-800.png') });

  // Arrow keys move between tabs; Enter selects.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 2, name: 'Preferences' }).waitFor();
  const panel = page.getByRole('tabpanel');
  await expect(panel.getAttribute('aria-labelledby')).resolves.toBe('tab-preferences');
  await page.screenshot({ path: path.join(shots, 'pane-en-800.png'), fullPage: true });
  expect(errors).toEqual([]);
  await close();
});

test('opens one section on its own for the ribbon dialogs', async () => {
  const { page, errors, close } = await openPane(480, '?view=preferences');
  await page.getByRole('heading', { level: 2, name: 'Preferences' }).waitFor();
  await expect(page.getByRole('tablist').count()).resolves.toBe(0);
  await page.screenshot({ path: path.join(shots, 'pane-preferences-dialog.png'), fullPage: true });
  expect(errors).toEqual([]);
  await close();
});

test('the commands page loads office.js and the commands bundle without errors', async () => {
  const context = await e2e.browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${e2e.paneUrl}commands.html`, { waitUntil: 'load' });
  await expect(page.evaluate(() => typeof Office)).resolves.toBe('object');
  expect(errors).toEqual([]);
  await context.close();
});
