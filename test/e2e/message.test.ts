/**
 * The message view for real (issue 7, SPEC O3): the pane opened on a message from a CRM contact
 * (`?message=<sender>`, the standalone host's stand-in for Outlook's current message) signs in to
 * the sandbox CRM and shows the contact card; an activity is created from the mail; a project is
 * shared with rights and sections, changed and stopped — the CRM server's state checked after each.
 * Screenshots at 320 px in English and Swedish (SHOTS_DIR, else test-results/).
 */
import path from 'node:path';
import { DEMO } from '../../sandbox/crm';
import { focusReport } from './support/focus';
import { crmHeaders, horizontalOverflow, shots, startE2e, type E2e } from './support/harness';
jest.setTimeout(240_000);

const MAILBOX = 'anna@contoso.example';
const SENDER = 'liisa.laine@fabrikam.example';
const SUBJECT = 'Offer <img src=x onerror=alert(1)>';
const SHARE = '/api/v1/projects/prj_fabrikam_crm/extranet-shares/con_fabrikam_liisa';

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
});

afterAll(async () => {
  await e2e?.close();
});

/** GET on the CRM server as anna (or the sandbox API with the admin key). */
async function crmGet(pathAndQuery: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (pathAndQuery.startsWith('/sandbox/')) {
    headers['x-api-key'] = DEMO.adminApiKey;
  } else {
    Object.assign(headers, await crmHeaders(e2e.crmUrl, MAILBOX));
  }
  const res = await fetch(`${e2e.crmUrl}${pathAndQuery}`, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

test('a message from a CRM contact: the card, an activity, and sharing a project', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    // "Not shared" is the contract's 404 on a share: Chromium logs every 404 it loads.
    const notShared = message.text().includes('status of 404');
    if (message.type() === 'error' && !notShared) errors.push(message.text());
  });
  const query = new URLSearchParams({
    message: SENDER,
    senderName: 'Liisa Laine',
    subject: SUBJECT,
    body: 'Hello,\nplease see the offer.',
  });
  await page.goto(`${e2e.paneUrl}taskpane.html?${query.toString()}`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill(MAILBOX);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Connected to the CRM' }).waitFor({ timeout: 20_000 });

  await page.getByRole('tab', { name: 'This item' }).click();
  const panel = page.getByRole('tabpanel', { name: 'This item' });
  await panel
    .getByRole('heading', { name: 'Liisa Laine' })
    .waitFor({ timeout: 20_000 })
    .catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(shots, 'message-failed.png'), fullPage: true });
      throw error;
    });
  await panel.getByRole('heading', { name: SUBJECT }).waitFor(); // markup in a subject is text
  await panel.getByText('Fabrikam Oy').waitFor();
  await panel
    .getByRole('list', { name: 'Open projects' })
    .getByText('Fabrikam CRM rollout')
    .waitFor();
  await panel.getByText('CIO').waitFor();

  // An activity from the mail, with Liisa as participant.
  await panel
    .getByRole('combobox', { name: 'Activity type' })
    .selectOption({ label: 'Phone call' });
  await panel.getByRole('button', { name: 'Create activity' }).click();
  await panel
    .getByText('Activity created in the CRM', { exact: false })
    .waitFor({ timeout: 15_000 });
  const card = await crmGet('/api/v1/contacts/con_fabrikam_liisa/card');
  const upcoming = (card.body as { upcomingActivities: { subject: string; typeId: string }[] })
    .upcomingActivities;
  expect(upcoming).toContainEqual(
    expect.objectContaining({ subject: 'Offer ‹img src=x onerror=alert(1)>', typeId: 'typ_call' }),
  );
  await panel
    .getByRole('list', { name: 'Upcoming activities' })
    .getByText('Offer ‹img src=x onerror=alert(1)>')
    .waitFor({ timeout: 10_000 });

  // Share a project with rights and sections (by keyboard for the first box).
  await panel.getByRole('button', { name: 'Share a project…' }).click();
  await panel.getByText('Not shared.', { exact: false }).waitFor({ timeout: 10_000 });
  const approve = panel.getByRole('checkbox', {
    name: 'Approve hours (does not affect invoicing)',
  });
  await approve.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await focusReport(page)).toMatchObject({ indicated: true });
  await page.keyboard.press('Space');
  await panel
    .getByRole('group', { name: 'Phases' })
    .getByRole('checkbox', { name: 'Gantt chart' })
    .check();
  await panel
    .getByRole('group', { name: 'Financials' })
    .getByRole('checkbox', { name: 'Invoicing' })
    .check();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'message-share-en-320.png'), fullPage: true });
  await panel.getByRole('button', { name: 'Share', exact: true }).click();
  await panel
    .getByText('The CRM sent an invitation', { exact: false })
    .waitFor({ timeout: 10_000 });
  let share = await crmGet(SHARE);
  expect(share.status).toBe(200);
  expect(share.body).toMatchObject({
    rights: { approveHours: true, comment: false, addFilesAndLinks: false },
    sections: {
      financials: { invoicing: true, billable: false },
      phases: { gantt: true, tree: false, hoursWithTimes: false, estimates: false },
      other: { status: false, changeStatus: false, filesAndLinks: false },
    },
  });
  const outbox = await crmGet('/sandbox/extranet-outbox');
  expect((outbox.body as { items: { recipient: string }[] }).items).toEqual([
    expect.objectContaining({ recipient: SENDER }),
  ]);

  // Change: takes effect at once in the CRM.
  await approve.uncheck();
  await panel.getByRole('checkbox', { name: 'Changing the status' }).check();
  await panel.getByRole('button', { name: 'Save changes' }).click();
  await panel.getByText('Changes saved', { exact: false }).waitFor({ timeout: 10_000 });
  share = await crmGet(SHARE);
  expect(share.body).toMatchObject({
    rights: { approveHours: false },
    sections: { other: { changeStatus: true }, phases: { gantt: true } },
  });

  // Stop: asks first; cancelling keeps it, confirming stops it.
  await panel.getByRole('button', { name: 'Stop sharing' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Stop sharing?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await crmGet(SHARE)).status).toBe(200);
  await panel.getByRole('button', { name: 'Stop sharing' }).click();
  await dialog.getByRole('button', { name: 'Stop sharing' }).click();
  await panel.getByText('Sharing stopped.').waitFor({ timeout: 10_000 });
  expect((await crmGet(SHARE)).status).toBe(404);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'message-en-320.png'), fullPage: true });

  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: 'Svenska' }).click();
  await page.getByText('Öppna projekt').waitFor();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'message-sv-320.png'), fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});
