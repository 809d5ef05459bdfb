/**
 * Issue 17, item 6 in Chromium: signed in to a company that runs the always-on sync service, the
 * pane shows the service's state and history — through the service's control API, checked against
 * the sandbox CRM with the pane's own session — and starts no engine of its own: no Graph sync
 * request leaves the page, and no sync store is made in its IndexedDB. Screenshot at 320 px.
 *
 * The company is switched to the service as an admin does it: the CRM's admin PATCH /company with
 * `syncService.url` (docs/crm-sync-api.yaml).
 */
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { DEMO } from '../../sandbox/crm';
import { listenControlApi } from '../../src/service/api/controlApi';
import { crmVerifier } from '../../src/service/api/verifyCaller';
import { SqliteServiceControl } from '../support/sqliteServiceControl';
import { focusReport } from './support/focus';
import { horizontalOverflow, shots, startE2e, tabTo, type E2e } from './support/harness';

jest.setTimeout(240_000);

const ANNA = 'anna@contoso.example';

let e2e: E2e;
let api: Awaited<ReturnType<typeof listenControlApi>>;
let control: SqliteServiceControl;

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
  control = new SqliteServiceControl(() => new Date().toISOString());
  const store = control.add(ANNA);
  // What the service's engine recorded for Anna before the pane opened: a run that wrote three
  // items, one set aside, and a value it overwrote (with a hostile subject, shown as text).
  const run = await store.startRun({
    startedAt: '2026-12-05T07:58:00Z',
    state: 'running',
    counts: {},
    failures: [],
  });
  await store.finishRun({
    id: run,
    startedAt: '2026-12-05T07:58:00Z',
    finishedAt: '2026-12-05T07:58:04Z',
    state: 'done',
    counts: { createInCrm: 2, updateOutlook: 1 },
    failures: [{ itemKey: 'o:SETASIDE', code: 'invalidRequest' }],
  });
  await store.noteFailure('o:SETASIDE', 'invalidRequest', '2026-12-05T07:58:02Z');
  await store.noteFailure('o:SETASIDE', 'invalidRequest', '2026-12-05T07:58:03Z');
  await store.noteFailure('o:SETASIDE', 'invalidRequest', '2026-12-05T07:58:04Z');
  await store.addTrash({
    at: '2026-12-05T07:58:03Z',
    outlookId: 'TRASHED',
    crmId: 'act_9',
    lost: { field: 'subject', side: 'outlook', value: '<img src=x onerror=alert(1)> Offsite' },
  });
  control.setStatus(ANNA, {
    state: 'idle',
    lastSyncAt: '2026-12-05T07:58:04Z',
    lastOutcome: { state: 'done', counts: { createInCrm: 2, updateOutlook: 1 }, failures: 1 },
    lastTrigger: 'notification',
  });
  api = await listenControlApi({
    control,
    verify: crmVerifier({ crmAddress: e2e.crmUrl }),
    paneOrigins: [new URL(e2e.paneUrl).origin],
    host: '127.0.0.1',
    port: 0,
  });
  // The company runs the service: its address set with the admin key, as an admin would.
  const res = await fetch(`${e2e.crmUrl}/api/v1/company`, {
    method: 'PATCH',
    headers: { 'x-api-key': DEMO.adminApiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ syncService: { url: api.url } }),
  });
  if (!res.ok) throw new Error(`PATCH /company answered ${res.status}`);
  await res.arrayBuffer();
});

afterAll(async () => {
  await api?.close();
  control?.close();
  await e2e?.close();
});

/** The page's IndexedDB databases' names (a pane that syncs makes `crm-sync:<mailbox>`). */
const databases = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));

/** Graph requests a sync run makes: calendar views, deltas, event reads and writes, batches. */
const isGraphSync = (url: string) =>
  /\/calendarView|\/delta|\/events|\$batch|\/contacts/i.test(url);

test('signed in to a company on the service, the pane shows its state and history and syncs nothing itself', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const graphRequests: string[] = [];
  const serviceRequests: string[] = [];
  page.on('request', (request: Request) => {
    // The pane's configuration names the servers by `localhost`: tell them apart by port.
    const port = new URL(request.url()).port;
    if (port === new URL(e2e.graphUrl).port) graphRequests.push(request.url());
    if (port === new URL(api.url).port) serviceRequests.push(request.url());
  });

  await page.goto(`${e2e.paneUrl}taskpane.html`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill(ANNA);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Connected to the CRM' }).waitFor({ timeout: 20_000 });

  // No first-sync questions: the service already syncs, and the pane says so.
  await page
    .getByText("Sync runs on your company's sync service", { exact: false })
    .first()
    .waitFor();
  expect(await page.getByRole('button', { name: 'Start sync' }).count()).toBe(0);
  await page.locator('[data-sync-state="idle"]').first().waitFor({ timeout: 20_000 });
  await page.getByText('Last synced', { exact: false }).first().waitFor();

  await page.getByRole('tab', { name: 'Status' }).click();
  const history = page.getByRole('table', { name: 'Sync history' });
  await history.waitFor({ timeout: 20_000 });
  await history
    .getByText(/^Done · 3 changes/)
    .first()
    .waitFor();
  // The hostile value is text, not markup.
  await page.getByText('<img src=x onerror=alert(1)> Offsite', { exact: false }).first().waitFor();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  // The pane's own loop's extra runs are not offered with the service.
  expect(await page.getByRole('button', { name: 'Full sync now' }).count()).toBe(0);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'service-status-en-320.png'), fullPage: true });

  // "Sync now" by keyboard reaches the service.
  const syncNow = page.getByRole('button', { name: 'Sync now' }).first();
  await tabTo(page, syncNow);
  expect(await focusReport(page)).toMatchObject({ role: 'button', indicated: true });
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 15_000;
  while (control.syncNowCount(ANNA) < 1 && Date.now() < deadline) {
    await page.waitForTimeout(100); // a poll interval, bounded by the deadline
  }
  expect(control.syncNowCount(ANNA)).toBe(1);

  // The brake's question comes from the service; "Go ahead" confirms exactly what it showed.
  control.brake(ANNA, [
    {
      brake: { kind: 'massDelete', destructive: 9, linked: 12, ids: ['o-1'] },
      items: [{ id: 'o-1', subject: 'Weekly review', start: '2026-12-07T09:00:00Z' }],
    },
  ]);
  const question = page.getByRole('alert').filter({ hasText: 'Weekly review' });
  await question.waitFor({ timeout: 20_000 });
  await page.screenshot({ path: path.join(shots, 'service-brake-en-320.png'), fullPage: true });
  await question.getByRole('button').first().click();
  const answered = Date.now() + 15_000;
  while (control.answers(ANNA).length < 1 && Date.now() < answered) {
    await page.waitForTimeout(100); // a poll interval, bounded by the deadline
  }
  expect(control.answers(ANNA)).toEqual([[{ items: 'calendar', ids: ['o-1'] }]]);

  // No engine: no Graph sync request, no sync store in the page.
  expect(serviceRequests.length).toBeGreaterThan(0);
  // The sign-in lists the mailbox's calendars (Graph) as always: that is no sync.
  expect(graphRequests.length).toBeGreaterThan(0);
  expect(graphRequests.filter(isGraphSync)).toEqual([]);
  expect((await databases(page)).filter((name) => name.startsWith('crm-sync:'))).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
