/**
 * A series as Outlook holds it — a master, its exceptions (instances of type `exception`) and its
 * cancelled occurrences (`cancelledOccurrences` on the master) — folded into the model's one
 * series item, whose recurrence carries the cancellations as EXDATEs and the exceptions as
 * overrides by recurrence id (SPEC R1). Pure: the reads are in ../series.ts.
 */
import type {
  CalendarItem,
  OccurrenceChange,
  PlainDate,
  Recurrence,
  RecurrenceId,
} from '../../sync/core/model';
import { recurrenceIdOf, recurrenceIdOnDate } from '../../sync/core/recurrence/occurrences';
import { normaliseItem } from '../../sync/core/normalise';
import type { GraphEvent } from '../graphSchemas';
import { itemFromGraph, type FromGraphContext } from './fromGraph';

export interface SeriesParts {
  /** Original local dates of the cancelled occurrences. */
  readonly cancelledDates: readonly PlainDate[];
  /** The series' exceptions that were read (those in the window asked for). */
  readonly exceptions: readonly GraphEvent[];
}

/**
 * The date of a `cancelledOccurrences` value. Graph documents them as occurrence ids that end in
 * the occurrence's original date (`OID.{masterId}.2026-03-11`); the emulator's own occurrence
 * ids end in `_20260311`. Either is read; anything else is not a date we can place.
 */
export function cancelledDate(value: string): PlainDate | null {
  const m = /(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** What an exception changes from its series, as the model writes it. */
export function exceptionChange(series: CalendarItem, exception: CalendarItem): OccurrenceChange {
  const t = exception.time;
  return {
    ...(exception.subject !== series.subject ? { subject: exception.subject } : {}),
    ...(exception.location !== series.location ? { location: exception.location } : {}),
    ...(exception.description !== series.description ? { description: exception.description } : {}),
    ...(exception.showAs !== series.showAs ? { showAs: exception.showAs } : {}),
    ...(exception.reminderMinutes !== series.reminderMinutes
      ? { reminderMinutes: exception.reminderMinutes }
      : {}),
    // Always given: normalisation drops a start and end equal to the occurrence's own.
    ...(t.kind === 'timed'
      ? { start: t.start, end: t.end }
      : { start: t.startDate, end: t.endDate }),
  };
}

/** The master's item with its cancellations and exceptions in its recurrence. */
export function foldSeries(
  master: CalendarItem,
  parts: SeriesParts,
  ctx: FromGraphContext,
): CalendarItem {
  if (!master.recurrence) return master;
  const time = master.time;
  const exdates = parts.cancelledDates.map((d) => recurrenceIdOnDate(time, d));
  const overrides: Record<RecurrenceId, OccurrenceChange> = {};
  for (const ev of parts.exceptions) {
    if (ev.type !== 'exception' || !ev.originalStart) continue;
    const id = recurrenceIdOf(time, ev.originalStart);
    overrides[id] = exceptionChange(master, itemFromGraph(ev, ctx));
  }
  // Only what differs from the series stays an exception (normaliseItem drops the rest); the
  // rule keeps Outlook's spelling.
  const folded = normaliseItem({
    ...master,
    recurrence: { ...master.recurrence, exdates, overrides },
  });
  const recurrence: Recurrence = {
    rrule: master.recurrence.rrule,
    exdates: folded.recurrence?.exdates ?? exdates,
    ...(folded.recurrence?.overrides ? { overrides: folded.recurrence.overrides } : {}),
  };
  return { ...master, recurrence };
}
