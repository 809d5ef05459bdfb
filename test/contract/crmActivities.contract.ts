/**
 * The CrmActivities contract (src/sync/ports.ts), run against the in-memory fake
 * (test/unit/crm/fakeContract.test.ts) and the HTTP adapter on the reference CRM
 * (test/integration/crm-adapter/crmContract.test.ts): what the engine learns from the fake holds
 * for the real service (STYLE: one contract suite per port).
 */
import { ConflictError, SyncError } from '../../src/sync/core/errors';
import type { CalendarItem } from '../../src/sync/core/model';
import type { CrmActivities } from '../../src/sync/ports';

export interface CrmContractSubject {
  /** The signed-in user's view. */
  readonly crm: CrmActivities;
  /** Another user of the same company (an owner who invites `crm`'s user). */
  readonly other: CrmActivities;
  /** The CRM id of `crm`'s user. */
  readonly userId: string;
  /** An activity type that exists. */
  readonly typeId: string;
  /** Makes every cursor handed out so far too old (the CRM compacted its change log). */
  expireCursors(): Promise<void>;
  cleanup(): Promise<void>;
}

export function sampleItem(overrides: Partial<CalendarItem> = {}): CalendarItem {
  return {
    subject: 'Quarterly review',
    time: {
      kind: 'timed',
      start: '2026-03-10T07:00:00Z',
      end: '2026-03-10T08:00:00Z',
      timeZone: 'Europe/Helsinki',
    },
    location: 'Room 4',
    description: 'Agenda:\n1. numbers',
    isPrivate: false,
    showAs: 'busy',
    reminderMinutes: 15,
    participants: [],
    recurrence: null,
    occurrenceOf: null,
    isCancelled: false,
    ...overrides,
  };
}

async function rejection(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SyncError) return err;
    throw err;
  }
  throw new Error('expected a SyncError');
}

let keySeq = 0;
const key = () => `contract-${Date.now()}-${keySeq++}`;

export function runCrmActivitiesContract(
  name: string,
  make: () => Promise<CrmContractSubject>,
): void {
  describe(`CrmActivities contract: ${name}`, () => {
    let s: CrmContractSubject;
    beforeEach(async () => {
      s = await make();
    });
    afterEach(async () => {
      await s.cleanup();
    });
    const create = (item = sampleItem(), idempotencyKey = key()) =>
      s.crm.create({ item, typeId: s.typeId }, { idempotencyKey });

    it('create → changes and get show it, with the fields written', async () => {
      const created = await create();
      expect(created.item).toEqual(sampleItem());
      expect(created.crm).toMatchObject({ typeId: s.typeId, ownerId: s.userId, completed: false });
      const all = await s.crm.changes(null);
      expect(all.changed.map((a) => a.id)).toContain(created.id);
      expect(await s.crm.get(created.id)).toEqual(created);
      const again = await s.crm.changes(all.cursor);
      expect(again.changed.map((a) => a.id)).not.toContain(created.id);
    });

    it('replays a create with the same idempotency key: same id, no duplicate', async () => {
      const k = key();
      const first = await create(sampleItem(), k);
      const replay = await create(sampleItem(), k);
      expect(replay.id).toBe(first.id);
      const clash = await rejection(create(sampleItem({ subject: 'Other' }), k));
      expect(clash.kind).toBe('invalidData');
    });

    it('issue 16: the calls about several items answer each item as its single call would', async () => {
      const k = key();
      const backwards = sampleItem({
        time: { ...sampleItem().time, end: '2026-03-10T06:00:00Z' } as CalendarItem['time'],
      });
      const made = await s.crm.createMany!([
        { input: { item: sampleItem({ subject: 'One' }), typeId: s.typeId }, idempotencyKey: k },
        { input: { item: backwards, typeId: s.typeId }, idempotencyKey: key() },
        {
          input: { item: sampleItem({ subject: 'Three' }), typeId: s.typeId },
          idempotencyKey: key(),
        },
      ]);
      expect(made.map((o) => o.ok)).toEqual([true, false, true]);
      const [one, refused, three] = made;
      if (!one?.ok || !three?.ok || refused?.ok !== false) throw new Error('outcomes out of order');
      expect(refused.error).toBeInstanceOf(SyncError);
      expect((refused.error as SyncError).kind).toBe('invalidData');
      expect(await s.crm.get(one.value.id)).toEqual(one.value);
      // The same key replays the first create, as `create` does.
      const again = await s.crm.createMany!([
        { input: { item: sampleItem({ subject: 'One' }), typeId: s.typeId }, idempotencyKey: k },
      ]);
      expect(again[0]?.ok && again[0].value.id).toBe(one.value.id);

      const read = await s.crm.getMany!([three.value.id, 'act_gone_for_good', one.value.id]);
      expect(read).toEqual([
        { ok: true, value: three.value },
        { ok: true, value: null },
        { ok: true, value: one.value },
      ]);

      const updated = await s.crm.updateMany!([
        { id: one.value.id, item: sampleItem({ subject: 'Moved' }), etag: one.value.etag },
        { id: three.value.id, item: sampleItem({ subject: 'Late' }), etag: '"stale"' },
      ]);
      expect(updated[0]?.ok && updated[0].value.item.subject).toBe('Moved');
      const lost = updated[1];
      if (lost?.ok !== false) throw new Error('a stale etag must fail');
      expect(lost.error).toBeInstanceOf(ConflictError);
      expect((lost.error as ConflictError<{ etag: string }>).current?.etag).toBe(three.value.etag);
      expect((await s.crm.get(three.value.id))?.item.subject).toBe('Three');
    });

    it('updates with the current etag; a stale etag is a ConflictError with the current', async () => {
      const created = await create();
      const updated = await s.crm.update(created.id, sampleItem({ subject: 'Moved' }), {
        etag: created.etag,
      });
      expect(updated.item.subject).toBe('Moved');
      expect(updated.etag).not.toBe(created.etag);
      expect(updated.crm.typeId).toBe(s.typeId); // SPEC F2: CRM-only fields untouched
      const err = await rejection(
        s.crm.update(created.id, sampleItem({ subject: 'Late' }), { etag: created.etag }),
      );
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.kind).toBe('conflict');
      const current = (err as ConflictError<{ etag: string; item: CalendarItem }>).current;
      expect(current?.etag).toBe(updated.etag);
      expect(current?.item.subject).toBe('Moved');
    });

    it('cancels (SPEC D1) idempotently; the activity stays', async () => {
      const created = await create();
      const cancelled = await s.crm.cancel(created.id);
      expect(cancelled.cancelled).toBe(true);
      expect(cancelled.item.isCancelled).toBe(true);
      expect((await s.crm.cancel(created.id)).cancelled).toBe(true);
      expect((await s.crm.get(created.id))?.cancelled).toBe(true);
    });

    it('removeMe takes only me off an activity I take part in (SPEC D1)', async () => {
      const participant = { kind: 'user' as const, crmId: s.userId, optional: false };
      const theirs = await s.other.create(
        { item: sampleItem({ participants: [participant] }), typeId: s.typeId },
        { idempotencyKey: key() },
      );
      const { cursor } = await s.crm.changes(null);
      expect(await s.crm.get(theirs.id)).not.toBeNull();
      await s.crm.removeMe(theirs.id);
      await s.crm.removeMe(theirs.id);
      expect(await s.crm.get(theirs.id)).toBeNull();
      expect((await s.crm.changes(cursor)).deleted).toContain(theirs.id);
      const kept = await s.other.get(theirs.id);
      expect(kept?.cancelled).toBe(false);
      expect(kept?.item.participants.some((p) => p.crmId === s.userId)).toBe(false);
    });

    it('deletes idempotently and reports a tombstone in changes', async () => {
      const created = await create();
      const { cursor } = await s.crm.changes(null);
      await s.crm.delete(created.id);
      await s.crm.delete(created.id);
      expect(await s.crm.get(created.id)).toBeNull();
      const changes = await s.crm.changes(cursor);
      expect(changes.deleted).toContain(created.id);
      expect(changes.changed.map((a) => a.id)).not.toContain(created.id);
    });

    it('an expired cursor is resyncRequired; reading from the start works', async () => {
      const created = await create();
      const { cursor } = await s.crm.changes(null);
      const v2 = await s.crm.update(created.id, sampleItem({ subject: 'v2' }), {
        etag: created.etag,
      });
      await s.crm.update(created.id, sampleItem({ subject: 'v3' }), { etag: v2.etag });
      await s.expireCursors();
      const err = await rejection(s.crm.changes(cursor));
      expect(err.code).toBe('cursorExpired');
      expect(err.kind).toBe('resyncRequired');
      const fresh = await s.crm.changes(null);
      expect(fresh.changed.find((a) => a.id === created.id)?.item.subject).toBe('v3');
    });

    it('the lease is compare-and-set: one holder at a time', async () => {
      const a = await s.crm.acquireLease('client-a', 60);
      expect(a?.holderId).toBe('client-a');
      expect(await s.crm.acquireLease('client-b', 60)).toBeNull();
      const renewed = await s.crm.acquireLease('client-a', 60);
      expect(renewed?.version).toBeGreaterThan(a?.version ?? Infinity);
      await s.crm.releaseLease('client-b'); // not the holder: no effect
      expect(await s.crm.acquireLease('client-b', 60)).toBeNull();
      await s.crm.releaseLease('client-a');
      expect((await s.crm.acquireLease('client-b', 60))?.holderId).toBe('client-b');
    });

    it('setOutlookLink is visible on get (SPEC M2)', async () => {
      const created = await create();
      const link = { mailbox: 'anna@contoso.example', eventId: 'AAMkAGI2TG93AAA=' };
      await s.crm.setOutlookLink(created.id, link);
      const answered = await s.crm.setOutlookLink(created.id, link);
      const read = await s.crm.get(created.id);
      expect(read?.outlookLinks).toEqual([link]);
      // Issue 16 item 2: the answer is the activity as the write left it, version included.
      expect(answered).toEqual(read);
    });

    it('an activity created with its Outlook event is born linked (SPEC M2)', async () => {
      const outlookLink = { mailbox: 'anna@contoso.example', eventId: 'AAMkBornLinked=' };
      const created = await s.crm.create(
        { item: sampleItem(), typeId: s.typeId, outlookLink },
        { idempotencyKey: key() },
      );
      expect(created.outlookLinks).toEqual([outlookLink]);
      expect((await s.crm.get(created.id))?.outlookLinks).toEqual([outlookLink]);
    });

    it('listWindow returns what overlaps the window; get of an unknown id is null', async () => {
      const inside = await create();
      const outside = await create(
        sampleItem({
          time: {
            kind: 'timed',
            start: '2026-05-10T07:00:00Z',
            end: '2026-05-10T08:00:00Z',
            timeZone: 'Europe/Helsinki',
          },
        }),
      );
      const ids = (
        await s.crm.listWindow({ start: '2026-03-09T00:00:00Z', end: '2026-03-12T00:00:00Z' })
      ).map((a) => a.id);
      expect(ids).toContain(inside.id);
      expect(ids).not.toContain(outside.id);
      expect(await s.crm.get('act_does_not_exist')).toBeNull();
    });
  });
}
