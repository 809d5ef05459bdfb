/**
 * The item tab (SPEC E1, T3, O1, O2) on the real item service over a fake-indexeddb store: what
 * the engine recorded about the appointment is shown, a type picked for an item waiting for one
 * is what the next real run (on the in-memory ports) creates the CRM activity with, and relations
 * are set through a CRM fake that behaves (unknown ids and stale ETags fail).
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Host } from '../../../src/host/host';
import { memorySettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { recordSync } from '../../../src/sync/store/records';
import { DexieSyncStore } from '../../../src/sync/store/dexieSyncStore';
import { createItemService } from '../../../src/taskpane/item/createItemService';
import { readTypeChoices } from '../../../src/taskpane/item/typeChoices';
import { preferencesSettingKey } from '../../../src/taskpane/preferences/preferencesStore';
import { runWithCurrentSettings } from '../../../src/taskpane/sync/startSync';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { item, NOW, settings as baseSettings } from '../../support/planFixtures';
import { FakeItemCrm } from './fakeItemCrm';
import { emptySyncDbEachTest, MAILBOX, storedLink } from './paneStore';
import { renderPane, renderSyncingPane, sandboxConfig } from './renderPane';

const HOSTILE = '<img src=x onerror=alert(1)>';
/** Searches wait SEARCH_DELAY_MS before asking the CRM; a busy machine needs more than 1 s. */
// Whole-pane renders with sign-in take seconds on a shared machine: the limit test/setup/timeouts.ts
// gives every wait.
const SLOW = { timeout: 30_000 };

const EDIT_CONFLICT = 'The item was changed elsewhere at the same time.';

const db = emptySyncDbEachTest();

const link = (outlookId: string, crmId: string, subject: string, isOwner = true) =>
  storedLink(outlookId, crmId, item({ subject }), isOwner);

/** Signs in with the fake service, starts the (fake) loop and opens the item tab. */
async function openItem(options: Parameters<typeof renderSyncingPane>[0]) {
  const rendered = await renderSyncingPane(options);
  fireEvent.click(screen.getByRole('tab', { name: 'This item' }));
  return rendered;
}

/** The real item service on the host, with `crm` as its CRM. */
const withCrm = (crm: FakeItemCrm) => (host: Host) => ({
  ...createItemService({ host, config: sandboxConfig }),
  crm: () => crm,
});

test('outside an appointment the tab says where to open it', async () => {
  await renderPane();
  fireEvent.click(screen.getByRole('tab', { name: 'This item' }));
  expect(
    await screen.findByText('Open this pane on an appointment to see how it syncs with the CRM.'),
  ).toBeTruthy();
});

test('E1: a linked appointment shows its state and its last three syncs, reasons included', async () => {
  await db().links.put(link('ev-1', 'act-1', HOSTILE));
  const records = [
    { at: '2026-11-20T08:00:00Z', op: 'createInCrm', outcome: 'ok' },
    { at: '2026-11-21T08:00:00Z', op: 'updateCrm', outcome: 'failed', code: 'throttled' },
    {
      at: '2026-11-21T09:00:00Z',
      op: 'skip',
      outcome: 'skipped',
      code: 'recurrenceNotSupported',
      detail: ['BYMONTHDAY=31', 'BYSETPOS=2'],
    },
    { at: '2026-11-22T08:00:00Z', op: 'updateOutlook', outcome: 'ok' },
  ] as const;
  for (const r of records) await recordSync(db(), { itemKey: 'o:ev-1', ...r });
  let alerted = false;
  const alert = jest.spyOn(window, 'alert').mockImplementation(() => void (alerted = true));

  const { container } = await renderPane({ item: { id: 'ev-1' } });
  fireEvent.click(screen.getByRole('tab', { name: 'This item' }));
  const panel = screen.getByRole('tabpanel', { name: 'This item' });
  // The subject from the store, as text.
  expect(await within(panel).findByRole('heading', { name: HOSTILE })).toBeTruthy();
  expect(container.querySelector('img')).toBeNull();
  expect(within(panel).getByText('Linked to a CRM activity')).toBeTruthy();

  const history = within(panel).getByRole('list', { name: 'Last syncs' });
  const rows = within(history).getAllByRole('listitem');
  expect(rows).toHaveLength(3); // SPEC E1: the last three, newest first
  expect(rows[0]?.textContent).toContain("Write the CRM's changes to Outlook");
  expect(rows[1]?.textContent).toContain('Not synced');
  expect(rows[1]?.textContent).toContain(
    'Outlook cannot repeat it the way the CRM does: BYMONTHDAY=31, BYSETPOS=2',
  );
  expect(rows[2]?.textContent).toContain('Failed');
  expect(rows[2]?.textContent).toContain('Send changes to the CRM');
  expect(history.textContent).not.toContain('Copy to the CRM'); // the oldest is gone
  // Not signed in: the CRM part says what to do.
  expect(
    within(panel).getByText(/Sign in on the Sign-in tab to see the CRM activity/),
  ).toBeTruthy();

  // A new run's record shows up without reopening the tab (a live query).
  await act(async () => {
    await recordSync(db(), {
      itemKey: 'o:ev-1',
      at: '2026-11-23T08:00:00Z',
      op: 'updateCrm',
      outcome: 'ok',
    });
  });
  await waitFor(() =>
    expect(within(history).getAllByRole('listitem')[0]?.textContent).toContain(
      'Send changes to the CRM',
    ),
  );
  expect(alerted).toBe(false);
  alert.mockRestore();
});

test('T3: a type picked for a waiting item is kept, syncs now, and the next run creates the activity with it', async () => {
  // The engine on the in-memory ports, with "ask me each time" (no default type).
  const settings = { ...baseSettings, defaultTypeId: null };
  const outlook = new InMemoryOutlookCalendar(MAILBOX);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW));
  const deps: EngineDeps = {
    outlook,
    crm: backend.as(settings.crmUserId),
    store: new DexieSyncStore(db()),
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client-1',
  };
  const event = outlook.outlookCreate('calendar', item({ subject: 'Kick-off' }));
  await runSync(deps);
  expect(backend.rows.size).toBe(0);
  expect((await db().records.toArray()).map((r) => r.code)).toEqual(['waitingForType']);

  const rendered = await openItem({ item: { id: event.id } });
  const panel = screen.getByRole('tabpanel', { name: 'This item' });
  expect(await within(panel).findByText('Waiting for an activity type')).toBeTruthy();
  expect(
    within(panel).getByText('It needs an activity type before it can be copied to the CRM.'),
  ).toBeTruthy();
  const submit = within(panel).getByRole('button', { name: 'Sync with this type' });
  expect(submit.getAttribute('aria-disabled')).toBe('true'); // nothing picked yet

  fireEvent.click(within(panel).getByRole('combobox', { name: 'Activity type' }));
  // The personal type cannot be picked (SPEC P1 has its own rule).
  expect(screen.queryByRole('option', { name: 'Personal' })).toBeNull();
  fireEvent.click(screen.getByRole('option', { name: 'Phone call' }));
  const { loop } = rendered;
  const before = loop.syncNowCalls;
  await act(async () => {
    fireEvent.click(submit);
  });
  await waitFor(() => expect(loop.syncNowCalls).toBe(before + 1));
  expect(
    await within(panel).findByText('Chosen: Phone call. The next sync copies it to the CRM.'),
  ).toBeTruthy();

  // What the pane kept is what every run of the real loop reads (startSync.ts).
  const host = new StandaloneHost({
    mailbox: MAILBOX,
    settings: rendered.settings,
    deviceSettings: rendered.settings, // renderPane keeps the device store in the same one
  });
  expect(readTypeChoices(host)).toEqual({ [event.id]: 't-call' });
  const run = runWithCurrentSettings(
    deps,
    () => settings,
    runSync,
    () => readTypeChoices(host),
  );
  await expect(run({})).resolves.toMatchObject({ state: 'done' });
  const created = [...backend.rows.values()].map((r) => backend.view(r));
  expect(created.map((a) => [a.item.subject, a.crm.typeId])).toEqual([['Kick-off', 't-call']]);
  expect(outlook.all()[0]?.crmId).toBe(created[0]?.id);
  await within(panel).findByText('Linked to a CRM activity');
  expect(within(panel).queryByRole('button', { name: 'Sync with this type' })).toBeNull();
});

function crmWithRelations() {
  const crm = new FakeItemCrm();
  crm.customers.push(
    { id: 'cus-1', name: 'Fabrikam', customerId: null },
    { id: 'cus-2', name: HOSTILE, customerId: null },
  );
  crm.projects.push(
    { id: 'prj-a', name: 'Alpha rollout', customerId: 'cus-2' },
    { id: 'prj-f', name: 'Fabrikam portal', customerId: 'cus-1' },
  );
  crm.activities.set('act-1', {
    id: 'act-1',
    version: 1,
    typeId: 't-visit',
    relations: { customerId: 'cus-1', projectId: null, salesCaseId: null },
  });
  crm.webLinks.set('ev-1', 'https://outlook.example.com/calendar/item/ev-1');
  return crm;
}

test("O1, O2: the linked activity's relations are searched and set; links open the CRM and Outlook", async () => {
  await db().links.put(link('ev-1', 'act-1', 'Visit'));
  const crm = crmWithRelations();
  const rendered = await openItem({
    item: { id: 'ev-1', subject: 'Visit' },
    itemService: withCrm(crm),
  });
  const panel = screen.getByRole('tabpanel', { name: 'This item' });
  expect(await within(panel).findByText('Type: Customer visit')).toBeTruthy();
  expect(within(panel).getByRole('link', { name: 'Open in the CRM' }).getAttribute('href')).toBe(
    'https://crm.example.com/app/activities/act-1',
  );
  expect(
    (await within(panel).findByRole('link', { name: 'Open in Outlook' })).getAttribute('href'),
  ).toBe('https://outlook.example.com/calendar/item/ev-1');
  const customer = within(panel).getByRole<HTMLInputElement>('combobox', { name: 'Customer' });
  expect(customer.value).toBe('Fabrikam');

  // Search by typing; the hostile name is an option's text, never markup.
  fireEvent.change(customer, { target: { value: 'img' } });
  const option = await screen.findByRole('option', { name: HOSTILE }, SLOW);
  expect(rendered.container.ownerDocument.querySelector('img')).toBeNull();
  await act(async () => {
    fireEvent.click(option);
  });
  await within(panel).findByText('Customer saved in the CRM.');
  expect(crm.activities.get('act-1')?.relations).toEqual({
    customerId: 'cus-2',
    projectId: null,
    salesCaseId: null,
  });
  expect(customer.value).toBe(HOSTILE);

  // Remove it again with the button beside it.
  await act(async () => {
    fireEvent.click(within(panel).getByRole('button', { name: 'Remove Customer' }));
  });
  await within(panel).findByText('Customer removed in the CRM.');
  expect(crm.activities.get('act-1')?.relations.customerId).toBeNull();
});

test("O1: with 'show the customer's relations' on, the customer's projects come first", async () => {
  await db().links.put(link('ev-1', 'act-1', 'Visit'));
  const crm = crmWithRelations();
  const settings = memorySettingsStore();
  settings.set(preferencesSettingKey, { options: { showRelationsByDefault: true } });
  await openItem({ item: { id: 'ev-1' }, settings, itemService: withCrm(crm) });
  const panel = screen.getByRole('tabpanel', { name: 'This item' });
  const project = await within(panel).findByRole('combobox', { name: 'Project' });
  fireEvent.click(project);
  const group = await screen.findByRole('group', { name: 'Of Fabrikam' }, SLOW);
  expect(
    within(group)
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['Fabrikam portal']);
  const all = screen.getAllByRole('option').map((o) => o.textContent);
  expect(all).toEqual(['Fabrikam portal', 'Alpha rollout']); // by name it would be the reverse
});

test('a save the CRM refuses says why, and nothing is changed', async () => {
  await db().links.put(link('ev-1', 'act-1', 'Visit'));
  const crm = crmWithRelations();
  crm.customers.push({ id: 'cus-3', name: 'Contoso', customerId: null });
  await openItem({ item: { id: 'ev-1' }, itemService: withCrm(crm) });
  const panel = screen.getByRole('tabpanel', { name: 'This item' });
  await within(panel).findByRole('link', { name: 'Open in Outlook' }); // loaded
  const customer = within(panel).getByRole('combobox', { name: 'Customer' });
  fireEvent.change(customer, { target: { value: 'Conto' } });
  const option = await screen.findByRole('option', { name: 'Contoso' }, SLOW);
  // Meanwhile the relations were changed elsewhere: the CRM refuses the stale version (412).
  crm.activities.get('act-1')!.version += 1;
  await act(async () => {
    fireEvent.click(option);
  });
  expect(await within(panel).findByText(EDIT_CONFLICT)).toBeTruthy();
  expect(crm.activities.get('act-1')?.relations.customerId).toBe('cus-1');
});

test("O3: a project of the customer is shared with the appointment's contact person; one without a valid e-mail cannot be", async () => {
  await db().links.put(link('ev-1', 'act-1', 'Visit'));
  const crm = crmWithRelations();
  crm.activities.get('act-1')!.contacts = [
    { id: 'con-1', name: 'Maija Virtanen', email: 'maija@fabrikam.example' },
    { id: 'con-2', name: 'Pekka Nieminen', email: null },
  ];
  crm.openProjects.set('con-1', [
    { id: 'prj-f', name: 'Fabrikam portal' },
    { id: 'prj-g', name: 'Fabrikam intranet' },
  ]);
  await openItem({ item: { id: 'ev-1', subject: 'Visit' }, itemService: withCrm(crm) });
  const panel = screen.getByRole('tabpanel', { name: 'This item' });
  const people = await within(panel).findByRole('list', { name: 'Contact persons' });
  const [maija, pekka] = within(people).getAllByRole('listitem');
  expect(maija?.textContent).toContain('Maija Virtanen');
  expect(maija?.textContent).toContain('maija@fabrikam.example');

  // No valid address: shown, but the share cannot be opened, and it says why.
  const blocked = within(pekka!).getByRole('button', { name: 'Share a project…' });
  expect(blocked.getAttribute('aria-disabled')).toBe('true');
  expect(blocked.getAttribute('aria-describedby')).toBeTruthy();
  expect(pekka?.textContent).toContain(
    'Pekka Nieminen has no valid e-mail address in the CRM, so projects cannot be shared with them.',
  );
  fireEvent.click(blocked);
  expect(within(panel).queryByRole('region', { name: /Share a project with Pekka/ })).toBeNull();

  // The same form as from a message, with the customer's open projects to pick from.
  await act(async () => {
    fireEvent.click(within(maija!).getByRole('button', { name: 'Share a project…' }));
  });
  const form = await within(panel).findByRole('region', {
    name: 'Share a project with Maija Virtanen',
  });
  const picker = within(form).getByRole<HTMLSelectElement>('combobox', { name: 'Project' });
  expect(
    within(picker)
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['Fabrikam portal', 'Fabrikam intranet']);
  fireEvent.change(picker, { target: { value: 'prj-g' } });
  expect(await within(form).findByText(/^Not shared\./)).toBeTruthy();
  fireEvent.click(within(form).getByRole('checkbox', { name: 'Comment' }));
  await act(async () => {
    fireEvent.click(within(form).getByRole('button', { name: 'Share' }));
  });
  expect(
    await within(form).findByText('Shared. The CRM sent an invitation with a one-time password.'),
  ).toBeTruthy();
  expect(crm.shares.get('prj-g/con-1')?.rights).toEqual({
    approveHours: false,
    comment: true,
    addFilesAndLinks: false,
  });
  expect(crm.shares.has('prj-f/con-1')).toBe(false);
});
