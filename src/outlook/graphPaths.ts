import { EXPAND_STAMP } from './crmStamp';

/** Graph paths of the signed-in mailbox. Ids are immutable ids (opaque): always encoded. */
const enc = encodeURIComponent;

export const paths = {
  me: '/me',
  calendars: '/me/calendars',
  calendarEvents: (calendarId: string) => `/me/calendars/${enc(calendarId)}/events`,
  event: (eventId: string) => `/me/events/${enc(eventId)}`,
  /** Event with the CRM stamp expanded (a single GET can $expand; delta cannot). */
  eventWithStamp: (eventId: string) => `/me/events/${enc(eventId)}?$expand=${enc(EXPAND_STAMP)}`,
  /**
   * The event read through the calendar the sync reads: an event deleted in Outlook moves to
   * Deleted Items and its immutable id still answers at /me/events/{id}
   * (microsoft-graph-docs-contrib concepts/outlook-immutable-id.md), but not here (issue 12, item 5).
   */
  calendarEventWithStamp: (calendarId: string, eventId: string) =>
    `/me/calendars/${enc(calendarId)}/events/${enc(eventId)}?$expand=${enc(EXPAND_STAMP)}`,
  /** Only the id and the stamp: the cheap read that follows a delta page. */
  stampOnly: (eventId: string) =>
    `/me/events/${enc(eventId)}?$select=id&$expand=${enc(EXPAND_STAMP)}`,
  delta: (calendarId: string, start: string, end: string) =>
    `/me/calendars/${enc(calendarId)}/calendarView/delta` +
    `?startDateTime=${enc(start)}&endDateTime=${enc(end)}`,
  /**
   * Ids and stamps of the calendar's events matching `filter`, `top` a page: the listing that
   * replaces a first sync's stamp reads one by one (deltaReader.ts).
   */
  stampsByFilter: (calendarId: string, filter: string, top: number) =>
    `/me/calendars/${enc(calendarId)}/events?$filter=${enc(filter)}&$select=id` +
    `&$expand=${enc(EXPAND_STAMP)}&$top=${top}`,
  findByFilter: (calendarId: string, filter: string) =>
    `/me/calendars/${enc(calendarId)}/events?$filter=${enc(filter)}&$expand=${enc(EXPAND_STAMP)}`,
};
