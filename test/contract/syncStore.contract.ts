/**
 * The store port's contract (src/sync/store/syncStore.ts): what the engine relies on from any
 * store. Run against the Dexie store in test/unit/sync/syncStore.test.ts; a server-side store
 * (SQLite, PostgreSQL) for the sync service is to pass the same suite.
 */
import type { ContactLink } from '../../src/sync/core/contacts/types';
import type { Link } from '../../src/sync/core/plan/types';
import type { OutboxRow } from '../../src/sync/store/rows';
import { RECORDS_PER_ITEM, QUARANTINE_AFTER } from '../../src/sync/store/records';
import type { SyncStore } from '../../src/sync/store/syncStore';
import { item, NOW } from '../support/planFixtures';

const T1 = '2026-03-02T09:00:00Z';
const T2 = '2026-03-02T10:00:00Z';

function link(outlookId: string, crmId: string): Link {
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

function contactLink(outlookId: string, crmId: string): ContactLink {
  const base = { firstName: 'Aino', lastName: 'Virtanen', email: null, phone: null, title: null };
  return { outlookId, crmId, outlookBase: base, crmBase: base } as unknown as ContactLink;
}

function intent(key: string, createdAt: string): OutboxRow {
  const op = {
    op: 'unlink',
    link: link(`ev-${key}`, `act-${key}`),
    reason: 'deletedOnBothSides',
  } as const;
  return { key, operation: op, createdAt, attempts: 0 };
}

export function runSyncStoreContract(name: string, makeStore: () => Promise<SyncStore>): void {
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

    it('commits a create: the link written and its intent gone together', async () => {
      await store.addIntent(intent('k1', T1));
      await store.commitCreate('calendar', 'k1', link('ev-1', 'act-1'));
      expect(await store.intentCount()).toBe(0);
      expect(await store.linkByOutlookId('calendar', 'ev-1')).toBeDefined();
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
      expect(await store.prune()).toBe(0);
      const ok = { ok: true as const, recorded: true };
      const entry = { kind: 'calendar' as const, itemKey: 'o:ev-1', recordAs: 'link' as const };
      for (let i = 0; i < RECORDS_PER_ITEM + 2; i += 1) {
        await store.recordOutcome({ ...entry, at: `2026-03-03T0${i}:00:00Z`, outcome: ok });
      }
      // recordOutcome keeps the history short itself: nothing is left for prune.
      expect(await store.prune()).toBe(0);
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
  });
}
