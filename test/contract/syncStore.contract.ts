/**
 * The store port's contract (src/sync/store/syncStore.ts): what the engine relies on from any
 * store. Run against the Dexie store in test/unit/sync/syncStore.test.ts and against the SQLite
 * store of the sync service (issue 17), in memory and on a file, in
 * test/unit/sync/sqliteSyncStore.test.ts.
 */
import type { ContactLink } from '../../src/sync/core/contacts/types';
import type { Link } from '../../src/sync/core/plan/types';
import type { CursorRow, OutboxRow } from '../../src/sync/store/rows';
import { RECORDS_PER_ITEM, QUARANTINE_AFTER } from '../../src/sync/store/records';
import { RUN_DAYS, TRASH_DAYS, TRASH_KEPT } from '../../src/sync/store/retention';
import type { LinkKind, SyncStore } from '../../src/sync/store/syncStore';
import { item, NOW } from '../support/planFixtures';

const T1 = '2026-03-02T09:00:00Z';
const T2 = '2026-03-02T10:00:00Z';

/** A calendar link of these ids, both bases the same item (the stores' tests use it too). */
export function link(outlookId: string, crmId: string): Link {
  const base = item();
  return {
    outlookId,
    crmId,
    outlookBase: base,
    crmBase: base,
    outlookEtag: 'o1',
    crmEtag: 'c1',
    crmTypeId: 't-meeting',
    isOwner: true,
  };
}

export function contactLink(outlookId: string, crmId: string): ContactLink {
  const base = { firstName: 'Aino', lastName: 'Virtanen', email: null, phone: null, title: null };
  return { outlookId, crmId, outlookBase: base, crmBase: base } as unknown as ContactLink;
}

/** An outbox intent (an unlink of `ev-<key>`/`act-<key>`), not yet attempted. */
export function intent(key: string, createdAt: string): OutboxRow {
  const op = {
    op: 'unlink',
    link: link(`ev-${key}`, `act-${key}`),
    reason: 'deletedOnBothSides',
  } as const;
  return { key, operation: op, createdAt, attempts: 0 };
}

/**
 * How a store's test puts a row into its link table as it is, bypassing the port — the way a row
 * of an older build, or a damaged one, is found there (issue 15, item 3).
 */
export type PutRawLinkRow = (
  store: SyncStore,
  kind: LinkKind,
  row: Readonly<Record<string, unknown>>,
) => Promise<void>;

export function runSyncStoreContract(
  name: string,
  makeStore: () => Promise<SyncStore>,
  putRawLinkRow: PutRawLinkRow,
): void {
  describe(`SyncStore contract: ${name}`, () => {
    let store: SyncStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('keeps each kind its own links, found by either id, replaced by Outlook id', async () => {
      await store.commitLink('calendar', link('ev-1', 'act-1'));
      await store.commitLink('contacts', contactLink('ev-1', 'con-1'));
      await store.commitLink('calendar', { ...link('ev-1', 'act-1'), crmEtag: 'c2' });
      expect((await store.links('calendar')).map((l) => l.crmEtag)).toEqual(['c2']);
      expect((await store.linkByCrmId('calendar', 'act-1'))?.outlookId).toBe('ev-1');
      expect((await store.linkByOutlookId('contacts', 'ev-1'))?.crmId).toBe('con-1');
      expect(await store.linkByCrmId('contacts', 'act-1')).toBeUndefined();
      await store.dropLink('calendar', 'ev-1');
      expect(await store.links('calendar')).toEqual([]);
      expect(await store.links('contacts')).toHaveLength(1);
    });

    it('issue 15: a link row of an older shape or with snapshots missing is no link but a pair to repair, which a committed link ends', async () => {
      const old = link('ev-old', 'act-old');
      // The one-base shape stored before the per-side bases (commit 018fb56).
      await putRawLinkRow(store, 'calendar', {
        outlookId: 'ev-old',
        crmId: 'act-old',
        base: old.crmBase,
        outlookHash: '0123456789abcd',
        crmHash: '0123456789abcd',
        outlookEtag: 'o1',
        crmEtag: 'c1',
        crmTypeId: 't-meeting',
        isOwner: true,
      });
      await putRawLinkRow(store, 'calendar', { outlookId: 'ev-bare', crmId: 'act-bare' });
      await putRawLinkRow(store, 'contacts', { outlookId: 'k-bare', crmId: 'con-bare' });
      await store.commitLink('calendar', link('ev-1', 'act-1'));

      expect((await store.links('calendar')).map((l) => l.outlookId)).toEqual(['ev-1']);
      expect(await store.links('contacts')).toEqual([]);
      expect(await store.linkByOutlookId('calendar', 'ev-old')).toBeUndefined();
      expect(await store.linkByCrmId('calendar', 'act-bare')).toBeUndefined();
      const repairs = await store.linksToRepair('calendar');
      expect([...repairs].sort((a, b) => a.outlookId.localeCompare(b.outlookId))).toEqual([
        { outlookId: 'ev-bare', crmId: 'act-bare' },
        // The old row's one base is kept: the repair merges from it.
        { outlookId: 'ev-old', crmId: 'act-old', base: old.crmBase },
      ]);
      expect(await store.linksToRepair('contacts')).toEqual([
        { outlookId: 'k-bare', crmId: 'con-bare' },
      ]);
      // The CRM id a row to repair names blocks no link: the stamps may pair it elsewhere.
      await store.commitLink('calendar', link('ev-9', 'act-bare'));
      expect((await store.linkByCrmId('calendar', 'act-bare'))?.outlookId).toBe('ev-9');
      // A committed link of the same Outlook id ends the repair; so does dropping the row.
      await store.commitLink('calendar', link('ev-old', 'act-old'));
      await store.dropLink('calendar', 'ev-bare');
      await store.dropLink('contacts', 'k-bare');
      expect(await store.linksToRepair('calendar')).toEqual([]);
      expect(await store.linksToRepair('contacts')).toEqual([]);
      expect((await store.links('calendar')).map((l) => l.outlookId).sort()).toEqual([
        'ev-1',
        'ev-9',
        'ev-old',
      ]);
      // A link reads back as it was committed: the row's version is the store's own.
      expect(await store.linkByOutlookId('calendar', 'ev-1')).toEqual(link('ev-1', 'act-1'));
    });

    it('issue 16: reads the links and the pairs to repair together, as the two reads give them', async () => {
      await putRawLinkRow(store, 'calendar', { outlookId: 'ev-bare', crmId: 'act-bare' });
      await store.commitLink('calendar', link('ev-1', 'act-1'));
      await store.commitLink('contacts', contactLink('k-1', 'con-1'));
      const both = await store.linksWithRepairs('calendar');
      expect(both.links).toEqual([link('ev-1', 'act-1')]);
      expect(both.repairs).toEqual([{ outlookId: 'ev-bare', crmId: 'act-bare' }]);
      expect(both).toEqual({
        links: await store.links('calendar'),
        repairs: await store.linksToRepair('calendar'),
      });
      expect((await store.linksWithRepairs('contacts')).repairs).toEqual([]);
    });

    it('reads many links at once by either id, each once, rows to repair left out', async () => {
      for (const i of [3, 1, 2]) await store.commitLink('calendar', link(`ev-${i}`, `act-${i}`));
      await store.commitLink('contacts', contactLink('ev-1', 'con-1'));
      await putRawLinkRow(store, 'calendar', { outlookId: 'ev-bare', crmId: 'act-bare' });
      const ids = async (outlookIds?: string[], crmIds?: string[]) =>
        (
          await store.linksByIds('calendar', {
            ...(outlookIds ? { outlookIds } : {}),
            ...(crmIds ? { crmIds } : {}),
          })
        ).map((l) => [l.outlookId, l.crmId]);
      expect(await ids(['ev-3', 'ev-1', 'ev-none'])).toEqual([
        ['ev-1', 'act-1'],
        ['ev-3', 'act-3'],
      ]);
      expect(await ids(undefined, ['act-2', 'act-none'])).toEqual([['ev-2', 'act-2']]);
      // Both ids of one link, or one id of each of two: each link once, ordered by Outlook id.
      expect(await ids(['ev-2', 'ev-3'], ['act-2', 'act-1'])).toEqual([
        ['ev-1', 'act-1'],
        ['ev-2', 'act-2'],
        ['ev-3', 'act-3'],
      ]);
      expect(await ids(['ev-bare'], ['act-bare'])).toEqual([]);
      expect(await ids([], [])).toEqual([]);
      expect(await ids()).toEqual([]);
      // Each kind its own: the contact link of ev-1 is no calendar link, nor the other way.
      expect(
        (await store.linksByIds('contacts', { outlookIds: ['ev-1', 'ev-2'] })).map((l) => l.crmId),
      ).toEqual(['con-1']);
      expect(await store.linksByIds('calendar', { crmIds: ['con-1'] })).toEqual([]);
      // A link reads back as it was committed.
      expect(await store.linksByIds('calendar', { crmIds: ['act-1'] })).toEqual([
        link('ev-1', 'act-1'),
      ]);
    });

    it('commits a create: the link written and its intent gone together', async () => {
      await store.addIntent(intent('k1', T1));
      await store.commitCreate('calendar', 'k1', link('ev-1', 'act-1'));
      expect(await store.intentCount()).toBe(0);
      expect(await store.linkByOutlookId('calendar', 'ev-1')).toBeDefined();
    });

    it('commits a create both or neither: a link that cannot be written keeps its intent', async () => {
      await store.commitLink('calendar', link('ev-1', 'act-1'));
      await store.addIntent(intent('k1', T1));
      // act-1 is ev-1's: a second link to it is refused, and the intent stays for the replay.
      // An error by its shape, not `toThrow()`: better-sqlite3's errors come from the first test
      // context that loaded the native module, so they are no instances of this one's Error.
      await expect(
        store.commitCreate('calendar', 'k1', link('ev-2', 'act-1')),
      ).rejects.toMatchObject({ name: expect.stringMatching(/Error$/) });
      expect(await store.intentCount()).toBe(1);
      expect(await store.linkByOutlookId('calendar', 'ev-2')).toBeUndefined();
      expect((await store.linkByCrmId('calendar', 'act-1'))?.outlookId).toBe('ev-1');
    });

    it('commits a replayed intent without overwriting a link of either id', async () => {
      await store.commitLink('calendar', link('ev-1', 'act-1'));
      await store.addIntent(intent('k1', T1));
      await store.addIntent(intent('k2', T1));
      // Another link already holds act-1: the replayed one is not written, the intent still goes.
      await store.commitReplayed('calendar', 'k1', link('ev-9', 'act-1'));
      await store.commitReplayed('calendar', 'k2', link('ev-2', 'act-2'));
      expect((await store.links('calendar')).map((l) => l.outlookId).sort()).toEqual([
        'ev-1',
        'ev-2',
      ]);
      expect(await store.intentCount()).toBe(0);
    });

    it('takes intents oldest first, counting each attempt', async () => {
      await store.addIntent(intent('late', T2));
      await store.addIntent(intent('early', T1));
      expect((await store.takeIntents()).map((r) => [r.key, r.attempts])).toEqual([
        ['early', 1],
        ['late', 1],
      ]);
      expect((await store.takeIntents()).map((r) => r.attempts)).toEqual([2, 2]);
      await store.dropIntent('early');
      expect(await store.intentCount()).toBe(1);
    });

    it('records a failed outcome as pending, and sets the item aside after repeated failures', async () => {
      const failure = (counts: boolean) => ({
        kind: 'calendar' as const,
        itemKey: 'o:ev-1',
        at: NOW,
        recordAs: 'updateCrm' as const,
        outcome: {
          ok: false as const,
          code: 'serverError',
          pending: { itemKey: 'o:ev-1', outlookId: 'ev-1' },
          counts,
        },
      });
      // A lost race is recorded but does not count towards the quarantine.
      expect(await store.recordOutcome(failure(false))).toBe(false);
      for (let i = 1; i < QUARANTINE_AFTER; i += 1) {
        expect(await store.recordOutcome(failure(true))).toBe(false);
      }
      expect(await store.recordOutcome(failure(true))).toBe(true);
      expect(await store.pending('calendar')).toEqual([{ itemKey: 'o:ev-1', outlookId: 'ev-1' }]);
      expect(await store.pending('contacts')).toEqual([]);
      expect(await store.quarantinedKeys()).toEqual(new Set(['o:ev-1']));
      const ok = { ok: true as const, recorded: true };
      expect(await store.recordOutcome({ ...failure(true), outcome: ok })).toBe(false);
      expect(await store.pending('calendar')).toEqual([]);
      expect(await store.quarantinedKeys()).toEqual(new Set());
    });

    it('issue 16: records a group of successes as recordOutcome records each', async () => {
      const ok = { ok: true as const, recorded: true };
      for (const itemKey of ['o:ev-1', 'o:ev-2']) {
        await store.recordOutcome({
          kind: 'calendar',
          itemKey,
          at: NOW,
          recordAs: 'updateCrm',
          outcome: {
            ok: false,
            code: 'serverError',
            pending: { itemKey, outlookId: itemKey.slice(2) },
            counts: true,
          },
        });
      }
      const entry = (itemKey: string, i: number) => ({
        kind: 'calendar' as const,
        itemKey,
        recordAs: 'updateCrm' as const,
        at: `2026-03-03T0${i}:00:00Z`,
        outcome: ok,
      });
      for (let i = 0; i < RECORDS_PER_ITEM + 2; i += 1) {
        await store.recordSuccesses([entry('o:ev-1', i), entry('o:ev-2', i)]);
      }
      expect(await store.pending('calendar')).toEqual([]);
      // The failures counted before are gone: as many again still do not set the items aside.
      for (let i = 1; i < QUARANTINE_AFTER; i += 1) {
        expect(await store.noteFailure('o:ev-1', 'serverError', NOW)).toBe(false);
      }
      // Each history kept short as recordOutcome keeps it: nothing is left for prune.
      expect(await store.prune(T2)).toBe(0);
    });

    it('keeps an item set aside by the person, and notes failures one by one', async () => {
      await store.setAside('k:c:con-1', 'setAside', NOW);
      expect(await store.quarantinedKeys()).toEqual(new Set(['k:c:con-1']));
      for (let i = 1; i < QUARANTINE_AFTER; i += 1) {
        expect(await store.noteFailure('o:ev-2', 'badRequest', NOW)).toBe(false);
      }
      expect(await store.noteFailure('o:ev-2', 'badRequest', NOW)).toBe(true);
    });

    it('records a skipped item once per reason in a row', async () => {
      const skip = { itemKey: 'o:ev-1', at: T1, code: 'privateItem' };
      await store.recordSkipped(skip);
      await store.recordSkipped({ ...skip, at: T2 });
      await store.recordSkipped({ ...skip, at: T2, code: 'waitingForType' });
      expect(await store.prune(T2)).toBe(0);
      const ok = { ok: true as const, recorded: true };
      const entry = { kind: 'calendar' as const, itemKey: 'o:ev-1', recordAs: 'link' as const };
      for (let i = 0; i < RECORDS_PER_ITEM + 2; i += 1) {
        await store.recordOutcome({ ...entry, at: `2026-03-03T0${i}:00:00Z`, outcome: ok });
      }
      // recordOutcome keeps the history short itself: nothing is left for prune.
      expect(await store.prune(T2)).toBe(0);
    });

    it('keeps cursors by name, with the window of a delta link', async () => {
      const window = { start: T1, end: T2 };
      await store.putCursor({ name: 'outlookDelta', value: 'd1', window });
      await store.putCursor({ name: 'crmChanges', value: 'c1' });
      expect(await store.cursor('outlookDelta')).toEqual({
        name: 'outlookDelta',
        value: 'd1',
        window,
      });
      await store.dropCursor('crmChanges');
      expect(await store.cursor('crmChanges')).toBeUndefined();
    });

    it('keeps the ids a cursor carries to the next run (issue 15 item 5), and their absence', async () => {
      const window = { start: T1, end: T2 };
      const recheck = ['ev-1', 'ev-ä', 'AAMk/+=='];
      await store.putCursor({ name: 'outlookDelta', value: 'd2', window, recheck });
      await store.putCursor({ name: 'crmChanges', value: 'c2', recheck: ['act-1'] });
      expect(await store.cursor('outlookDelta')).toEqual({
        name: 'outlookDelta',
        value: 'd2',
        window,
        recheck,
      });
      expect(await store.cursor('crmChanges')).toEqual({
        name: 'crmChanges',
        value: 'c2',
        recheck: ['act-1'],
      });
      // Stored again without ids: none are left over from the row it replaces.
      await store.putCursor({ name: 'crmChanges', value: 'c3' });
      expect(await store.cursor('crmChanges')).toEqual({ name: 'crmChanges', value: 'c3' });
    });

    it('keeps a cursor of every name the engine uses', async () => {
      const names: { readonly [N in CursorRow['name']]: true } = {
        outlookDelta: true,
        crmChanges: true,
        outlookContactsDelta: true,
        crmContactChanges: true,
        outlookContactFolder: true,
        calendarFilters: true,
        writesUnconfirmed: true,
        contactMode: true,
        contactsSyncedAt: true,
      };
      const all = Object.keys(names) as CursorRow['name'][];
      for (const name of all) await store.putCursor({ name, value: `v-${name}` });
      for (const name of all)
        expect(await store.cursor(name)).toEqual({ name, value: `v-${name}` });
    });

    it('keeps runs, trash rows with their restores, and the series of occurrences', async () => {
      const run = { startedAt: T1, state: 'running' as const, counts: {}, failures: [] };
      const id = await store.startRun(run);
      await store.finishRun({ ...run, id, state: 'done', finishedAt: T2 });
      const lost = { field: 'subject' as const, side: 'outlook' as const, value: 'Old' };
      await store.addTrash({ at: T1, outlookId: 'ev-1', crmId: 'act-1', lost });
      const requested = { state: 'requested' as const, requestedAt: T1 };
      await store.addTrash({ at: T2, outlookId: 'ev-2', crmId: 'act-2', lost, restore: requested });
      const [asked, ...rest] = await store.requestedRestores();
      expect(rest).toEqual([]);
      expect(asked?.outlookId).toBe('ev-2');
      await store.setRestore(asked!.id!, { state: 'done', requestedAt: T1, at: T2 });
      expect(await store.requestedRestores()).toEqual([]);
      await store.noteOccurrences([
        { id: 'occ-1', seriesId: 'ser-1' },
        { id: 'occ-2', seriesId: 'ser-1' },
      ]);
      expect(await store.takeRemovedSeries(['occ-1', 'occ-2', 'unknown'])).toEqual(['ser-1']);
      expect(await store.takeRemovedSeries(['occ-1'])).toEqual([]);
    });

    it('keeps one trash row per operation: a retried write adds nothing, a pre-image absorbs its loser', async () => {
      const base = item();
      const lost = { field: 'subject' as const, side: 'outlook' as const, value: base.subject };
      const loser = { at: T1, outlookId: 'ev-1', crmId: 'act-1', lost };
      const preImage = { ...loser, overwritten: { item: base, fields: ['subject' as const] } };
      await store.addTrash(loser);
      await store.addTrash(preImage);
      await store.addTrash({ ...preImage, at: T2 }); // the same overwrite, retried
      const requested = { state: 'requested' as const, requestedAt: T1 };
      await store.addTrash({ ...loser, outlookId: 'ev-2', crmId: 'act-2', restore: requested });
      const asked = await store.requestedRestores();
      expect(asked.map((r) => r.outlookId)).toEqual(['ev-2']);
      // Another pair's row and a restore are never merged: two rows, one of them the pre-image.
      await store.setRestore(asked[0]!.id!, { state: 'done', requestedAt: T1, at: T2 });
      expect(await store.requestedRestores()).toEqual([]);
      await store.addTrash({ ...loser, at: T2, lost: { ...lost, value: 'Other' } });
      // Pruned by age: everything is older than TRASH_DAYS a year on, a requested restore aside.
      await store.addTrash({ ...loser, outlookId: 'ev-3', crmId: 'act-3', restore: requested });
      const yearOn = '2027-03-02T09:00:00Z';
      // Three rows are left to go — the merged pre-image, the restored one, the other value — and
      // the requested restore stays: a retry or an absorbed loser would have made more.
      expect(await store.prune(yearOn)).toBe(3);
      expect((await store.requestedRestores()).map((r) => r.outlookId)).toEqual(['ev-3']);
      expect(TRASH_DAYS).toBeLessThan(365);
    });

    it('keeps one trash row when a pre-image absorbs the losers of several fields', async () => {
      const base = item();
      const at = { at: T1, outlookId: 'ev-1', crmId: 'act-1' };
      const subject = { field: 'subject' as const, side: 'outlook' as const, value: base.subject };
      const location = {
        field: 'location' as const,
        side: 'outlook' as const,
        value: base.location,
      };
      await store.addTrash({ ...at, lost: subject });
      await store.addTrash({ ...at, lost: location });
      const fields = ['subject' as const, 'location' as const];
      await store.addTrash({ ...at, at: T2, lost: subject, overwritten: { item: base, fields } });
      // The conflict's two losers and the overwrite are one operation: one row is left to prune.
      expect(await store.prune('2027-03-02T09:00:00Z')).toBe(1);
    });

    it('bounds the trash by count and runs by age', async () => {
      const day = (n: number) => new Date(Date.parse(T1) + n * 86_400_000).toISOString();
      const lost = { field: 'subject' as const, side: 'outlook' as const, value: 'Old' };
      for (let i = 0; i < TRASH_KEPT + 5; i += 1) {
        await store.addTrash({ at: day(RUN_DAYS), outlookId: `ev-${i}`, crmId: `act-${i}`, lost });
      }
      const run = { startedAt: T1, state: 'done' as const, counts: { updateCrm: 1 }, failures: [] };
      await store.finishRun({ ...run, id: await store.startRun(run) });
      // A day past RUN_DAYS: the run goes by age; the trash, younger than TRASH_DAYS, by count.
      expect(await store.prune(day(RUN_DAYS + 1))).toBe(5 + 1);
      expect(await store.prune(day(RUN_DAYS + 1))).toBe(0);
      expect(TRASH_DAYS).toBeGreaterThan(1);
    });

    it('sums the deletions and overwrites of a sliding window, from the last confirmed run', async () => {
      const run = (startedAt: string, destructive: number, confirmed = false) => ({
        startedAt,
        state: 'done' as const,
        counts: {},
        failures: [],
        destructive,
        ...(confirmed ? { confirmed } : {}),
      });
      for (const r of [
        run('2026-03-01T09:00:00Z', 7),
        run('2026-03-02T08:00:00Z', 4, true),
        run('2026-03-02T09:00:00Z', 3),
        run('2026-03-02T10:00:00Z', 2),
      ]) {
        await store.finishRun({ ...r, id: await store.startRun(r) });
      }
      expect(await store.destructiveSince('2026-03-02T09:30:00Z')).toBe(2);
      // The run before the confirmed one is outside the count, even inside the window.
      expect(await store.destructiveSince('2026-03-01T00:00:00Z')).toBe(5);
    });

    it('forgets everything when the pairing ends', async () => {
      await store.commitLink('calendar', link('ev-1', 'act-1'));
      await store.commitLink('contacts', contactLink('ev-1', 'con-1'));
      await store.addIntent(intent('k1', T1));
      await store.putCursor({ name: 'crmChanges', value: '42' });
      await store.setAside('o:ev-9', 'setAside', NOW);
      const lost = { field: 'subject' as const, side: 'outlook' as const, value: 'Old' };
      await store.addTrash({ at: T1, outlookId: 'ev-1', crmId: 'act-1', lost });
      await store.clear();
      expect(await store.links('calendar')).toEqual([]);
      expect(await store.links('contacts')).toEqual([]);
      expect(await store.intentCount()).toBe(0);
      expect(await store.cursor('crmChanges')).toBeUndefined();
      expect(await store.quarantinedKeys()).toEqual(new Set());
      expect(await store.destructiveSince(T1)).toBe(0);
      // Rebuilt (issue 14, item 5) it is empty and works on too.
      await store.commitLink('calendar', link('ev-3', 'act-3'));
      await store.rebuild();
      expect(await store.links('calendar')).toEqual([]);
      // The store works on after it: the next pairing starts from nothing.
      await store.commitLink('calendar', link('ev-2', 'act-2'));
      expect((await store.links('calendar')).map((l) => l.outlookId)).toEqual(['ev-2']);
    });
  });
}
