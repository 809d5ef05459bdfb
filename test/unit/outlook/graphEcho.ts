import { findWindows } from 'windows-iana';
import { eventSchema, type GraphEvent } from '../../../src/outlook/graphSchemas';
import type { GraphEventInput } from '../../../src/outlook/mapping/toGraph';
import { toIanaZone } from '../../../src/sync/core/time/windowsZone';
import { localToInstant } from '../../../src/sync/core/time/zoned';

/**
 * What Graph answers for an event written with `input`, under `Prefer: outlook.timezone="UTC"`:
 * timed times in UTC with 7 fraction digits, all-day dates as they were, the event's own zone in
 * originalStartTimeZone — as the IANA name sent, or as Graph's Windows name.
 */
export function graphEcho(input: GraphEventInput, naming: 'iana' | 'windows'): GraphEvent {
  // The adapter writes Windows names (issue 12, item 4): the instants are computed in the zone
  // the name stands for; the answer names the zone as it was sent.
  const zone = toIanaZone(input.start.timeZone, 'UTC') ?? input.start.timeZone;
  const utc = (local: string) =>
    input.isAllDay ? `${local}.0000000` : `${localToInstant(local, zone).slice(0, 19)}.0000000`;
  const sent = input.start.timeZone;
  const own = naming === 'iana' || !sent.includes('/') ? sent : (findWindows(sent)[0] ?? sent);
  return eventSchema.parse({
    '@odata.etag': 'W/"1"',
    id: 'AAMk-echo=',
    type: 'singleInstance',
    subject: input.subject,
    body: input.body,
    start: { dateTime: utc(input.start.dateTime), timeZone: 'UTC' },
    end: { dateTime: utc(input.end.dateTime), timeZone: 'UTC' },
    originalStartTimeZone: own,
    originalEndTimeZone: own,
    isAllDay: input.isAllDay,
    location: { displayName: input.location.displayName, locationType: 'default' },
    sensitivity: input.sensitivity,
    showAs: input.showAs,
    isReminderOn: input.isReminderOn,
    // Graph keeps a default reminder time even when the reminder is off.
    reminderMinutesBeforeStart: input.reminderMinutesBeforeStart ?? 15,
    attendees: input.attendees.map((a) => ({
      ...a,
      status: { response: 'none', time: '0001-01-01T00:00:00Z' },
    })),
    isCancelled: false,
    lastModifiedDateTime: '2026-11-22T08:00:00.1234567Z',
  });
}
