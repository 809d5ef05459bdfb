/**
 * The real pane (dist/) and the real OfficeHost in Chromium under a test-only Office double
 * (./support/officeDouble.ts, issue 11 build item 10), against the sandbox CRM and the Graph
 * emulator: a pinned pane moved to another message files THAT message; two devices of one mailbox
 * (two browser contexts: two IndexedDBs, two lease holder ids) never write at once.
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
import {
  createOutlookEvent,
  crmHeaders,
  outlookSubjects,
  shots,
  startE2e,
  within,
  type E2e,
} from './support/harness';
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

/** Every activity subject the CRM has for anna around now. */
async function crmSubjectsNow(): Promise<string[]> {
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 300 * 86_400_000).toISOString();
  const res = await fetch(`${e2e.crmUrl}/api/v1/activities?from=${from}&to=${to}`, {
    headers: await crmHeaders(e2e.crmUrl, MAILBOX),
  });
  return ((await res.json()) as { items: { subject: string }[] }).items.map((a) => a.subject);
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
    // Chromium logs every 404 and 409 it loads: "not shared" and "the lease is held" are the
    // contract's answers, not errors of the pane.
    if (message.type() === 'error' && !/status of 40[49]/.test(message.text())) {
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

/** One request a device's pane made, as Chromium reported it (in the order it reported them). */
interface Traffic {
  readonly device: string;
  readonly at: number;
  readonly what: 'lease granted' | 'lease refused' | 'lease released' | 'write';
  readonly label: string;
  readonly holderId?: string;
}

test("ribbon Preferences reach the running sync loop and survive the pane's next save", async () => {
  const roaming = new RoamingStore();
  const pane = await openPane(roaming, null);
  await signIn(pane.page);
  await startFirstSync(pane.page);

  // Ribbon Preferences: the pane at ?view=preferences in a second runtime of the same mailbox and
  // installation; the double loads the roaming settings into each runtime once, as Office does.
  const preferences = await pane.context.newPage();
  const log: Traffic[] = [];
  watch(preferences, 'preferences', log);
  await preferences.goto(`${e2e.paneUrl}taskpane.html?view=preferences`);
  await preferences
    .getByRole('heading', { level: 2, name: 'Preferences' })
    .waitFor({ timeout: 20_000 });
  const ahead = preferences
    .getByRole('group', { name: 'From Outlook to the CRM' })
    .getByRole('spinbutton', { name: 'Days ahead' });
  await ahead.fill('3');
  await preferences.getByRole('button', { name: 'Save' }).click();
  await preferences.getByText('Preferences saved', { exact: false }).waitFor({ timeout: 10_000 });
  expect(roaming.get('preferences')).toMatchObject({ outlookToCrm: { daysAhead: 3 } });

  // The running loop of the first pane copies what is 2 days ahead and leaves what is 10.
  const token = await e2e.graphToken(MAILBOX);
  const near = `Near ${Date.now()}`;
  const far = `Far ${Date.now()}`;
  await createOutlookEvent(e2e.graphUrl, token, { subject: far, days: 10 });
  await createOutlookEvent(e2e.graphUrl, token, { subject: near, days: 2 });
  await pane.page.getByRole('button', { name: 'Sync now' }).click();
  expect(await within(crmSubjectsNow, near, 60_000)).toBe(true);
  expect(await crmSubjectsNow()).not.toContain(far);
  // The preferences page is not signed in: the copy was the first pane's loop.
  expect(log.filter((t) => t.what === 'write')).toEqual([]);

  // The first pane's next save (the application language) keeps them.
  await pane.page.getByRole('combobox', { name: 'Language' }).click();
  await pane.page.getByRole('option', { name: 'Suomi' }).click();
  await pane.page.waitForFunction(() => document.documentElement.lang === 'fi');
  const deadline = Date.now() + 10_000;
  while (roaming.get('appLanguage') !== 'fi' && Date.now() < deadline) {
    await pane.page.waitForTimeout(100);
  }
  expect(roaming.get('appLanguage')).toBe('fi');
  expect(roaming.get('preferences')).toMatchObject({ outlookToCrm: { daysAhead: 3 } });
  expect(pane.errors).toEqual([]);
  await pane.context.close();
});

/**
 * Is this request one that changes the CRM or the Outlook calendar (what the lease guards)? The
 * pane's configuration names the servers as localhost: they are told apart by port.
 */
function isWrite(method: string, url: string, body: string | null): boolean {
  if (method === 'GET' || method === 'OPTIONS' || method === 'HEAD') return false;
  const { port, pathname } = new URL(url);
  if (port === new URL(e2e.crmUrl).port) {
    return !/^\/api\/v1\/(sessions|sync-lease|pairing|error-reports)/.test(pathname);
  }
  if (port === new URL(e2e.graphUrl).port) {
    if (pathname.startsWith('/sandbox/')) return false;
    // A $batch may carry only reads.
    if (pathname.endsWith('$batch')) {
      return /"method"\s*:\s*"(POST|PATCH|PUT|DELETE)"/i.test(body ?? '');
    }
    return true;
  }
  return false;
}

/** The CRM's lease resource (its release names the holder in the query). */
const isLease = (url: string) => new URL(url).pathname === '/api/v1/sync-lease';

/** Records the lease and the writes of every page in `context` under `device`. */
function watch(context: BrowserContext | Page, device: string, log: Traffic[]): void {
  context.on('request', (request) => {
    const url = request.url();
    const method = request.method();
    if (isLease(url) && method === 'DELETE') {
      log.push({ device, at: Date.now(), what: 'lease released', label: 'DELETE /sync-lease' });
    } else if (isWrite(method, url, request.postData())) {
      log.push({
        device,
        at: Date.now(),
        what: 'write',
        label: `${method} ${new URL(url).pathname}`,
      });
    }
  });
  context.on('response', (response) => {
    const request = response.request();
    if (!isLease(request.url()) || request.method() !== 'PUT') return;
    const body = request.postDataJSON() as { holderId?: string } | null;
    log.push({
      device,
      at: Date.now(),
      what: response.status() === 200 ? 'lease granted' : 'lease refused',
      label: `PUT /sync-lease ${response.status()}`,
      holderId: body?.holderId,
    });
  });
}

/**
 * Starts the first sync from the preview, when the pane shows one (the mailbox's first device;
 * a later one may go straight to syncing), and waits for a finished run.
 */
async function startFirstSync(page: Page): Promise<void> {
  const preview = page.locator('[data-preview="ready"]');
  const synced = page.getByText('Last synced', { exact: false });
  await preview.or(synced).first().waitFor({ timeout: 60_000 });
  if (await preview.isVisible()) {
    await page.getByRole('checkbox', { name: 'I have read this' }).check();
    await page.getByRole('button', { name: 'Start sync' }).click();
  }
  await synced.waitFor({ timeout: 90_000 });
}

test('two devices on one mailbox never write at once', async () => {
  const token = await e2e.graphToken(MAILBOX);
  for (let i = 0; i < 3; i++) {
    await createOutlookEvent(e2e.graphUrl, token, { subject: `Before both ${i}`, days: 2 + i });
  }
  const log: Traffic[] = [];
  const roaming = new RoamingStore();
  // Two browser contexts: two IndexedDBs, so two installations with their own holder ids.
  const a = await openPane(roaming, null);
  watch(a.context, 'A', log);
  await signIn(a.page);
  await startFirstSync(a.page);
  const b = await openPane(roaming, null);
  watch(b.context, 'B', log);
  await signIn(b.page);
  await startFirstSync(b.page);

  // New work on both sides, then both devices asked to sync at the same moment.
  const fromOutlook = `Made in Outlook ${Date.now()}`;
  await createOutlookEvent(e2e.graphUrl, token, { subject: fromOutlook, days: 5 });
  const fromCrm = `Made in the CRM ${Date.now()}`;
  const start = new Date(Date.now() + 6 * 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  const created = await fetch(`${e2e.crmUrl}/api/v1/activities`, {
    method: 'POST',
    headers: { ...(await crmHeaders(e2e.crmUrl, MAILBOX)), 'idempotency-key': `od-${Date.now()}` },
    body: JSON.stringify({
      subject: fromCrm,
      start: start.toISOString(),
      end: new Date(start.getTime() + 3_600_000).toISOString(),
      timeZone: 'Europe/Helsinki',
      typeId: 'typ_meeting',
    }),
  });
  expect(created.status).toBe(201);
  await Promise.all([
    a.page.getByRole('button', { name: 'Sync now' }).click(),
    b.page.getByRole('button', { name: 'Sync now' }).click(),
  ]);
  expect(await within(crmSubjectsNow, fromOutlook, 60_000)).toBe(true);
  expect(
    await within(
      async () => outlookSubjects(e2e.graphUrl, await e2e.graphToken(MAILBOX)),
      fromCrm,
      60_000,
    ),
  ).toBe(true);

  // Two holder ids asked for the lease; every write came from the device holding it, and no
  // device was granted it while the other held it.
  const holders = new Map<string, Set<string>>();
  for (const t of log) {
    if (t.holderId) holders.set(t.device, (holders.get(t.device) ?? new Set()).add(t.holderId));
  }
  expect([...(holders.get('A') ?? [])]).toHaveLength(1);
  expect([...(holders.get('B') ?? [])]).toHaveLength(1);
  expect([...(holders.get('A') ?? [])][0]).not.toBe([...(holders.get('B') ?? [])][0]);
  let holder: string | null = null;
  const violations: string[] = [];
  for (const t of log) {
    if (t.what === 'lease granted') {
      if (holder !== null && holder !== t.device)
        violations.push(`${t.device} granted while ${holder} held it`);
      holder = t.device;
    } else if (t.what === 'lease released' && holder === t.device) {
      holder = null;
    } else if (t.what === 'write' && holder !== t.device) {
      violations.push(`${t.device} wrote (${t.label}) while the holder was ${holder ?? 'nobody'}`);
    }
  }
  expect(violations).toEqual([]);
  expect(log.filter((t) => t.what === 'write').length).toBeGreaterThan(0);
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
  await a.context.close();
  await b.context.close();
});
