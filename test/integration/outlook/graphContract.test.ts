import { runOutlookCalendarContract } from '../../contract/outlookCalendar.contract';
import { MAILBOX, startAdapter } from './harness';

runOutlookCalendarContract('Graph adapter on the emulator', async () => {
  const h = await startAdapter();
  return {
    calendar: h.calendar,
    calendarId: h.calendarId,
    expireDeltaLinks: async () => h.server.faults.expireDeltaTokens(MAILBOX),
    cleanup: () => h.close(),
  };
});
