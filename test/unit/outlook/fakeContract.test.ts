import { SyncError } from '../../../src/sync/core/errors';
import { runOutlookCalendarContract, sampleItem } from '../../contract/outlookCalendar.contract';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';

runOutlookCalendarContract('in-memory fake', async () => {
  const calendar = new InMemoryOutlookCalendar();
  return {
    calendar,
    calendarId: 'calendar',
    expireDeltaLinks: async () => calendar.expireDeltaLinks(),
    cleanup: async () => undefined,
  };
});

describe('InMemoryOutlookCalendar test hooks', () => {
  const window = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };
  const item = sampleItem();

  it('failNext throws once from the named method', async () => {
    const cal = new InMemoryOutlookCalendar();
    cal.failNext('changes', new SyncError('throttled', 'injected', { retryAfterMs: 5 }));
    await expect(cal.changes('calendar', window, null)).rejects.toMatchObject({
      code: 'throttled',
    });
    await expect(cal.changes('calendar', window, null)).resolves.toMatchObject({ changed: [] });
  });

  it('edits made "in Outlook" show in the delta; leaving the window is a removal (SPEC W3)', async () => {
    const cal = new InMemoryOutlookCalendar();
    const mine = cal.outlookCreate('calendar', item);
    const first = await cal.changes('calendar', window, null);
    expect(first.changed.map((e) => [e.id, e.crmId])).toEqual([[mine.id, null]]);
    const moved = {
      ...item,
      time: { ...item.time, start: '2027-03-01T07:00:00Z', end: '2027-03-01T08:00:00Z' },
    };
    const edited = cal.outlookEdit(mine.id, moved);
    expect(edited.etag).not.toBe(mine.etag);
    const second = await cal.changes('calendar', window, first.deltaLink);
    expect(second).toMatchObject({ changed: [], removed: [mine.id] });
  });

  it('an unknown calendar is calendarNotFound', async () => {
    const cal = new InMemoryOutlookCalendar();
    await expect(cal.changes('nope', window, null)).rejects.toMatchObject({
      code: 'calendarNotFound',
    });
  });
});
