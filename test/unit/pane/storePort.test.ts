/**
 * The Status and item services read links through the store port (src/sync/store/syncStore.ts)
 * as the engine does: a row to repair (issue 15, item 3) is no link for them either, and their
 * Dexie live queries still follow the link table when the port is what reads it.
 */
import { memorySettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import { DexieSyncStore } from '../../../src/sync/store/dexieSyncStore';
import { mailboxItems } from '../../../src/taskpane/item/createItemService';
import { readTypeChoices, saveTypeChoice } from '../../../src/taskpane/item/typeChoices';
import { mailboxStatus } from '../../../src/taskpane/status/createStatusService';
import type { StatusOverview } from '../../../src/taskpane/status/statusService';
import { item, NOW } from '../../support/planFixtures';
import { emptySyncDbEachTest, MAILBOX, storedLink } from './paneStore';

const db = emptySyncDbEachTest();
const source = () => ({ db: db(), store: new DexieSyncStore(db()) });
const link = (outlookId: string, crmId: string, subject: string) =>
  storedLink(outlookId, crmId, item({ subject }));
/** A row the engine cannot read as a link: snapshots missing (store/linkRows.ts). */
const bareRow = (outlookId: string, crmId: string) => ({ outlookId, crmId }) as never;

/** The overviews a live query gives until `done` holds for one (bounded by the test's timeout). */
function overviewWhere(
  live: ReturnType<ReturnType<typeof mailboxStatus>['overview']>,
  done: (overview: StatusOverview) => boolean,
): Promise<StatusOverview> {
  return new Promise((resolve, reject) => {
    const subscription = live.subscribe({
      next: (overview) => {
        if (!done(overview)) return;
        subscription.unsubscribe();
        resolve(overview);
      },
      error: reject,
    });
  });
}

const failureSubjects = (overview: StatusOverview) =>
  overview.runs.flatMap((run) => run.failures.map((f) => [f.itemKey, f.subject]));

test('the Status view names items by their links, by either id; a row to repair names nothing', async () => {
  const { store } = source();
  await store.commitLink('calendar', link('ev-1', 'act-1', 'Planning'));
  await store.commitLink('calendar', link('ev-2', 'act-2', 'Review'));
  await db().links.put(bareRow('ev-bare', 'act-bare'));
  const failures = ['o:ev-1', 'c:act-2', 'o:ev-bare', 'c:act-bare'].map((itemKey) => ({
    itemKey,
    code: 'serverError',
  }));
  await db().runs.add({ startedAt: NOW, state: 'done', counts: {}, failures });

  const live = mailboxStatus(source()).overview();
  const first = await overviewWhere(live, (o) => o.runs.length === 1);
  expect(failureSubjects(first)).toEqual([
    ['o:ev-1', 'Planning'],
    ['c:act-2', 'Review'],
    ['o:ev-bare', null],
    ['c:act-bare', null],
  ]);

  // The run repairs the row (a link of the same Outlook id): the live query, reading the links
  // through the port, shows its subject without being asked again.
  const named = overviewWhere(live, (o) => failureSubjects(o)[2]?.[1] === 'Repaired');
  await store.commitLink('calendar', link('ev-bare', 'act-bare', 'Repaired'));
  expect(failureSubjects(await named)).toEqual([
    ['o:ev-1', 'Planning'],
    ['c:act-2', 'Review'],
    ['o:ev-bare', 'Repaired'],
    ['c:act-bare', 'Repaired'],
  ]);
});

test('the item view shows a row to repair as not linked, and forgets type choices of linked items only', async () => {
  const host = new StandaloneHost({ mailbox: MAILBOX, settings: memorySettingsStore() });
  const { store } = source();
  await store.commitLink('calendar', link('ev-1', 'act-1', 'Planning'));
  await db().links.put(bareRow('ev-bare', 'act-bare'));
  const items = mailboxItems(source(), host, () => NOW);

  const state = (outlookId: string) =>
    new Promise((resolve, reject) => {
      const subscription = items.syncState(outlookId).subscribe({
        next: (value) => {
          subscription.unsubscribe();
          resolve(value);
        },
        error: reject,
      });
    });
  expect(await state('ev-1')).toMatchObject({
    subject: 'Planning',
    link: { crmId: 'act-1', crmTypeId: 't-meeting', isOwner: true },
  });
  expect(await state('ev-bare')).toMatchObject({ subject: null, link: null });

  // Choices made earlier: the linked item's is done and goes; the row to repair's stays.
  for (const outlookId of ['ev-1', 'ev-bare']) {
    await saveTypeChoice(host, { outlookId, typeId: 'typ_call', at: NOW });
  }
  await items.chooseType('ev-new', 'typ_meeting');
  expect(readTypeChoices(host)).toEqual({ 'ev-new': 'typ_meeting', 'ev-bare': 'typ_call' });
});
