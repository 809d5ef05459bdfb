/**
 * The paged collection reads of the Outlook calendar port (./graphOutlookCalendar.ts): the
 * mailbox's calendars, and the events stamped with a CRM id. Each follows @odata.nextLink.
 */
import type { OutlookCalendarInfo } from '../sync/ports';
import { CRM_ID_PROPERTY, LEGACY_CRM_ID_PROPERTY, stampFilter } from './crmStamp';
import type { GraphClient } from './graphClient';
import { paths } from './graphPaths';
import {
  calendarListSchema,
  eventPageSchema,
  type CalendarList,
  type EventPage,
  type GraphEvent,
} from './graphSchemas';

/** Every collection read follows @odata.nextLink, up to this many pages (a bound, not a limit met). */
const MAX_PAGES = 1000;

export async function listCalendars(client: GraphClient): Promise<readonly OutlookCalendarInfo[]> {
  // Issue 12, item 7: /me/calendars pages (at 10, reports say): every page is followed.
  const out: OutlookCalendarInfo[] = [];
  let next: string | null = paths.calendars;
  for (let pages = 0; next && pages < MAX_PAGES; pages++) {
    const { data }: { data: CalendarList } = await client.request({
      method: 'GET',
      path: next,
      schema: calendarListSchema,
    });
    for (const c of data.value) {
      out.push({
        id: c.id,
        name: c.name ?? '',
        isDefault: c.isDefaultCalendar ?? false,
        canEdit: c.canEdit ?? false,
      });
    }
    next = data['@odata.nextLink'] ?? null;
  }
  return out;
}

/**
 * Hands `each` every event of `calendarId` stamped with `crmId`, once each, in page order (the
 * next page is read after `each` has finished with this one's events).
 */
export async function forEachStampedEvent(
  client: GraphClient,
  calendarId: string,
  crmId: string,
  each: (event: GraphEvent) => Promise<void>,
): Promise<void> {
  // The product's stamp, then the legacy one (crmStamp.ts): events stamped before issue 12.
  const queue = [CRM_ID_PROPERTY, LEGACY_CRM_ID_PROPERTY].map((p) =>
    paths.findByFilter(calendarId, stampFilter(crmId, p)),
  );
  const seen = new Set<string>();
  let next: string | null = queue.shift() ?? null;
  for (let pages = 0; next && pages < MAX_PAGES; pages++) {
    const { data }: { data: EventPage } = await client.request({
      method: 'GET',
      path: next,
      schema: eventPageSchema,
      notFound: 'calendarNotFound',
    });
    for (const ev of data.value) {
      if (seen.has(ev.id)) continue;
      seen.add(ev.id);
      await each(ev);
    }
    next = data['@odata.nextLink'] ?? queue.shift() ?? null;
  }
}
