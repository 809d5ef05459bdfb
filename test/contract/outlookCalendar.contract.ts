import { ConflictError, SyncError } from '../../src/sync/core/errors';
import type { CalendarItem } from '../../src/sync/core/model';
import type { OutlookCalendar, TimeWindow } from '../../src/sync/ports';

export interface OutlookCalendarFixture {
  readonly calendar: OutlookCalendar;
  readonly calendarId: string;
  /** Makes every delta link handed out so far expire (Graph: 410 syncStateNotFound). */
  expireDeltaLinks(): Promise<void>;
  cleanup(): Promise<void>;
}

export const WINDOW: TimeWindow = { start: '2026-11-01T00:00:00Z', end: '2027-01-31T00:00:00Z' };

export function sampleItem(overrides: Partial<CalendarItem> = {}): CalendarItem {
  return {
    subject: 'Quarterly review',
    time: {
      kind: 'timed',
      start: '2026-11-25T07:00:00Z',
      end: '2026-11-25T08:30:00Z',
      timeZone: 'Europe/Helsinki',
    },
    location: 'Room 4',
    description: 'Agenda\n1. numbers\n2. plans',
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

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/**
 * One contract for every OutlookCalendar (STYLE.md, vdirsyncer/Replicache): the in-memory fake
 * and the Graph adapter on the emulator must pass the same tests, so what the engine's tests learn
 * from the fake holds for Graph.
 */
export function runOutlookCalendarContract(
  name: string,
  makeCalendar: () => Promise<OutlookCalendarFixture>,
): void {
  describe(`OutlookCalendar contract: ${name}`, () => {
    let f: OutlookCalendarFixture;
    let cal: OutlookCalendar;
    let calendarId: string;
    const create = (item: CalendarItem, crmId = 'crm-1', transactionId = `tx-${crmId}`) =>
      cal.create(calendarId, item, { transactionId, crmId });

    beforeEach(async () => {
      f = await makeCalendar();
      ({ calendar: cal, calendarId } = f);
    });
    afterEach(() => f.cleanup());

    it('lists the calendar it syncs', async () => {
      const calendars = await cal.listCalendars();
      expect(calendars.map((c) => c.id)).toContain(calendarId);
      expect(await cal.mailbox()).toMatch(/@/);
    });

    it('create → the first changes() shows the event with its crmId and fields', async () => {
      const item = sampleItem();
      const created = await create(item);
      expect(created.crmId).toBe('crm-1');
      const changes = await cal.changes(calendarId, WINDOW, null);
      const seen = changes.changed.find((e) => e.id === created.id);
      expect(seen?.crmId).toBe('crm-1');
      expect(seen?.item).toEqual(item);
      expect(changes.deltaLink).toEqual(expect.any(String));
    });

    it('a replayed transactionId returns the first event, never a duplicate', async () => {
      const first = await create(sampleItem(), 'crm-2', 'tx-same');
      const again = await create(sampleItem({ subject: 'changed meanwhile' }), 'crm-2', 'tx-same');
      expect(again.id).toBe(first.id);
      expect(await cal.findByCrmId(calendarId, 'crm-2')).toHaveLength(1);
    });

    it('update with a stale etag is a ConflictError carrying the current event', async () => {
      const created = await create(sampleItem());
      const updated = await cal.update(created.id, sampleItem({ subject: 'v2' }), {
        etag: created.etag,
      });
      expect(updated.etag).not.toBe(created.etag);
      expect(updated.item.subject).toBe('v2');
      expect(updated.crmId).toBe('crm-1');
      const err = await rejection(
        cal.update(created.id, sampleItem({ subject: 'v3' }), { etag: created.etag }),
      );
      expect(err).toBeInstanceOf(ConflictError);
      const current = (err as ConflictError<{ etag: string; item: CalendarItem }>).current;
      expect(current?.item.subject).toBe('v2');
      expect(current?.etag).toBe(updated.etag);
      expect((await cal.get(created.id))?.item.subject).toBe('v2');
    });

    it('delete is idempotent and get answers null afterwards', async () => {
      const created = await create(sampleItem());
      await cal.delete(created.id);
      await cal.delete(created.id);
      expect(await cal.get(created.id)).toBeNull();
      const err = await rejection(cal.update(created.id, sampleItem(), { etag: created.etag }));
      expect((err as SyncError).kind).toBe('notFound');
    });

    it('the delta link reports a change, then a deletion as removed', async () => {
      const a = await create(sampleItem({ subject: 'A' }), 'crm-a');
      const b = await create(sampleItem({ subject: 'B' }), 'crm-b');
      const first = await cal.changes(calendarId, WINDOW, null);
      const quiet = await cal.changes(calendarId, WINDOW, first.deltaLink);
      expect(quiet.changed.map((e) => e.id)).not.toContain(a.id);
      await cal.update(a.id, sampleItem({ subject: 'A2' }), { etag: a.etag });
      const second = await cal.changes(calendarId, WINDOW, quiet.deltaLink);
      expect(second.changed.map((e) => [e.id, e.item.subject, e.crmId])).toEqual([
        [a.id, 'A2', 'crm-a'],
      ]);
      await cal.delete(b.id);
      const third = await cal.changes(calendarId, WINDOW, second.deltaLink);
      expect(third.removed).toEqual([b.id]);
      expect(third.changed).toEqual([]);
    });

    it('an expired delta link is resyncRequired, and null reads everything again', async () => {
      const created = await create(sampleItem());
      const first = await cal.changes(calendarId, WINDOW, null);
      await f.expireDeltaLinks();
      const err = await rejection(cal.changes(calendarId, WINDOW, first.deltaLink));
      expect(err).toBeInstanceOf(SyncError);
      expect((err as SyncError).kind).toBe('resyncRequired');
      const again = await cal.changes(calendarId, WINDOW, null);
      expect(again.changed.map((e) => e.id)).toContain(created.id);
    });

    it('findByCrmId finds stamped events only; stamp() sets and clears the stamp', async () => {
      const stamped = await create(sampleItem(), 'crm-find');
      await create(sampleItem({ subject: 'other' }), 'crm-other');
      const found = await cal.findByCrmId(calendarId, 'crm-find');
      expect(found.map((e) => e.id)).toEqual([stamped.id]);
      expect(await cal.findByCrmId(calendarId, "no-such-'id")).toEqual([]);
      await cal.stamp(stamped.id, 'crm-relinked');
      expect((await cal.get(stamped.id))?.crmId).toBe('crm-relinked');
      expect(await cal.findByCrmId(calendarId, 'crm-find')).toEqual([]);
      await cal.stamp(stamped.id, null);
      expect((await cal.get(stamped.id))?.crmId).toBeNull();
    });

    it('stamp() answers the new version, the one a read then gives (issue 16 item 2)', async () => {
      const made = await create(sampleItem(), 'crm-version');
      const { etag } = await cal.stamp(made.id, 'crm-version-2');
      expect(etag).not.toBe(made.etag);
      expect((await cal.get(made.id))?.etag).toBe(etag);
    });

    it('versionsSince lists what changed since a link by id and version, removals included (issue 15 item 5)', async () => {
      const kept = await create(sampleItem({ subject: 'kept' }), 'crm-v1');
      const gone = await create(sampleItem({ subject: 'gone' }), 'crm-v2');
      const quiet = await create(sampleItem({ subject: 'quiet' }), 'crm-v3');
      const first = await cal.changes(calendarId, WINDOW, null);
      const edited = await cal.update(kept.id, sampleItem({ subject: 'kept, edited' }), {
        etag: kept.etag,
      });
      await cal.delete(gone.id);
      const round = await cal.versionsSince(calendarId, first.deltaLink);
      expect(round.changed).toEqual([{ id: kept.id, etag: edited.etag, seriesId: null }]);
      expect(round.removed).toEqual([gone.id]);
      expect(round.changed.map((v) => v.id)).not.toContain(quiet.id);
      // Its link lies past what it listed: the next round is empty, like the next changes().
      const after = await cal.versionsSince(calendarId, round.deltaLink);
      expect(after.changed).toEqual([]);
      expect(after.removed).toEqual([]);
      expect((await cal.changes(calendarId, WINDOW, round.deltaLink)).changed).toEqual([]);
    });

    it.each([
      [
        'all-day in Helsinki',
        {
          kind: 'allDay',
          startDate: '2026-12-24',
          endDate: '2026-12-27',
          timeZone: 'Europe/Helsinki',
        },
      ],
      [
        'New York across the DST end',
        {
          kind: 'timed',
          start: '2026-11-01T13:30:00Z',
          end: '2026-11-01T14:15:00Z',
          timeZone: 'America/New_York',
        },
      ],
      [
        'Kolkata',
        {
          kind: 'timed',
          start: '2026-12-01T04:30:00Z',
          end: '2026-12-01T05:00:00Z',
          timeZone: 'Asia/Kolkata',
        },
      ],
    ] as const)('%s round-trips time and zone', async (_label, time) => {
      const item = sampleItem({ time, reminderMinutes: null, isPrivate: true, showAs: 'oof' });
      const created = await create(item);
      expect(created.item).toEqual(item);
      expect((await cal.get(created.id))?.item).toEqual(item);
    });

    it('participants keep their kind and optionality', async () => {
      const item = sampleItem({
        participants: [
          { kind: 'external', email: 'pat@fabrikam.example', name: 'Pat', optional: false },
          { kind: 'external', email: 'opt@fabrikam.example', name: 'Opt', optional: true },
        ],
      });
      const created = await create(item);
      expect((await cal.get(created.id))?.item.participants).toEqual(item.participants);
    });
  });
}
