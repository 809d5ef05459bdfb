/**
 * The real pane (dist/) and the real OfficeHost in Chromium under a test-only Office double
 * (./support/officeDouble.ts, issue 11 build item 10), against the sandbox CRM and the Graph
 * emulator: a pinned pane moved to another message files THAT message.
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO } from '../../sandbox/crm';
import {
  RoamingStore,
  selectItem,
  useOfficeDouble,
  type DoubleMessage,
} from './support/officeDouble';
import { crmHeaders, shots, startE2e, type E2e } from './support/harness';
jest.setTimeout(240_000);

const MAILBOX = 'anna@contoso.example';
const FIRST: DoubleMessage = {
  itemId: 'AAMkAGI2TG93AAA+first/=',
  from: { emailAddress: 'liisa.laine@fabrikam.example', displayName: 'Liisa Laine' },
  subject: 'Offer for the rollout',
  body: 'Hello,\nplease see the offer.',
};

const SECOND: DoubleMessage = {
  itemId: 'AAMkAGI2TG93AAA+second/=',
  from: { emailAddress: 'mikko.maki@fabrikam.example', displayName: 'Mikko Mäki' },
  subject: 'Timetable for phase two',
  body: 'Hi Anna,\nthe timetable is attached.',
};

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
});

afterAll(async () => {
  await e2e?.close();
});

/** The subjects of a contact's upcoming activities, read from the CRM server as anna. */
async function upcomingSubjects(contactId: string): Promise<string[]> {
  const res = await fetch(`${e2e.crmUrl}/api/v1/contacts/${contactId}/card`, {
    headers: await crmHeaders(e2e.crmUrl, MAILBOX),
  });
  const card = (await res.json()) as { upcomingActivities: { subject: string }[] };
  return card.upcomingActivities.map((a) => a.subject);
}

/** A pane in a new context (device) of the mailbox under the double; errors collected. */
async function openPane(
  roaming: RoamingStore,
  item: DoubleMessage | null,
  query = '',
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  await useOfficeDouble(context, roaming, { mailbox: MAILBOX, item });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('status of 404')) {
      errors.push(message.text());
    }
  });
  await page.goto(`${e2e.paneUrl}taskpane.html${query}`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 20_000 });
  return { context, page, errors };
}

async function signIn(page: Page): Promise<void> {
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill(MAILBOX);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Connected to the CRM' }).waitFor({ timeout: 20_000 });
}

test('a pinned pane switched to another message shows its card and files that message', async () => {
  const roaming = new RoamingStore();
  const { context, page, errors } = await openPane(roaming, FIRST);
  // The double is what the pane runs under: OfficeHost, not the standalone stand-in.
  await expect(page.evaluate(() => typeof (window as { Office?: unknown }).Office)).resolves.toBe(
    'object',
  );
  await signIn(page);
  await page.getByRole('tab', { name: 'This item' }).click();
  const panel = page.getByRole('tabpanel', { name: 'This item' });
  await panel
    .getByRole('heading', { name: 'Liisa Laine' })
    .waitFor({ timeout: 20_000 })
    .catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(shots, 'office-double-failed.png'), fullPage: true });
      throw error;
    });

  // The person selects another mail, from another CRM contact; the pinned pane follows.
  await selectItem(page, SECOND);
  await panel.getByRole('heading', { name: SECOND.from.displayName }).waitFor({ timeout: 20_000 });
  await panel.getByRole('heading', { name: SECOND.subject }).waitFor();
  expect(await panel.getByRole('heading', { name: 'Liisa Laine' }).count()).toBe(0);

  await panel
    .getByRole('combobox', { name: 'Activity type' })
    .selectOption({ label: 'Phone call' });
  await panel.getByRole('button', { name: 'Create activity' }).click();
  await panel
    .getByText('Activity created in the CRM', { exact: false })
    .waitFor({ timeout: 15_000 });
  // The CRM's state: the activity is THAT message's, with its sender as participant.
  expect(await upcomingSubjects('con_fabrikam_mikko')).toContain(SECOND.subject);
  expect(await upcomingSubjects('con_fabrikam_liisa')).not.toContain(SECOND.subject);
  expect(await upcomingSubjects('con_fabrikam_mikko')).not.toContain(FIRST.subject);
  expect(errors).toEqual([]);
  await context.close();
});
