import type { CalendarItem, IanaZone, Instant, ItemTime } from '../../sync/core/model';
import { SyncError } from '../../sync/core/errors';
import { toIanaZone } from '../../sync/core/time/windowsZone';
import { instantToLocal, localToInstant, normalizeInstant } from '../../sync/core/time/zoned';
import type { OutlookEvent } from '../../sync/ports';
import { readStamp } from '../crmStamp';
import type { GraphEvent } from '../graphSchemas';
import { htmlToText, normalizeText } from './body';
import { fromAttendees, type ClassifyParticipant } from './participants';
import { recurrenceFromGraph } from './recurrence';
import { recurrenceIdOf } from '../../sync/core/recurrence/occurrences';

export interface FromGraphContext {
  /** The person's own IANA zone: preferred among a Windows zone's candidates, and the fallback. */
  readonly personZone: IanaZone;
  readonly classify?: ClassifyParticipant;
}

const KIND = {
  singleInstance: 'single',
  occurrence: 'occurrence',
  exception: 'exception',
  seriesMaster: 'seriesMaster',
} as const;

const corrupt = (what: string) =>
  new SyncError('invalidResponse', `Graph sent an event without a readable ${what}`);

/** Graph `dateTimeTimeZone` → instant. With `Prefer: outlook.timezone="UTC"` it is UTC already. */
function instantOf(t: { dateTime: string; timeZone?: string | null }, zone: IanaZone): Instant {
  const local = t.dateTime.slice(0, 19); // Graph writes 7 fraction digits and no offset.
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(local)) throw corrupt('time');
  const inZone = toIanaZone(t.timeZone ?? 'UTC', zone);
  return inZone === 'UTC' ? normalizeInstant(`${local}Z`) : localToInstant(local, inZone ?? zone);
}

function timeOf(ev: GraphEvent, personZone: IanaZone): ItemTime {
  if (!ev.start || !ev.end) throw corrupt('start or end');
  // The event's own zone (SPEC F1): Graph keeps it in originalStartTimeZone, whatever zone the
  // times are answered in.
  const timeZone = toIanaZone(ev.originalStartTimeZone, personZone) ?? personZone;
  if (ev.isAllDay) {
    // All-day events are floating: Graph answers midnight-to-midnight dates in any zone.
    return {
      kind: 'allDay',
      startDate: ev.start.dateTime.slice(0, 10),
      endDate: ev.end.dateTime.slice(0, 10),
      timeZone,
    };
  }
  const zone = toIanaZone(ev.start.timeZone, personZone) ?? personZone;
  return {
    kind: 'timed',
    start: instantOf(ev.start, zone),
    end: instantOf(ev.end, zone),
    timeZone,
  };
}

export function itemFromGraph(ev: GraphEvent, ctx: FromGraphContext): CalendarItem {
  const time = timeOf(ev, ctx.personZone);
  const body = ev.body?.content ?? '';
  const kind = KIND[ev.type ?? 'singleInstance'];
  const isPart = kind === 'occurrence' || kind === 'exception';
  const originalStart = ev.originalStart ?? null;
  return {
    subject: ev.subject ?? '',
    time,
    location: ev.location?.displayName ?? '',
    description: ev.body?.contentType === 'text' ? normalizeText(body) : htmlToText(body),
    isPrivate: ev.sensitivity === 'private' || ev.sensitivity === 'confidential',
    showAs: ev.showAs ?? 'busy',
    reminderMinutes: ev.isReminderOn ? (ev.reminderMinutesBeforeStart ?? 15) : null,
    participants: fromAttendees(ev.attendees ?? [], ctx.classify),
    recurrence:
      kind === 'seriesMaster' && ev.recurrence
        ? recurrenceFromGraph(
            ev.recurrence,
            // Issue 12, item 8: a timed series' end date becomes a UTC UNTIL (RFC 5545).
            time.kind === 'timed'
              ? {
                  startTime: instantToLocal(time.start, time.timeZone).slice(11, 19),
                  zone: time.timeZone,
                }
              : undefined,
          )
        : null,
    occurrenceOf:
      isPart && ev.seriesMasterId && originalStart
        ? {
            seriesId: ev.seriesMasterId,
            // All-day occurrences are dates (model.ts); Graph gives their midnight as an instant.
            originalStart:
              time.kind === 'allDay'
                ? recurrenceIdOf(time, normalizeInstant(originalStart))
                : normalizeInstant(originalStart),
          }
        : null,
    isCancelled: ev.isCancelled ?? false,
  };
}

function responseOf(ev: GraphEvent): Pick<OutlookEvent, 'response'> {
  const r = ev.responseStatus?.response;
  if (!r || r === 'organizer' || ev.isOrganizer === true) return {};
  return { response: r };
}

/** An event's version: its `@odata.etag`, else the weak ETag of its changeKey. */
export function etagOf(ev: Pick<GraphEvent, '@odata.etag' | 'changeKey'>): string {
  return ev['@odata.etag'] ?? (ev.changeKey ? `W/"${ev.changeKey}"` : '');
}

export function eventFromGraph(ev: GraphEvent, ctx: FromGraphContext): OutlookEvent {
  return {
    id: ev.id,
    etag: etagOf(ev),
    kind: KIND[ev.type ?? 'singleInstance'],
    item: itemFromGraph(ev, ctx),
    crmId: readStamp(ev),
    organizerEmail: ev.organizer?.emailAddress?.address?.toLowerCase() ?? null,
    // Graph names the organizer; an event without one (an appointment) is the person's own.
    isOrganizer:
      ev.isOrganizer ??
      (ev.responseStatus?.response === 'organizer' || !ev.organizer?.emailAddress?.address),
    ...responseOf(ev),
    webLink: ev.webLink ?? null,
    lastModified: ev.lastModifiedDateTime
      ? normalizeInstant(ev.lastModifiedDateTime)
      : '1970-01-01T00:00:00Z',
  };
}
