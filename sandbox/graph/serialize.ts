import type { DateTimeTimeZone, Event } from '@microsoft/microsoft-graph-types';
import { Temporal } from 'temporal-polyfill';
import { occurrenceId, type Instance } from './instances';
import { formatLocal, localIn, parseLocal } from './timezones';
import type { ExtendedProperty } from './types';

export interface OutputZone {
  /** The name echoed in `timeZone` (what the client asked for, e.g. "Pacific Standard Time"). */
  name: string;
  iana: string;
}

export interface SerializeOptions {
  zone: OutputZone;
  select?: string[] | undefined;
  /** From `$expand=singleValueExtendedProperties($filter=…)`: which properties to include. */
  expandExtended?: ((p: ExtendedProperty) => boolean) | undefined;
}

/** Graph returns an event's times in UTC unless `Prefer: outlook.timezone` names a zone. */
function outTime(ms: number, zone: OutputZone): DateTimeTimeZone {
  return { dateTime: formatLocal(localIn(ms, zone.iana)), timeZone: zone.name };
}

/**
 * All-day events are floating: "All day events always return midnight-to-midnight regardless of
 * time zone" (Graph team, microsoft-graph-docs#1802), so their wall dates are echoed as is.
 */
function allDayTime(dateTime: string, zone: OutputZone): DateTimeTimeZone {
  return { dateTime: formatLocal(parseLocal(dateTime)), timeZone: zone.name };
}

function bodyPreview(content: string, type: string): string {
  const text = type === 'html' ? content.replace(/<[^>]*>/g, ' ') : content;
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

export function webLink(id: string): string {
  return `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}

export function serializeInstance(
  inst: Instance,
  opts: SerializeOptions,
): Event & Record<string, unknown> {
  const f = inst.fields;
  const ev = inst.event;
  const isSeriesPart = inst.type === 'occurrence' || inst.type === 'exception';
  const out: Event & Record<string, unknown> = {
    '@odata.etag': `W/"${inst.changeKey}"`,
    id: inst.id,
    createdDateTime: inst.createdDateTime,
    lastModifiedDateTime: inst.lastModifiedDateTime,
    changeKey: inst.changeKey,
    categories: f.categories,
    transactionId: inst.type === 'occurrence' ? null : ev.transactionId,
    originalStartTimeZone: f.start.timeZone,
    originalEndTimeZone: f.end.timeZone,
    // Graph: iCalUId "is different for each occurrence in a recurring series".
    iCalUId: isSeriesPart ? `${ev.iCalUId}${inst.id.slice(-8)}` : ev.iCalUId,
    reminderMinutesBeforeStart: f.reminderMinutesBeforeStart,
    isReminderOn: f.isReminderOn,
    hasAttachments: false,
    subject: f.subject,
    bodyPreview: bodyPreview(f.body.content, f.body.contentType),
    importance: f.importance,
    sensitivity: f.sensitivity,
    isAllDay: f.isAllDay,
    // event resource: isCancelled / isOrganizer; an attendee copy is not the organizer's.
    isCancelled: ev.isCancelled ?? false,
    isOrganizer: ev.organizerRef === undefined,
    responseRequested: f.responseRequested,
    seriesMasterId: isSeriesPart ? ev.id : null,
    showAs: f.showAs,
    type: inst.type,
    webLink: webLink(inst.id),
    onlineMeetingUrl: null,
    isOnlineMeeting: f.isOnlineMeeting,
    onlineMeetingProvider: ev.onlineMeeting ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: f.allowNewTimeProposals,
    isDraft: false,
    hideAttendees: f.hideAttendees,
    responseStatus: ev.response
      ? { ...ev.response }
      : { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    body: { contentType: f.body.contentType, content: f.body.content },
    start: f.isAllDay ? allDayTime(f.start.dateTime, opts.zone) : outTime(inst.startMs, opts.zone),
    end: f.isAllDay ? allDayTime(f.end.dateTime, opts.zone) : outTime(inst.endMs, opts.zone),
    location: {
      displayName: '',
      locationType: 'default',
      uniqueIdType: 'unknown',
      ...stripNull(f.location),
    },
    locations: f.location.displayName ? [{ ...stripNull(f.location) }] : [],
    recurrence: inst.type === 'seriesMaster' ? (ev.recurrence ?? null) : null,
    attendees: f.attendees.map((a) => ({
      type: a.type,
      status: a.status ?? { response: 'none', time: '0001-01-01T00:00:00Z' },
      emailAddress: { name: a.emailAddress.name ?? '', address: a.emailAddress.address ?? '' },
    })),
    organizer: f.organizer,
    // calendar-post-events.md, example 2: an online meeting reads back with its joinUrl.
    onlineMeeting: ev.onlineMeeting
      ? { joinUrl: ev.onlineMeeting.joinUrl, conferenceId: ev.onlineMeeting.conferenceId }
      : null,
  };
  if (isSeriesPart && inst.originalStartMs !== undefined) {
    out.originalStart = new Date(inst.originalStartMs).toISOString().replace('.000Z', 'Z');
  }
  return applySelectExpand(out, inst, opts);
}

function stripNull<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== undefined),
  ) as Partial<T>;
}

function applySelectExpand(
  out: Event & Record<string, unknown>,
  inst: Instance,
  opts: SerializeOptions,
): Event & Record<string, unknown> {
  let result = out;
  if (opts.select) {
    result = { '@odata.etag': out['@odata.etag'], id: out.id };
    for (const key of opts.select) {
      if (key === 'cancelledOccurrences') {
        // Graph: returned only on $select of a GET of the series master; values are occurrence ids.
        if (inst.type === 'seriesMaster') {
          result.cancelledOccurrences = inst.event.cancelledDates.map((d) =>
            occurrenceId(inst.event.id, Temporal.PlainDate.from(d)),
          );
        }
      } else if (key in out) result[key] = out[key];
    }
  }
  if (opts.expandExtended) {
    const props = inst.extendedProperties.filter(opts.expandExtended);
    // Graph leaves the navigation property out when no property matches the $filter.
    if (props.length > 0) result.singleValueExtendedProperties = props.map((p) => ({ ...p }));
  }
  return result;
}
