import type * as z from 'zod';
import { graphToRRule, rruleToGraph } from '../../sync/core/recurrence/graphPattern';
import type { GraphRecurrence } from '../../sync/core/recurrence/types';
import type { IanaZone, PlainDate, Recurrence } from '../../sync/core/model';
import { SyncError } from '../../sync/core/errors';
import type { recurrenceSchema } from '../graphSchemas';

type WireRecurrence = z.infer<typeof recurrenceSchema>;

/** Graph's wire shape (nulls, zeros for unused numbers) → the core's GraphRecurrence. */
export function fromWire(r: WireRecurrence): GraphRecurrence {
  const p = r.pattern;
  const positive = (n: number | undefined) => (n && n > 0 ? n : undefined);
  const month = positive(p.month);
  const dayOfMonth = positive(p.dayOfMonth);
  const count = positive(r.range.numberOfOccurrences);
  return {
    pattern: {
      type: p.type,
      interval: p.interval,
      ...(month ? { month } : {}),
      ...(dayOfMonth ? { dayOfMonth } : {}),
      ...(p.daysOfWeek ? { daysOfWeek: p.daysOfWeek } : {}),
      ...(p.firstDayOfWeek ? { firstDayOfWeek: p.firstDayOfWeek } : {}),
      ...(p.index ? { index: p.index } : {}),
    },
    range: {
      type: r.range.type,
      startDate: r.range.startDate,
      // Graph answers "0001-01-01" for the endDate of ranges that have none.
      ...(r.range.endDate && r.range.type === 'endDate' ? { endDate: r.range.endDate } : {}),
      ...(count ? { numberOfOccurrences: count } : {}),
      ...(r.range.recurrenceTimeZone ? { recurrenceTimeZone: r.range.recurrenceTimeZone } : {}),
    },
  };
}

/**
 * A series master's recurrence as the model's RRULE. Cancelled occurrences (EXDATE) are not read
 * here: Graph lists them only on a `$select=cancelledOccurrences` GET of the master, as opaque
 * occurrence ids; the delta reports them as removed occurrences instead.
 */
export function recurrenceFromGraph(
  r: WireRecurrence,
  timed?: { readonly startTime: string; readonly zone: IanaZone },
): Recurrence {
  const result = graphToRRule(fromWire(r), timed);
  if (!result.ok) {
    throw new SyncError('invalidResponse', 'Graph sent a recurrence that cannot be read', {
      params: { unsupported: result.unsupported.join('; ') },
    });
  }
  return { rrule: result.value, exdates: [] };
}

/** The model's RRULE → Graph, or `invalidRequest` naming what Outlook cannot express (SPEC R3). */
export function recurrenceToGraph(
  r: Recurrence,
  startDate: PlainDate,
  timeZone: IanaZone,
  startTime?: string,
): GraphRecurrence {
  const result = rruleToGraph(r.rrule, {
    startDate,
    timeZone,
    ...(startTime === undefined ? {} : { startTime }),
  });
  if (!result.ok) {
    throw new SyncError('invalidRequest', 'Outlook cannot express this recurrence', {
      params: { unsupported: result.unsupported.join('; ') },
    });
  }
  return result.value;
}
