/**
 * What a series' update writes (SPEC R1, R4; issue 12, items 2, 3 and 6): only the fields that
 * differ from the series as read, and its rule with its times only when either changed and this
 * mailbox organises it — Outlook drops a series' exceptions whenever those are written.
 */
import type { CalendarItem } from '../sync/core/model';
import { stableStringify } from '../sync/core/hash';
import { normaliseItem } from '../sync/core/normalise';
import type { OutlookEvent } from '../sync/ports';
import type { GraphEvent } from './graphSchemas';
import { patchFor, type PatchOptions } from './mapping/changes';
import { itemToGraph } from './mapping/toGraph';

/**
 * Whether this mailbox organises the event: only then are times, attendees and recurrence
 * written (issue 12, items 3 and 6). Graph's `isOrganizer` is read, never assumed.
 */
export function isOwnMeeting(raw: GraphEvent): boolean {
  return raw.isOrganizer ?? (raw.responseStatus?.response === 'organizer' || !raw.organizer);
}

/** The PATCH body for a series read as `before`, and whether its rule and times stay. */
export function seriesPatchFor(
  before: { readonly raw: GraphEvent; readonly event: OutlookEvent },
  item: CalendarItem,
  opts: Omit<PatchOptions, 'organizer'>,
): {
  readonly body: ReturnType<typeof patchFor>;
  readonly sameRule: boolean;
  readonly was: CalendarItem;
  readonly now: CalendarItem;
} {
  const [was, now] = [normaliseItem(before.event.item), normaliseItem(item)];
  const sameRule =
    was.recurrence?.rrule === now.recurrence?.rrule &&
    stableStringify(was.time) === stableStringify(now.time);
  const organizer = isOwnMeeting(before.raw);
  const body = patchFor(before.raw, item, { ...opts, organizer });
  if (sameRule || !organizer) {
    delete body.recurrence;
    delete body.start;
    delete body.end;
    delete body.isAllDay;
  } else {
    // A new rule or new times: Graph takes the series' recurrence with its start and end.
    const full = itemToGraph(item, opts);
    Object.assign(body, { start: full.start, end: full.end, isAllDay: full.isAllDay });
    if (full.recurrence) body.recurrence = full.recurrence;
  }
  return { body, sameRule, was, now };
}
