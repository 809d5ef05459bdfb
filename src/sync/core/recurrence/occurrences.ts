/**
 * A series' occurrences by recurrence id (SPEC R1): the original start and end of one
 * occurrence, and the recurrence id of an instant. Pure: Temporal does the zone arithmetic, so
 * "09:00 in Helsinki" is 09:00 on both sides of a DST change.
 */
import { Temporal } from 'temporal-polyfill';
import type { ItemTime, OccurrenceChange, PlainDate, RecurrenceId } from '../model';
import { formatInstant, instantToDate, instantToLocal, localToInstant } from '../time/zoned';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The series' first start as a recurrence id: wall time in its zone, or its date. */
export function seriesStartId(time: ItemTime): RecurrenceId {
  return time.kind === 'allDay' ? time.startDate : instantToLocal(time.start, time.timeZone);
}

/** The recurrence id of an occurrence that originally started at `start` (an instant or date). */
export function recurrenceIdOf(time: ItemTime, start: string): RecurrenceId {
  // Graph gives an all-day occurrence's original start as the instant its day begins in the
  // series' zone (the day before, in UTC, east of Greenwich).
  if (time.kind === 'allDay') return DATE.test(start) ? start : instantToDate(start, time.timeZone);
  return DATE.test(start)
    ? `${start}T${seriesStartId(time).slice(11)}`
    : instantToLocal(start, time.timeZone);
}

/** The recurrence id of the occurrence on local date `date` (a cancelled occurrence's date). */
export function recurrenceIdOnDate(time: ItemTime, date: PlainDate): RecurrenceId {
  return time.kind === 'allDay' ? date : `${date}T${seriesStartId(time).slice(11)}`;
}

/** The start and end an occurrence has when nothing moved it. */
export function originalTimes(
  time: ItemTime,
  id: RecurrenceId,
): { readonly start: string; readonly end: string } {
  if (time.kind === 'allDay') {
    const start = Temporal.PlainDate.from(id.slice(0, 10));
    const days = Temporal.PlainDate.from(time.startDate).until(time.endDate).days;
    return { start: start.toString(), end: start.add({ days }).toString() };
  }
  const local = id.length === 10 ? `${id}T${seriesStartId(time).slice(11)}` : id;
  const start = localToInstant(local, time.timeZone);
  const length = Date.parse(time.end) - Date.parse(time.start);
  return { start, end: formatInstant(Date.parse(start) + length) };
}

/**
 * The occurrence's start and end after `change`: its original ones when it was not moved; a
 * change that names only a new start keeps the series' length, one that names only a new end
 * keeps the original start.
 */
export function occurrenceTimes(
  time: ItemTime,
  id: RecurrenceId,
  change: OccurrenceChange | undefined,
): { readonly start: string; readonly end: string } {
  const original = originalTimes(time, id);
  if (change?.start === undefined)
    return { start: original.start, end: change?.end ?? original.end };
  if (change.end !== undefined) return { start: change.start, end: change.end };
  if (time.kind === 'allDay') {
    const days = Temporal.PlainDate.from(time.startDate).until(time.endDate).days;
    return {
      start: change.start,
      end: Temporal.PlainDate.from(change.start).add({ days }).toString(),
    };
  }
  const length = Date.parse(time.end) - Date.parse(time.start);
  return { start: change.start, end: formatInstant(Date.parse(change.start) + length) };
}
