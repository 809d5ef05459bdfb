/**
 * The PATCH body of an update: only the fields that differ from the event as read (issue 12,
 * item 2). Graph `event-update` (microsoft-graph-docs-contrib api-reference/v1.0/api/event-update.md)
 * mails attendees an update when a PATCH carries attendees, and the organizer's client sends one
 * for a change of times or location; a PATCH of what did not change is a needless mail (SPEC F6).
 * Pure: the read and the write are in ../graphOutlookCalendar.ts.
 */
import { stableStringify } from '../../sync/core/hash';
import type { CalendarItem, ItemTime } from '../../sync/core/model';
import { normaliseItem } from '../../sync/core/normalise';
import { toWindowsZone } from '../../sync/core/time/windowsZone';
import type { GraphEvent } from '../graphSchemas';
import { textToHtml } from './body';
import { spliceDescription } from './bodySplice';
import { itemFromGraph, type FromGraphContext } from './fromGraph';
import { itemToGraph, type GraphEventInput, type ToGraphOptions } from './toGraph';

type GraphLocation = NonNullable<GraphEvent['locations']>[number];

export type GraphEventPatch = Partial<Omit<GraphEventInput, 'recurrence'>> & {
  locations?: GraphLocation[];
  recurrence?: GraphEventInput['recurrence'];
};

/** Two zones are the same to Outlook when they are the same Windows zone (what is written). */
function sameZone(a: string, b: string): boolean {
  return a === b || (toWindowsZone(a) ?? a) === (toWindowsZone(b) ?? b);
}

export function sameTime(a: ItemTime, b: ItemTime): boolean {
  if (a.kind !== b.kind || !sameZone(a.timeZone, b.timeZone)) return false;
  if (a.kind === 'timed' && b.kind === 'timed') {
    return Date.parse(a.start) === Date.parse(b.start) && Date.parse(a.end) === Date.parse(b.end);
  }
  if (a.kind === 'allDay' && b.kind === 'allDay') {
    return a.startDate === b.startDate && a.endDate === b.endDate;
  }
  return false;
}

function attendeeKey(
  list: readonly { type?: string | null; emailAddress?: { address?: string | null } | null }[],
): string {
  return list
    .map((a) => `${a.type ?? 'required'}:${a.emailAddress?.address?.trim().toLowerCase() ?? ''}`)
    .filter((k) => !k.endsWith(':'))
    .sort()
    .join('|');
}

/**
 * The `locations` to write for a new `location`. Graph's event resource: updating `location`
 * alone replaces the whole `locations` collection ("any prior locations in the locations
 * collection would be removed"); Outlook shows several locations joined by "; ". The names that
 * stay keep their objects (a room keeps its address), new names are added, the others go.
 */
export function locationsFor(current: readonly GraphLocation[], location: string): GraphLocation[] {
  const names = location
    .split(';')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const unused = [...current];
  return names.map((name) => {
    const i = unused.findIndex((l) => (l.displayName ?? '').trim() === name);
    if (i < 0) return { displayName: name };
    const [kept] = unused.splice(i, 1);
    return kept ?? { displayName: name };
  });
}

export interface PatchOptions extends FromGraphContext, ToGraphOptions {
  /**
   * Whether times, attendees and recurrence may be written: only the organizer's own copy of a
   * meeting (issue 12, items 3 and 6). The planner sets such CRM edits aside with their reason;
   * this is the adapter's own guard, so an attendee's copy never carries them.
   */
  readonly organizer: boolean;
}

/** What to PATCH so that `current` becomes `item`; `{}` when nothing differs. */
export function patchFor(
  current: GraphEvent,
  item: CalendarItem,
  opts: PatchOptions,
): GraphEventPatch {
  const was = normaliseItem(itemFromGraph(current, opts));
  const now = normaliseItem(item);
  const full = itemToGraph(now, opts);
  const out: GraphEventPatch = {};
  if (was.subject !== now.subject) out.subject = full.subject;
  if (opts.organizer && !sameTime(was.time, now.time)) {
    out.start = full.start;
    out.end = full.end;
    out.isAllDay = full.isAllDay;
  }
  if (was.location !== now.location) {
    const current_ = current.locations ?? [];
    if (current_.length > 1) out.locations = locationsFor(current_, now.location);
    else out.location = full.location;
  }
  if (was.description !== now.description) {
    const content = current.body?.content ?? '';
    out.body = {
      contentType: 'html',
      content:
        current.body?.contentType === 'html'
          ? spliceDescription(content, now.description)
          : textToHtml(now.description),
    };
  }
  if (was.isPrivate !== now.isPrivate) out.sensitivity = full.sensitivity;
  if (was.showAs !== now.showAs) out.showAs = full.showAs;
  if (was.reminderMinutes !== now.reminderMinutes) {
    out.isReminderOn = full.isReminderOn;
    if (full.reminderMinutesBeforeStart !== undefined) {
      out.reminderMinutesBeforeStart = full.reminderMinutesBeforeStart;
    }
  }
  if (opts.organizer && attendeeKey(current.attendees ?? []) !== attendeeKey(full.attendees)) {
    out.attendees = full.attendees;
  }
  if (
    opts.organizer &&
    full.recurrence &&
    stableStringify(was.recurrence?.rrule ?? null) !==
      stableStringify(now.recurrence?.rrule ?? null)
  ) {
    out.recurrence = full.recurrence;
  }
  return out;
}
