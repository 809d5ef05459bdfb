import { isOccurrenceDate } from './recurrence';
import {
  occurrence,
  parseOccurrenceId,
  seriesInstances,
  singleInstance,
  type Instance,
} from './instances';
import type { Mailbox } from './types';

/** calendarView: every instance in one calendar overlapping [from, to), ordered by start. */
export function calendarView(
  mbx: Mailbox,
  calendarId: string,
  from: number,
  to: number,
): Instance[] {
  const out: Instance[] = [];
  for (const ev of Object.values(mbx.events)) {
    if (ev.calendarId !== calendarId || ev.deleted) continue;
    if (ev.kind === 'seriesMaster') out.push(...seriesInstances(ev, from, to));
    else {
      const inst = singleInstance(ev);
      const zeroLengthInside =
        inst.startMs === inst.endMs && inst.startMs >= from && inst.startMs < to;
      if ((inst.endMs > from && inst.startMs < to) || zeroLengthInside) out.push(inst);
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
}

/**
 * Any event id of a mailbox: single instance, master, occurrence or exception. Events in Deleted
 * Items only with `includeDeleted` (GET /me/events/{id} reads them; calendars do not).
 */
export function findInstance(
  mbx: Mailbox,
  id: string,
  opts: { includeDeleted?: boolean } = {},
): Instance | null {
  const ev = mbx.events[id];
  if (ev) return ev.deleted && !opts.includeDeleted ? null : singleInstance(ev);
  const occ = parseOccurrenceId(id);
  if (!occ) return null;
  const master = mbx.events[occ.masterId];
  if (!master?.recurrence) return null;
  if (master.deleted && !opts.includeDeleted) return null;
  const key = occ.date.toString();
  if (master.cancelledDates.includes(key)) return null;
  if (!master.exceptions[key] && !isOccurrenceDate(master.recurrence, occ.date)) return null;
  return occurrence(master, occ.date);
}
