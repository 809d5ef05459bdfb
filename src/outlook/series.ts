/**
 * Reading and writing the parts of a series Graph keeps apart from its master (SPEC R1): the
 * cancelled occurrences (`cancelledOccurrences`, returned only on a `$select` GET of the master)
 * and the exceptions (instances of type `exception`, listed by `events/{id}/instances` in a
 * window). Cancelling an occurrence is a DELETE of it; an exception is a PATCH of it.
 */
import * as z from 'zod';
import type { CalendarItem, OccurrenceChange, Recurrence, RecurrenceId } from '../sync/core/model';
import { stableStringify } from '../sync/core/hash';
import { occurrenceTimes, recurrenceIdOf } from '../sync/core/recurrence/occurrences';
import type { TimeWindow } from '../sync/ports';
import { PageGuard } from '../transport/bounds';
import { runBatch, type BatchItem } from './graphBatch';
import { PREFER, type GraphClient } from './graphClient';
import { eventPageSchema, eventSchema, type EventPage, type GraphEvent } from './graphSchemas';
import { cancelledDate, type SeriesParts } from './mapping/series';
import { itemToGraph, type ToGraphOptions } from './mapping/toGraph';

const enc = encodeURIComponent;

const cancelledSchema = z.object({
  id: z.string(),
  cancelledOccurrences: z.array(z.string()).nullish(),
});

/** What an exception can differ in (mapping/series.ts), and what places it. */
const INSTANCE_FIELDS =
  'id,type,seriesMasterId,originalStart,start,end,isAllDay,originalStartTimeZone,subject,' +
  'location,body,showAs,isReminderOn,reminderMinutesBeforeStart,attendees,isCancelled';

const DAY_MS = 86_400_000;

export const seriesPaths = {
  cancelled: (id: string) => `/me/events/${enc(id)}?$select=id,cancelledOccurrences`,
  instances: (id: string, w: TimeWindow) =>
    `/me/events/${enc(id)}/instances?startDateTime=${enc(w.start)}&endDateTime=${enc(w.end)}` +
    `&$select=${INSTANCE_FIELDS}`,
};

/** A series' parts as read, with every instance in the window (to find occurrence ids by). */
export interface ReadSeries extends SeriesParts {
  readonly instances: readonly GraphEvent[];
}

/** Reads the cancelled occurrences and the instances in `window` of each series, batched. */
export async function readSeriesParts(
  client: GraphClient,
  series: readonly { readonly id: string; readonly window: TimeWindow }[],
): Promise<Map<string, ReadSeries>> {
  const items: BatchItem<z.infer<typeof cancelledSchema> | EventPage>[] = series.flatMap((s) => [
    { method: 'GET' as const, url: seriesPaths.cancelled(s.id), schema: cancelledSchema },
    {
      method: 'GET' as const,
      url: seriesPaths.instances(s.id, s.window),
      schema: eventPageSchema,
      headers: { Prefer: `${PREFER}, odata.maxpagesize=100` },
    },
  ]);
  const results = await runBatch(client, items);
  const out = new Map<string, ReadSeries>();
  for (const [i, s] of series.entries()) {
    const [cancelled, page] = [results[2 * i], results[2 * i + 1]];
    if (!cancelled || !page) continue;
    // A series deleted meanwhile: the next delta reports it.
    if (!cancelled.ok && cancelled.error.code === 'itemNotFound') continue;
    if (!cancelled.ok) throw cancelled.error;
    if (!page.ok && page.error.code === 'itemNotFound') continue;
    if (!page.ok) throw page.error;
    const first = page.data as EventPage;
    const instances = [...first.value];
    let next = first['@odata.nextLink'] ?? null;
    const guard = new PageGuard('Graph', client.maxPages); // issue 14: no nextLink cycle holds the run
    while (next) {
      guard.next(next);
      const { data }: { data: EventPage } = await client.request({
        method: 'GET',
        path: next,
        headers: { Prefer: `${PREFER}, odata.maxpagesize=100` },
        schema: eventPageSchema,
      });
      instances.push(...data.value);
      next = data['@odata.nextLink'] ?? null;
    }
    const values = (cancelled.data as z.infer<typeof cancelledSchema>).cancelledOccurrences ?? [];
    out.set(s.id, {
      cancelledDates: values.map(cancelledDate).filter((d): d is string => d !== null),
      exceptions: instances.filter((e) => e.type === 'exception'),
      instances,
    });
  }
  return out;
}

/**
 * The window a series' parts are read in: the sync window, widened to reach every occurrence
 * `wanted` names. Without a sync window (an adapter that has not listed changes yet), the
 * series' first year.
 */
export function seriesWindow(
  item: CalendarItem,
  window: TimeWindow | null,
  wanted: Recurrence | null,
): TimeWindow {
  const ids = wanted ? [...wanted.exdates, ...Object.keys(wanted.overrides ?? {})] : [];
  const times = ids.map((id) => Date.parse(occurrenceTimes(item.time, id, undefined).start));
  const seriesStart = Date.parse(
    item.time.kind === 'allDay' ? `${item.time.startDate}T00:00:00Z` : item.time.start,
  );
  const start = Math.min(window ? Date.parse(window.start) : seriesStart, ...times) - DAY_MS;
  const end = Math.max(window ? Date.parse(window.end) : seriesStart + 400 * DAY_MS, ...times);
  return { start: iso(start), end: iso(end + 2 * DAY_MS) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One occurrence of `series` as `change` makes it: the body of its PATCH. */
function occurrenceBody(
  series: CalendarItem,
  id: RecurrenceId,
  fields: ReadonlySet<keyof OccurrenceChange>,
  change: OccurrenceChange | undefined,
  options: ToGraphOptions,
): Record<string, unknown> {
  const times = occurrenceTimes(series.time, id, change);
  const occurrence: CalendarItem = {
    ...series,
    subject: change?.subject ?? series.subject,
    location: change?.location ?? series.location,
    description: change?.description ?? series.description,
    showAs: change?.showAs ?? series.showAs,
    reminderMinutes:
      change?.reminderMinutes !== undefined ? change.reminderMinutes : series.reminderMinutes,
    time:
      series.time.kind === 'allDay'
        ? { ...series.time, startDate: times.start, endDate: times.end }
        : { ...series.time, start: times.start, end: times.end },
    recurrence: null,
  };
  const g = itemToGraph(occurrence, options);
  const body: Record<string, unknown> = {};
  if (fields.has('subject')) body.subject = g.subject;
  if (fields.has('location')) body.location = g.location;
  if (fields.has('description')) body.body = g.body;
  if (fields.has('showAs')) body.showAs = g.showAs;
  if (fields.has('reminderMinutes')) {
    body.isReminderOn = g.isReminderOn;
    if (g.reminderMinutesBeforeStart !== undefined) {
      body.reminderMinutesBeforeStart = g.reminderMinutesBeforeStart;
    }
  }
  if (fields.has('start') || fields.has('end')) Object.assign(body, { start: g.start, end: g.end });
  return body;
}

export interface SeriesWrite {
  readonly masterId: string;
  /** The series as Outlook now holds it (folded: its recurrence has what Outlook has). */
  readonly current: CalendarItem;
  /** What the series should hold: the occurrences to cancel, the exceptions to make or undo. */
  readonly target: Recurrence;
  /** SPEC R4: the series' attendees changed — every exception gets them too. */
  readonly attendeesChanged: boolean;
  readonly parts: ReadSeries;
}

/**
 * Cancels and changes occurrences until Outlook's series holds `target`'s exceptions. A
 * cancelled occurrence cannot be brought back in Outlook (Graph has no way): such a difference
 * stays, and the series' own base remembers it, so it is not reported again.
 */
export async function writeSeriesParts(
  client: GraphClient,
  write: SeriesWrite,
  options: ToGraphOptions,
): Promise<number> {
  const { current, target, parts } = write;
  const time = current.time;
  const byId = new Map<RecurrenceId, GraphEvent>();
  for (const inst of parts.instances) {
    if (inst.originalStart) byId.set(recurrenceIdOf(time, inst.originalStart), inst);
  }
  const have = current.recurrence ?? { rrule: '', exdates: [] };
  const cancelledNow = new Set(have.exdates);
  const cancel = new Set(target.exdates.filter((id) => !cancelledNow.has(id)));
  const items: BatchItem<GraphEvent | null>[] = [];
  for (const id of cancel) {
    const inst = byId.get(id);
    if (inst) items.push({ method: 'DELETE', url: `/me/events/${enc(inst.id)}`, schema: null });
  }
  const ids = new Set([
    ...Object.keys(have.overrides ?? {}),
    ...Object.keys(target.overrides ?? {}),
  ]);
  for (const id of ids) {
    const inst = byId.get(id);
    if (!inst || cancel.has(id) || cancelledNow.has(id)) continue;
    const want = target.overrides?.[id];
    const had = have.overrides?.[id];
    const changed = stableStringify(want) !== stableStringify(had);
    if (!changed && !write.attendeesChanged) continue;
    const fields = new Set([
      ...(Object.keys(want ?? {}) as (keyof OccurrenceChange)[]),
      ...(Object.keys(had ?? {}) as (keyof OccurrenceChange)[]),
    ]);
    const body = changed ? occurrenceBody(current, id, fields, want, options) : {};
    if (write.attendeesChanged) body.attendees = itemToGraph(current, options).attendees;
    items.push({ method: 'PATCH', url: `/me/events/${enc(inst.id)}`, body, schema: eventSchema });
  }
  const results = await runBatch(client, items);
  for (const r of results) {
    // An occurrence cancelled meanwhile is as good as cancelled; anything else is an error.
    if (!r.ok && r.error.code !== 'itemNotFound') throw r.error;
  }
  return items.length;
}
