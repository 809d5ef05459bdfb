import type { EventType } from '@microsoft/microsoft-graph-types';
import { Temporal } from 'temporal-polyfill';
import { occurrenceDates } from './recurrence';
import type { EventFields } from './schemas';
import { localIn, parseLocal, requireZone, toEpochMs } from './timezones';
import type { ExtendedProperty, StoredEvent } from './types';

/**
 * What calendarView, instances and delta hand out: a single instance, or an occurrence /
 * exception of a series (never the master — Graph's calendarView docs). Occurrence ids are
 * `{masterId}_{yyyymmdd}` of the original local date: stable per occurrence, and kept when the
 * occurrence becomes an exception.
 */
export interface Instance {
  id: string;
  type: EventType;
  event: StoredEvent;
  fields: EventFields;
  startMs: number;
  endMs: number;
  /** Original start of an occurrence/exception (Graph's `originalStart`). */
  originalStartMs?: number;
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  extendedProperties: ExtendedProperty[];
  /** Changes whenever anything the client sees of this instance changes (drives delta). */
  version: string;
}

export function eventTimes(fields: EventFields): { startMs: number; endMs: number } {
  return {
    startMs: toEpochMs(parseLocal(fields.start.dateTime), requireZone(fields.start.timeZone)),
    endMs: toEpochMs(parseLocal(fields.end.dateTime), requireZone(fields.end.timeZone)),
  };
}

export function occurrenceId(masterId: string, date: Temporal.PlainDate): string {
  return `${masterId}_${date.toString().replaceAll('-', '')}`;
}

export function parseOccurrenceId(
  id: string,
): { masterId: string; date: Temporal.PlainDate } | null {
  const m = /^(.+)_(\d{4})(\d{2})(\d{2})$/.exec(id);
  if (!m) return null;
  try {
    const date = Temporal.PlainDate.from(`${m[2]}-${m[3]}-${m[4]}`, { overflow: 'reject' });
    return { masterId: m[1] ?? '', date };
  } catch {
    return null;
  }
}

export function singleInstance(ev: StoredEvent): Instance {
  return {
    id: ev.id,
    type: ev.kind,
    event: ev,
    fields: ev.fields,
    ...eventTimes(ev.fields),
    changeKey: ev.changeKey,
    createdDateTime: ev.createdDateTime,
    lastModifiedDateTime: ev.lastModifiedDateTime,
    extendedProperties: ev.extendedProperties,
    version: ev.changeKey,
  };
}

/** The occurrence (or exception) of `master` on original local date `date`. */
export function occurrence(master: StoredEvent, date: Temporal.PlainDate): Instance {
  const f = master.fields;
  const startZone = requireZone(f.start.timeZone);
  const endZone = requireZone(f.end.timeZone);
  const masterStart = parseLocal(f.start.dateTime);
  const masterEnd = parseLocal(f.end.dateTime);
  // Keep the wall-clock time across DST changes: 09:00 Helsinki stays 09:00 in summer.
  const localStart = date.toPlainDateTime(masterStart.toPlainTime());
  const originalStartMs = toEpochMs(localStart, startZone);
  const endMs =
    startZone === endZone
      ? toEpochMs(localStart.add(masterStart.until(masterEnd)), endZone)
      : originalStartMs + (toEpochMs(masterEnd, endZone) - toEpochMs(masterStart, startZone));
  const key = date.toString();
  const id = occurrenceId(master.id, date);
  // The occurrence's own wall times, so all-day occurrences and exceptions read like Graph's.
  const shifted: EventFields = {
    ...f,
    start: { dateTime: localStart.toString(), timeZone: f.start.timeZone },
    end: { dateTime: localIn(endMs, endZone).toString(), timeZone: f.end.timeZone },
  };
  const base = {
    id,
    event: master,
    originalStartMs,
    createdDateTime: master.createdDateTime,
  };
  const exc = master.exceptions[key];
  if (!exc) {
    return {
      ...base,
      type: 'occurrence',
      fields: shifted,
      startMs: originalStartMs,
      endMs,
      changeKey: master.changeKey,
      lastModifiedDateTime: master.lastModifiedDateTime,
      extendedProperties: master.extendedProperties,
      version: master.changeKey,
    };
  }
  const fields: EventFields = { ...shifted, ...exc.overrides };
  const times =
    exc.overrides.start || exc.overrides.end
      ? eventTimes(fields)
      : { startMs: originalStartMs, endMs };
  return {
    ...base,
    type: 'exception',
    fields,
    ...times,
    changeKey: exc.changeKey,
    lastModifiedDateTime: exc.lastModifiedDateTime,
    extendedProperties: exc.extendedProperties,
    version: `${master.changeKey}:${exc.changeKey}`,
  };
}

/** Occurrences and exceptions of a master that overlap [from, to), cancelled ones left out. */
export function seriesInstances(master: StoredEvent, from: number, to: number): Instance[] {
  if (!master.recurrence) return [];
  const out: Instance[] = [];
  const cancelled = new Set(master.cancelledDates);
  // Dates that end before the window whatever their zone are skipped without building them.
  const { startMs, endMs } = eventTimes(master.fields);
  const skipBefore = Temporal.Instant.fromEpochMilliseconds(
    from - (endMs - startMs) - 2 * 86_400_000,
  )
    .toZonedDateTimeISO('UTC')
    .toPlainDate();
  for (const date of occurrenceDates(master.recurrence)) {
    if (Temporal.PlainDate.compare(date, skipBefore) < 0) continue;
    const key = date.toString();
    const occ = occurrence(master, date);
    if ((occ.originalStartMs ?? 0) >= to) break;
    if (cancelled.has(key) || master.exceptions[key]) continue;
    if (occ.endMs > from && occ.startMs < to) out.push(occ);
  }
  // Exceptions are placed by their own (possibly moved) times.
  for (const key of Object.keys(master.exceptions)) {
    if (cancelled.has(key)) continue;
    const exc = occurrence(master, Temporal.PlainDate.from(key));
    if (exc.endMs > from && exc.startMs < to) out.push(exc);
  }
  return out;
}
