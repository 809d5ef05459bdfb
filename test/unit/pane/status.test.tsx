/**
 * The Status tab (SPEC S3, S4, D3, D4, E2, E4) on the real status service over a fake-indexeddb
 * store: what the engine recorded is shown, and the buttons change the store the way the next run
 * needs (the engine side of that is test/unit/sync/statusActions.test.ts).
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DuplicateFinder } from '../../../src/taskpane/sync/startSync';
import { item as fixture } from '../../support/planFixtures';
import { emptySyncDbEachTest, storedLink } from './paneStore';
import { renderPane, renderSyncingPane } from './renderPane';

const HOSTILE = '<img src=x onerror=alert(1)>';

const db = emptySyncDbEachTest();

const item = (subject: string) => fixture({ subject, location: '' });
const link = (outlookId: string, crmId: string, subject: string) =>
  storedLink(outlookId, crmId, item(subject));

/** Signs in with the fake service, starts the (fake) loop and opens the Status tab. */
async function openStatus(language: 'en' | 'sv' = 'en', duplicates?: DuplicateFinder) {
  const rendered = await renderSyncingPane({ language, duplicates });
  fireEvent.click(screen.getByRole('tab', { name: 'Status' }));
  return rendered;
}

test('before sign-in the tab says what to do', async () => {
  await renderPane();
  fireEvent.click(screen.getByRole('tab', { name: 'Status' }));
  // The Status view loads when first shown (React.lazy).
  expect(await screen.findByText(/Sign in on the Sign-in tab to see the sync status/)).toBeTruthy();
});

test('shows the history with what failed and why; Retry releases the item and syncs now', async () => {
  await db().links.put(link('ev-1', 'act-1', 'Board meeting'));
  await db().runs.add({
    startedAt: '2026-11-22T09:00:00Z',
    finishedAt: '2026-11-22T09:00:05Z',
    state: 'done',
    counts: { createInCrm: 2, updateOutlook: 1, rebase: 7 },
    failures: [{ itemKey: 'o:ev-1', code: 'invalidRequest' }],
  });
  await db().runs.add({
    startedAt: '2026-11-22T08:00:00Z',
    finishedAt: '2026-11-22T08:00:01Z',
    state: 'failed',
    counts: {},
    failures: [{ itemKey: '*', code: 'offline' }],
  });
  await db().pending.put({ itemKey: 'o:ev-1', outlookId: 'ev-1' });
  await db().quarantine.put({
    itemKey: 'o:ev-1',
    failures: 3,
    lastCode: 'invalidRequest',
    since: '2026-11-22T07:00:00Z',
    quarantined: true,
  });
  const { loop } = await openStatus();

  const history = await screen.findByRole('table', { name: 'Sync history' });
  // Rebases write nothing: 3 changes, not 10.
  expect(within(history).getByText('Done · 3 changes · 1 failed')).toBeTruthy();
  expect(within(history).getByText('Failed · 0 changes · 1 failed')).toBeTruthy();
  expect(within(history).getByText('The whole sync')).toBeTruthy();
  expect(within(history).getAllByText('Board meeting')).toHaveLength(1);
  expect(within(history).getByText("The service refused this item's data.")).toBeTruthy();

  const setAside = screen.getByRole('list', { name: 'Set aside' });
  expect(within(setAside).getByText('Board meeting')).toBeTruthy();
  expect(within(setAside).getByText(/^Failed 3 times: /)).toBeTruthy();

  const before = loop.syncNowCalls;
  await act(async () => {
    fireEvent.click(within(setAside).getByRole('button', { name: 'Retry Board meeting' }));
  });
  await waitFor(async () => expect(await db().quarantine.get('o:ev-1')).toBeUndefined());
  expect(await db().pending.get('o:ev-1')).toEqual({ itemKey: 'o:ev-1', outlookId: 'ev-1' });
  expect(loop.syncNowCalls).toBe(before + 1);
  await screen.findByText('No items are set aside.');
  expect(await screen.findByText('The item syncs again now.')).toBeTruthy();
});

test('Unlink removes the pair and sets both sides aside, shown as unlinked', async () => {
  await db().links.put(link('ev-2', 'act-2', 'Quarterly review'));
  await db().pending.put({ itemKey: 'o:ev-2', outlookId: 'ev-2', crmId: 'act-2' });
  await db().runs.add({
    startedAt: '2026-11-22T09:00:00Z',
    state: 'done',
    counts: {},
    failures: [{ itemKey: 'o:ev-2', code: 'forbidden' }],
  });
  const { loop } = await openStatus();
  const history = await screen.findByRole('table', { name: 'Sync history' });
  const before = loop.syncNowCalls;
  await act(async () => {
    fireEvent.click(
      within(history).getByRole('button', { name: 'Unlink Quarterly review (stop syncing it)' }),
    );
  });
  await waitFor(async () => expect(await db().links.count()).toBe(0));
  const rows = await db().quarantine.toArray();
  expect(rows.map((r) => [r.itemKey, r.quarantined, r.unlinkedAt !== undefined]).sort()).toEqual([
    ['c:act-2', true, true],
    ['o:ev-2', true, true],
  ]);
  expect(await db().pending.count()).toBe(0);
  expect(loop.syncNowCalls).toBe(before); // nothing to run for
  const setAside = await screen.findByRole('list', { name: 'Set aside' });
  // The subject came from the link, which is gone now: the item is named as unknown.
  await waitFor(() =>
    expect(
      within(setAside).getAllByText('Unlinked by you: both copies stay as they are.'),
    ).toHaveLength(2),
  );
  expect(within(setAside).queryByRole('button', { name: /^Unlink/ })).toBeNull();
});

test('the trash shows hostile subjects as text, and Restore asks the next run for it', async () => {
  const deletedId = await db().trash.add({
    at: '2026-11-22T09:00:00Z',
    outlookId: 'ev-3',
    crmId: 'act-3',
    lost: { field: 'subject', side: 'outlook', value: HOSTILE },
    deleted: item(HOSTILE),
  });
  await db().links.put(link('ev-4', 'act-4', 'Sales call'));
  await db().trash.add({
    at: '2026-11-22T09:30:00Z',
    outlookId: 'ev-4',
    crmId: 'act-4',
    lost: { field: 'location', side: 'crm', value: 'Room <b>7</b>' },
  });
  const { loop, container } = await openStatus();
  const trash = await screen.findByRole('list', { name: 'Overwritten and deleted' });
  expect(within(trash).getByText(HOSTILE)).toBeTruthy();
  expect(container.querySelector('img')).toBeNull();
  expect(
    within(trash).getByText('Deleted from Outlook because it was deleted in the CRM.'),
  ).toBeTruthy();
  expect(within(trash).getByText('Sales call')).toBeTruthy();
  expect(
    within(trash).getByText('Location overwritten. The CRM value was: Room <b>7</b>'),
  ).toBeTruthy();
  expect(container.querySelector('b')).toBeNull();

  const before = loop.syncNowCalls;
  await act(async () => {
    fireEvent.click(within(trash).getByRole('button', { name: `Restore ${HOSTILE}` }));
  });
  await waitFor(async () =>
    expect((await db().trash.get(deletedId))?.restore).toMatchObject({ state: 'requested' }),
  );
  expect(loop.syncNowCalls).toBe(before + 1);
  await within(trash).findByText('Will be restored at the next sync.');
  expect(within(trash).queryByRole('button', { name: `Restore ${HOSTILE}` })).toBeNull();
  expect(within(trash).getByRole('button', { name: 'Restore Sales call' })).toBeTruthy();
});

test('while syncing: progress with counts; the brake asks with the counts; manual runs', async () => {
  const { loop } = await openStatus();
  act(() => loop.set({ state: 'syncing', progress: { phase: 'reading' } }));
  expect(screen.getByText('Reading changes from Outlook and the CRM…')).toBeTruthy();
  expect(
    screen.getByRole('progressbar', { name: 'Sync progress' }).getAttribute('aria-valuenow'),
  ).toBeNull();
  act(() => loop.set({ progress: { phase: 'writing', done: 3, total: 10 } }));
  expect(screen.getByText('Writing change 4 of 10')).toBeTruthy();
  expect(
    screen.getByRole('progressbar', { name: 'Sync progress' }).getAttribute('aria-valuenow'),
  ).toBe('3');

  act(() =>
    loop.set({
      state: 'braked',
      progress: null,
      lastOutcome: {
        state: 'braked',
        brake: { kind: 'massDelete', destructive: 12, linked: 40, ids: ['o1'] },
        asked: [
          {
            brake: { kind: 'massDelete', destructive: 12, linked: 40, ids: ['o1'] },
            items: [{ id: 'o1', subject: HOSTILE, start: '2026-11-25T07:00:00Z' }],
          },
        ],
      },
    }),
  );
  expect(screen.queryByRole('progressbar', { name: 'Sync progress' })).toBeNull();
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain('would delete or cancel 12 of your 40 linked items');
  expect(alert.textContent).toContain(HOSTILE); // the held item, as text
  fireEvent.click(within(alert).getByRole('button', { name: 'Go ahead' }));
  fireEvent.click(within(alert).getByRole('button', { name: 'Not now' }));
  expect(loop.requests).toEqual(['confirm', 'dismiss']);

  act(() => loop.set({ state: 'idle', lastOutcome: null }));
  expect(screen.queryByRole('alert')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Full sync now' }));
  expect(loop.requests.at(-1)).toBe('full');

  fireEvent.click(screen.getByRole('button', { name: 'Sync again from date…' }));
  // jsdom leaves Fluent's dialog surface aria-hidden (its open motion never ends there); the
  // Chromium test checks it for real.
  const dialog = await screen.findByRole('dialog', { hidden: true });
  const date = within(dialog).getByLabelText<HTMLInputElement>('From', { exact: false });
  // Nothing chosen, or a day in the future: refused with a message.
  fireEvent.click(
    within(dialog).getByRole('button', { name: 'Sync from this date', hidden: true }),
  );
  expect(
    within(dialog).getByText('Pick a date within the last year, not in the future.'),
  ).toBeTruthy();
  fireEvent.change(date, { target: { value: '2999-01-01' } });
  fireEvent.click(
    within(dialog).getByRole('button', { name: 'Sync from this date', hidden: true }),
  );
  expect(loop.requests.at(-1)).toBe('full');
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  const day = `${tenDaysAgo.getFullYear()}-${String(tenDaysAgo.getMonth() + 1).padStart(2, '0')}-${String(tenDaysAgo.getDate()).padStart(2, '0')}`;
  fireEvent.change(date, { target: { value: day } });
  fireEvent.click(
    within(dialog).getByRole('button', { name: 'Sync from this date', hidden: true }),
  );
  expect(loop.requests.at(-1)).toBe(`from:${day}`);
  await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).toBeNull());
});

test('speaks Swedish', async () => {
  await db().runs.add({
    startedAt: '2026-11-22T09:00:00Z',
    state: 'done',
    counts: { link: 1 },
    failures: [],
  });
  await openStatus('sv');
  expect(await screen.findByRole('table', { name: 'Synkroniseringshistorik' })).toBeTruthy();
  expect(screen.getByText('Klar · 1 ändring')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Fullständig synkronisering nu' })).toBeTruthy();
  expect(
    screen.getByText('Synkroniseringen har inte skrivit över eller tagit bort något.'),
  ).toBeTruthy();
});

test('M3: the duplicate finder lists look-alikes as text, and keeps or merges the one chosen', async () => {
  const answers: unknown[] = [];
  const member = (id: string, subject: string, location: string) => ({
    id,
    item: { ...item(subject), location },
    lastModified: '2026-11-20T00:00:00Z',
  });
  let groups = [
    {
      id: 'outlook:o1+o2',
      side: 'outlook' as const,
      why: 'sameItem' as const,
      members: [member('o1', HOSTILE, ''), member('o2', HOSTILE, 'Room 2')],
    },
  ];
  await openStatus('en', {
    find: async () => groups,
    resolve: async (answer) => {
      answers.push(answer);
      groups = [];
    },
  });
  await screen.findByText('Overwritten and deleted');
  await act(async () => {
    fireEvent.click(await screen.findByRole('button', { name: 'Look for duplicates' }));
  });
  const choice = await screen.findByRole('radiogroup', { name: /2 alike in Outlook/ });
  expect(within(choice).getAllByText(HOSTILE)).toHaveLength(2);
  expect(document.querySelector('img[src="x"]')).toBeNull();
  fireEvent.click(within(choice).getAllByRole('radio')[1] as HTMLElement);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Merge into this one' }));
  });
  expect(answers).toEqual([{ side: 'outlook', keepId: 'o2', otherIds: ['o1'], merge: true }]);
  expect(await screen.findByText('No duplicates found.')).toBeTruthy();
});

test('K3: duplicate contacts show as text under their own heading, and keep or merge the one chosen', async () => {
  const answers: unknown[] = [];
  const contact = (id: string, name: string, email: string | null, company: string | null) => ({
    id,
    name,
    email,
    company,
  });
  let contacts = [
    {
      id: 'contacts:c1+c2',
      members: [
        contact('c1', HOSTILE, 'anna@example.com', 'Acme <b>Oy</b>'),
        contact('c2', 'Anna Virtanen', 'ANNA@example.com', null),
      ],
    },
    {
      id: 'contacts:c3+c4+c5',
      members: [
        contact('c3', 'Bo Ek', null, 'Ek AB'),
        contact('c4', '', 'bo@example.com', 'Ek AB'),
        contact('c5', 'Bo Ek', 'bo@example.com', null),
      ],
    },
  ];
  await openStatus('en', {
    find: async () => [],
    resolve: async () => {
      throw new Error('not an appointment');
    },
    findContacts: async () => contacts,
    resolveContacts: async (answer) => {
      answers.push(answer);
      contacts = contacts.filter((g) => !g.members.some((m) => m.id === answer.keepId));
    },
  });
  await screen.findByText('Overwritten and deleted');
  await act(async () => {
    fireEvent.click(await screen.findByRole('button', { name: 'Look for duplicates' }));
  });
  expect(await screen.findByRole('heading', { name: 'Duplicate contacts' })).toBeTruthy();
  const first = screen.getByRole('radiogroup', { name: /2 alike contacts/ });
  expect(within(first).getByText(HOSTILE)).toBeTruthy();
  expect(within(first).getByText(/anna@example\.com · Acme <b>Oy<\/b>/)).toBeTruthy();
  expect(document.querySelector('img[src="x"]')).toBeNull();
  expect(document.querySelector('b')).toBeNull();
  const second = screen.getByRole('radiogroup', { name: /3 alike contacts/ });
  expect(within(second).getByText('(no name)')).toBeTruthy();
  // Keep the second of the first group alone.
  fireEvent.click(within(first).getAllByRole('radio')[1] as HTMLElement);
  const firstItem = first.closest('li') as HTMLElement;
  await act(async () => {
    fireEvent.click(within(firstItem).getByRole('button', { name: 'Keep this one' }));
  });
  expect(answers).toEqual([{ keepId: 'c2', otherIds: ['c1'], merge: false }]);
  // Merge the third group into its first (the default choice).
  const left = await screen.findByRole('radiogroup', { name: /3 alike contacts/ });
  expect(screen.queryByRole('radiogroup', { name: /2 alike contacts/ })).toBeNull();
  await act(async () => {
    fireEvent.click(
      within(left.closest('li') as HTMLElement).getByRole('button', {
        name: 'Merge into this one',
      }),
    );
  });
  expect(answers[1]).toEqual({ keepId: 'c3', otherIds: ['c4', 'c5'], merge: true });
  expect(await screen.findByText('No duplicates found.')).toBeTruthy();
  expect(screen.queryByRole('heading', { name: 'Duplicate contacts' })).toBeNull();
});
