/**
 * The item view for real (SPEC E1, O1, O2): an appointment is made in the Graph emulator, the pane
 * is opened on it (`?item=<event id>`, the standalone host's stand-in for Outlook's current item),
 * signs in against the sandbox CRM and syncs; the item tab then shows the link and its last syncs,
 * and a customer set through the relation search is what the CRM server holds afterwards; a
 * project is shared with the activity's contact person (SPEC O3), as the CRM server then holds it.
 * Screenshots at 320 px in English and Italian (SHOTS_DIR, else test-results/).
 */
import path from 'node:path';
import { DEMO } from '../../sandbox/crm';
import { focusReport } from './support/focus';
import {
  createOutlookEvent as createEvent,
  crmHeaders,
  horizontalOverflow,
  shots,
  startE2e,
  type E2e,
} from './support/harness';
jest.setTimeout(240_000);

const MAILBOX = 'anna@contoso.example';
// The CRM refuses markup in a subject (400); a lone `<` and quotes must still show as text.
const SUBJECT = 'Quarterly review: Q3 < Q4 & "more"';

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e({ servers: true });
});

afterAll(async () => {
  await e2e?.close();
});

/** Makes an appointment tomorrow in anna's calendar in the Graph emulator; returns its id. */
const createOutlookEvent = async () =>
  createEvent(e2e.graphUrl, await e2e.graphToken(MAILBOX), { subject: SUBJECT, days: 1 });

/** Headers for the CRM server's API as anna. */
const annaHeaders = () => crmHeaders(e2e.crmUrl, MAILBOX);

/** anna's CRM activity with this subject, as the CRM server holds it. */
async function crmActivity(subject: string) {
  const headers = await annaHeaders();
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 5 * 86_400_000).toISOString();
  const list = await fetch(
    `${e2e.crmUrl}/api/v1/activities?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    { headers },
  );
  const { items } = (await list.json()) as {
    items: {
      id: string;
      etag: string;
      subject: string;
      relations: { customerId: string | null };
      participants: { kind: string; userId?: string; contactId?: string; optional: boolean }[];
    }[];
  };
  return items.find((a) => a.subject === subject) ?? null;
}

/** SPEC O3: someone in the CRM adds the customer's contact persons to the activity. */
async function addContactParticipants(subject: string, contactIds: readonly string[]) {
  const activity = await crmActivity(subject);
  expect(activity).not.toBeNull();
  const kept = activity!.participants.flatMap((p) =>
    p.kind === 'user' ? [{ kind: 'user', userId: p.userId, optional: p.optional }] : [],
  );
  const added = contactIds.map((contactId) => ({ kind: 'contact', contactId, optional: false }));
  const res = await fetch(`${e2e.crmUrl}/api/v1/activities/${encodeURIComponent(activity!.id)}`, {
    method: 'PATCH',
    headers: { ...(await annaHeaders()), 'If-Match': activity!.etag },
    body: JSON.stringify({ participants: [...kept, ...added] }),
  });
  expect(res.status).toBe(200);
}

/** The project's extranet share with the contact, as the CRM server holds it. */
async function crmShare(projectId: string, contactId: string) {
  const res = await fetch(
    `${e2e.crmUrl}/api/v1/projects/${projectId}/extranet-shares/${contactId}`,
    {
      headers: await annaHeaders(),
    },
  );
  return { status: res.status, body: (await res.json()) as unknown };
}

test('the item view shows a linked appointment and sets its customer in the CRM, at 320 px', async () => {
  const eventId = await createOutlookEvent();
  const context = await e2e.browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // "Not shared" is the contract's 404 on a share: Chromium logs every 404 it loads.
    const notShared = message.text().includes('status of 404');
    if (message.type() === 'error' && !notShared) errors.push(message.text());
  });
  await page.goto(`${e2e.paneUrl}taskpane.html?item=${encodeURIComponent(eventId)}`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
  await page.getByLabel('API key').fill(DEMO.apiKey);
  await page.getByLabel('CRM username').fill(MAILBOX);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Connected to the CRM' }).waitFor({ timeout: 20_000 });
  await page.getByRole('checkbox', { name: 'I have read this' }).check();
  await page.getByRole('button', { name: 'Start sync' }).click({ timeout: 60_000 });
  await page.getByText('Last synced', { exact: false }).waitFor({ timeout: 90_000 });
  // Liisa has an e-mail address, Ingrid none.
  await addContactParticipants(SUBJECT, ['con_fabrikam_liisa', 'con_northwind_ingrid']);

  await page.getByRole('tab', { name: 'This item' }).click();
  const panel = page.getByRole('tabpanel', { name: 'This item' });
  await panel
    .getByText('Linked to a CRM activity')
    .waitFor({ timeout: 30_000 })
    .catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(shots, 'item-failed.png'), fullPage: true });
      throw error;
    });
  await panel.getByRole('heading', { name: SUBJECT }).waitFor(); // markup in a subject is text
  const history = panel.getByRole('list', { name: 'Last syncs' });
  await history.getByText('Copy to the CRM').waitFor();
  await panel.getByText('Type: Meeting').waitFor();
  const crmLink = panel.getByRole('link', { name: 'Open in the CRM' });
  const href = await crmLink.getAttribute('href');
  const activity = await crmActivity(SUBJECT);
  expect(activity).not.toBeNull();
  // The pane's CRM address is `localhost`, the server's own URL 127.0.0.1: same port and path.
  expect(new URL(href ?? '').port).toBe(new URL(e2e.crmUrl).port);
  expect(new URL(href ?? '').pathname).toBe(`/app/activities/${activity!.id}`);
  await panel.getByRole('link', { name: 'Open in Outlook' }).waitFor();

  // O1 by keyboard: type into the customer search, pick with the arrow keys and Enter.
  const customer = panel.getByRole('combobox', { name: 'Customer' });
  await customer.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await focusReport(page)).toMatchObject({ role: 'combobox', indicated: true });
  await page.keyboard.type('North');
  await page.getByRole('option', { name: 'Northwind Traders AB' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await panel.getByText('Customer saved in the CRM.').waitFor({ timeout: 10_000 });
  expect((await crmActivity(SUBJECT))?.relations.customerId).toBe('cus_northwind');
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'item-en-320.png'), fullPage: true });

  // SPEC O3 from the appointment: the contact persons; a project shared with Liisa.
  const people = panel.getByRole('list', { name: 'Contact persons' });
  const ingrid = people.getByRole('listitem').filter({ hasText: 'Ingrid Holm' });
  await ingrid.getByText('has no valid e-mail address', { exact: false }).waitFor();
  expect(
    await ingrid.getByRole('button', { name: 'Share a project…' }).getAttribute('aria-disabled'),
  ).toBe('true');
  const liisa = people.getByRole('listitem').filter({ hasText: 'Liisa Laine' });
  await liisa.getByRole('button', { name: 'Share a project…' }).click();
  const form = panel.getByRole('region', { name: 'Share a project with Liisa Laine' });
  await form.getByText('Not shared.', { exact: false }).waitFor({ timeout: 10_000 });
  await form.getByRole('combobox', { name: 'Project' }).selectOption('prj_fabrikam_crm');
  await form.getByText('Not shared.', { exact: false }).waitFor({ timeout: 10_000 });
  await form.getByRole('checkbox', { name: 'Comment' }).check();
  await form
    .getByRole('group', { name: 'Other' })
    .getByRole('checkbox', { name: 'Status', exact: true })
    .check();
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByText('The CRM sent an invitation', { exact: false }).waitFor({ timeout: 10_000 });
  const share = await crmShare('prj_fabrikam_crm', 'con_fabrikam_liisa');
  expect(share.status).toBe(200);
  expect(share.body).toMatchObject({
    rights: { approveHours: false, comment: true, addFilesAndLinks: false },
    sections: { other: { status: true, changeStatus: false }, financials: { invoicing: false } },
  });
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'item-share-en-320.png'), fullPage: true });

  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: 'Italiano' }).click();
  await page.getByText("Collegato a un'attività del CRM").waitFor();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, 'item-it-320.png'), fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});
