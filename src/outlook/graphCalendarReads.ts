/**
 * The paged collection reads of the Outlook calendar port (./graphOutlookCalendar.ts): the
 * mailbox's calendars, and the events stamped with a CRM id. Each follows @odata.nextLink.
 */
import type { OutlookCalendarInfo } from '../sync/ports';
import {
  CRM_ID_PROPERTY,
  LEGACY_CRM_ID_PROPERTY,
  readStamp,
  stampedFilter,
  stampFilter,
} from './crmStamp';
import type { GraphClient } from './graphClient';
import { paths } from './graphPaths';
import {
  calendarListSchema,
  eventPageSchema,
  stampPageSchema,
  type CalendarList,
  type EventPage,
  type GraphEvent,
  type StampPage,
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

/**
 * Events per page of the stamp listing ($top: user-list-events.md supports it; concepts/paging.md
 * leaves each API's maximum to the API — 1,000 is the most the emulator serves, and what Outlook's
 * collections are reported to allow: ARCHITECTURE "To confirm in a real tenant"). Issue 16: a
 * relink lists every stamped event, so the page size sets how many pages it reads — with 100,
 * 76 pages at N = 5,000 + 5,000, each of which the server filters from the whole calendar.
 */
export const STAMP_PAGE_SIZE = 1000;

/**
 * Issue 16: the stamps of every event of `calendarId` that carries one — the product's stamp and
 * the legacy one — by listing the stamped events (`$filter` on the property's value, `$expand`
 * of the property: singlevaluelegacyextendedproperty-get.md) instead of one read per event.
 * Events and series masters only: a collection of events lists no occurrences.
 *
 * At most `maxPages` pages: a mailbox holding more stamped events than that answers null, and the
 * caller reads the stamps it needs one by one (the listing would cost more than it saves).
 */
export async function listStamps(
  client: GraphClient,
  calendarId: string,
  maxPages: number,
): Promise<Map<string, string> | null> {
  const queue = [CRM_ID_PROPERTY, LEGACY_CRM_ID_PROPERTY].map((p) =>
    paths.stampsByFilter(calendarId, stampedFilter(p), STAMP_PAGE_SIZE),
  );
  const stamps = new Map<string, string>();
  let next: string | null = queue.shift() ?? null;
  for (let pages = 0; next; pages++) {
    if (pages >= maxPages) return null;
    const { data }: { data: StampPage } = await client.request({
      method: 'GET',
      path: next,
      schema: stampPageSchema,
      notFound: 'calendarNotFound',
    });
    for (const ev of data.value) {
      // readStamp prefers the product's stamp over the legacy one on the same event.
      const crmId = readStamp(ev);
      if (crmId !== null) stamps.set(ev.id, crmId);
    }
    next = data['@odata.nextLink'] ?? queue.shift() ?? null;
  }
  return stamps;
}
