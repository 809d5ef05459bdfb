import type { CalendarItem } from '../../sync/core/model';
import type { GraphRecurrence } from '../../sync/core/recurrence/types';
import { toWindowsZone } from '../../sync/core/time/windowsZone';
import { instantToLocal } from '../../sync/core/time/zoned';
import { textToHtml } from './body';
import { toAttendees, type GraphAttendeeInput } from './participants';
import { recurrenceToGraph } from './recurrence';

/** The event fields we write. Built field by field from CalendarItem: nothing else can leak (F2). */
export interface GraphEventInput {
  subject: string;
  body: { contentType: 'html'; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay: boolean;
  location: { displayName: string };
  sensitivity: 'normal' | 'private';
  showAs: CalendarItem['showAs'];
  isReminderOn: boolean;
  reminderMinutesBeforeStart?: number;
  attendees: GraphAttendeeInput[];
  recurrence?: GraphRecurrence;
}

export interface ToGraphOptions {
  /** SPEC F4: the customer's contact people are invited only when the setting says so. */
  readonly inviteContacts?: boolean;
}

/**
 * CalendarItem → Graph event body. Times go out as wall clock in the item's zone, so Outlook
 * keeps the zone the item was made in and shows "09:00 Helsinki" — sending UTC would turn every
 * event into a UTC event (SPEC F1). The zone is named the Windows way (toWindowsZone: Graph's
 * documented list has every Windows name but few IANA ones, not `Europe/Helsinki`); a zone no
 * Windows zone matches goes out as UTC wall clock, which keeps the instants.
 * Occurrences never carry a recurrence; a series' recurrence that Outlook cannot express throws
 * `invalidRequest` before anything is sent.
 */
export function itemToGraph(item: CalendarItem, options: ToGraphOptions = {}): GraphEventInput {
  const t = item.time;
  const windowsZone = toWindowsZone(t.timeZone);
  const zone = windowsZone === null ? 'UTC' : t.timeZone;
  const wireZone = windowsZone ?? 'UTC';
  const [start, end] =
    t.kind === 'allDay'
      ? [`${t.startDate}T00:00:00`, `${t.endDate}T00:00:00`]
      : [instantToLocal(t.start, zone), instantToLocal(t.end, zone)];
  const out: GraphEventInput = {
    subject: item.subject,
    body: { contentType: 'html', content: textToHtml(item.description) },
    start: { dateTime: start, timeZone: wireZone },
    end: { dateTime: end, timeZone: wireZone },
    isAllDay: t.kind === 'allDay',
    location: { displayName: item.location },
    sensitivity: item.isPrivate ? 'private' : 'normal',
    showAs: item.showAs,
    isReminderOn: item.reminderMinutes !== null,
    attendees: toAttendees(item.participants, options),
  };
  if (item.reminderMinutes !== null) out.reminderMinutesBeforeStart = item.reminderMinutes;
  if (item.recurrence && !item.occurrenceOf) {
    const recurrence = recurrenceToGraph(
      item.recurrence,
      start.slice(0, 10),
      zone,
      t.kind === 'timed' ? start.slice(11, 19) : undefined,
    );
    out.recurrence = {
      ...recurrence,
      range: { ...recurrence.range, recurrenceTimeZone: wireZone },
    };
  }
  return out;
}
