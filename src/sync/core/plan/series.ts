/**
 * SPEC R3: what Outlook cannot hold is reported on the item, never half-synced. A CRM series
 * whose RRULE has no Outlook pattern (several days of the month, "1st and 3rd Monday", the 31st
 * only in months that have one) stays in the CRM, and the reasons travel with the exclusion.
 */
import type { CalendarItem } from '../model';
import { rruleToGraph } from '../recurrence/graphPattern';
import { instantToDate, instantToLocal } from '../time/zoned';

/** The parts of the item's rule Outlook lacks, or null when Outlook can hold it. */
export function outlookCannotHold(item: CalendarItem): readonly string[] | null {
  if (!item.recurrence || item.occurrenceOf) return null;
  const t = item.time;
  const result = rruleToGraph(item.recurrence.rrule, {
    startDate: t.kind === 'allDay' ? t.startDate : instantToDate(t.start, t.timeZone),
    timeZone: t.timeZone,
    ...(t.kind === 'timed' ? { startTime: instantToLocal(t.start, t.timeZone).slice(11, 19) } : {}),
  });
  return result.ok ? null : result.unsupported;
}
