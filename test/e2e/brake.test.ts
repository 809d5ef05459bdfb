/**
 * SPEC D3 for real (issue 15, item 2): Chromium signs in against the sandbox CRM server and the
 * Graph emulator and syncs twelve Outlook events to the CRM; they are then deleted in Outlook, and
 * the next run stops to ask. The question lists every item it holds (a hostile subject as text),
 * fits 320 px, is answered by keyboard, and "Go ahead" cancels exactly those activities.
 */
import path from 'node:path';
import { DEMO } from '../../sandbox/crm';
import { focusReport } from './support/focus';
import {
  createOutlookEvent,
  crmHeaders,
  horizontalOverflow,
  settled,
  shots,
  startE2e,
  tabTo,
  type E2e,
} from './support/harness';

jest.setTimeout(240_000);

const MAILBOX = 'anna@contoso.example';
const HOSTILE = '<img src=x onerror=alert(1)>';
const SUBJECTS = [HOSTILE, ...Array.from({ length: 11 }, (_, i) => `Brake test meeting ${i + 1}`)];

let e2e: E2e;
const eventIds: string[] = [];

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
  const token = await e2e.graphToken(MAILBOX);
  for (const [i, subject] of SUBJECTS.entries()) {
    eventIds.push(await createOutlookEvent(e2e.graphUrl, token, { subject, days: i + 1 }));
  }
});

afterAll(async () => {
  await e2e?.close();
});

/** The subjects of anna's cancelled CRM activities. */
async function cancelledInCrm(): Promise<string[]> {
  const headers = await crmHeaders(e2e.crmUrl, MAILBOX);
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 300 * 86_400_000).toISOString();
  const response = await fetch(`${e2e.crmUrl}/api/v1/activities?from=${from}&to=${to}`, {
    headers,
  });
  const body = (await response.json()) as { items: { subject: string; cancelled?: boolean }[] };
  return body.items.filter((a) => a.cancelled === true).map((a) => a.subject);
}

test('D3: the brake lists the held items at 320 px and is answered by keyboard', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${e2e.paneUrl}taskpane.html`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill(MAILBOX);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Connected to the CRM' }).waitFor({ timeout: 20_000 });
  await page.getByRole('checkbox', { name: 'I have read this' }).check();
  await page.getByRole('button', { name: 'Start sync' }).click();
  await page.getByText('Last synced', { exact: false }).waitFor({ timeout: 90_000 });
  await page.getByRole('tab', { name: 'Status' }).click();

  // Deleted in Outlook: the next 5-second poll would cancel twelve activities in the CRM.
  const token = await e2e.graphToken(MAILBOX);
  for (const id of eventIds) {
    const response = await fetch(`${e2e.graphUrl}/v1.0/me/events/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(204);
  }
  const question = page.getByRole('alert').filter({ hasText: 'Sync stopped before deleting.' });
  await question.waitFor({ timeout: 60_000 });
  await settled(page);
  await page.screenshot({ path: path.join(shots, 'brake-en-320.png'), fullPage: true });
  const held = question.getByRole('region', { name: /these 12 items/ });
  await expect(held.getByRole('listitem').count()).resolves.toBe(12);
  // As text (the CRM's cleaning shows its < as ‹, crm/crmText.ts), never as markup.
  await expect(held.textContent()).resolves.toContain('img src=x onerror=alert(1)>');
  await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

  // Keyboard: the list takes the focus to scroll, then "Go ahead" answers.
  await tabTo(page, held);
  expect(await focusReport(page)).toMatchObject({ indicated: true });
  const goAhead = question.getByRole('button', { name: 'Go ahead' });
  await tabTo(page, goAhead);
  expect(await focusReport(page)).toMatchObject({ role: 'button', indicated: true });
  await page.keyboard.press('Enter');
  await question.waitFor({ state: 'hidden', timeout: 60_000 });
  const deadline = Date.now() + 30_000;
  // The demo data has a cancelled activity of its own: count ours.
  const ours = async () =>
    (await cancelledInCrm()).filter((s) => s.startsWith('Brake test') || s.includes('onerror'));
  let cancelled = await ours();
  while (cancelled.length < 12 && Date.now() < deadline) {
    await page.waitForTimeout(250); // a poll interval, bounded by the deadline
    cancelled = await ours();
  }
  expect(cancelled).toHaveLength(12);
  expect(dialogs).toEqual([]);
  await context.close();
});
