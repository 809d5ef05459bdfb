/**
 * The Sign-in section for real (SPEC C1–C3, C8): Chromium fills the form against the sandbox CRM
 * server and the Graph emulator, both started here on free ports; the pane's sandbox configuration
 * points at them through CRM_PORT and GRAPH_PORT.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO } from '../../sandbox/crm';
import {
  horizontalOverflow,
  outlookSubjects as readOutlookSubjects,
  shots,
  startE2e,
  type E2e,
} from './support/harness';
jest.setTimeout(180_000);

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
});

afterAll(async () => {
  await e2e?.close();
});

async function openPane(page: Page) {
  await page.goto(`${e2e.paneUrl}taskpane.html`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
}

/** Every event subject in the mailbox's default calendar, read through the Graph emulator. */
const outlookSubjects = async (mailbox: string) =>
  readOutlookSubjects(e2e.graphUrl, await e2e.graphToken(mailbox));

async function fill(page: Page, password: string) {
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill('anna@contoso.example');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Save' }).click();
}

test('a wrong password shows its own message', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  await openPane(page);
  await fill(page, 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  await expect(alert.textContent()).resolves.toContain('The CRM username or password is wrong.');
  await expect(page.getByRole('status').getAttribute('aria-label')).resolves.toBe(
    'Connection status: Connection problem',
  );
  await page.screenshot({ path: path.join(shots, 'connect-wrong-password.png'), fullPage: true });
  await context.close();
});

test('signs in with the demo credentials, pairs and lists the calendars at 320 px', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await openPane(page);
  // The address comes from the configuration (defaultCrmUrl → the CRM server started above).
  await expect(page.getByLabel('CRM address').inputValue()).resolves.toMatch(
    /^http:\/\/localhost:\d+$/,
  );
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill('anna@contoso.example');
  await page.getByLabel('Password').fill(DEMO.password);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'connect-form.png'), fullPage: true });

  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Connected to the CRM' }).waitFor({ timeout: 20_000 });
  await expect(page.getByRole('status').getAttribute('aria-label')).resolves.toBe(
    'Connection status: Connected',
  );
  const picker = page.getByRole('combobox', { name: 'Calendar to sync' });
  const chosen = (await picker.textContent()) ?? '';
  expect(chosen.trim()).not.toBe('');
  await picker.click();
  const options = await page.getByRole('option').allTextContents();
  expect(options.length).toBeGreaterThan(0);
  expect(options).toContain(chosen.trim());
  await page.keyboard.press('Escape');

  // C8: the dry run first, then the start waits for the acknowledgement.
  await page.locator('[data-preview="ready"]').waitFor({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Start sync' }).isDisabled()).resolves.toBe(true);
  await page.getByRole('checkbox', { name: 'I have read this' }).check();
  await expect(page.getByRole('button', { name: 'Start sync' }).isEnabled()).resolves.toBe(true);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'connected.png'), fullPage: true });

  // S5: Start sync runs the engine in the pane; the state shows when the first run finished.
  await page.getByRole('button', { name: 'Start sync' }).click();
  await page.getByText('Sync status:', { exact: false }).waitFor({ timeout: 20_000 });
  await page.getByText('Last synced', { exact: false }).waitFor({ timeout: 90_000 });
  await expect(page.getByText('Sync status: Up to date').count()).resolves.toBe(1);
  await expect(page.getByRole('button', { name: 'Sync now' }).isEnabled()).resolves.toBe(true);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'syncing.png'), fullPage: true });

  // The CRM's demo activities are now in anna's calendar (checked through Graph itself).
  const subjects = await outlookSubjects('anna@contoso.example');
  expect(subjects).toContain('Weekly team meeting');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.', { exact: false }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
