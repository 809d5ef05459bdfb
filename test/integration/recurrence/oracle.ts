import type { PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { defaultFields } from '../../../sandbox/graph/fields';
import { seriesInstances } from '../../../sandbox/graph/instances';
import { normalizeRecurrence } from '../../../sandbox/graph/recurrence-validate';
import type { RecurrenceInput } from '../../../sandbox/graph/schemas';
import type { StoredEvent } from '../../../sandbox/graph/types';
import { recurrenceSchema } from '../../../src/outlook/graphSchemas';
import { fromWire } from '../../../src/outlook/mapping/recurrence';
import { graphToRRule } from '../../../src/sync/core/recurrence/graphPattern';

/**
 * Two independent expansions of one Graph series, as sets of start instants (epoch minutes):
 * the Graph emulator's (`seriesInstances`, what `GET /events/{id}/instances` answers) and the
 * product's (wire recurrence → `fromWire` → `graphToRRule` → RRULE + DTSTART in the zone →
 * rrule-temporal).
 */
export interface Series {
  /** What a client POSTs as `recurrence` (Graph's wire shape). */
  readonly recurrence: RecurrenceInput;
  /** The series' first start as a wall-clock time in `zone`, e.g. `2026-01-31T09:30`. */
  readonly start: string;
  readonly zone: string;
}

export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

const MINUTE = 60_000;
const DURATION = { minutes: 30 };

/** From the series' first start to two years later (Graph's calendarView limit is five). */
export function twoYears(series: Series): Window {
  const start = Temporal.PlainDateTime.from(series.start).toZonedDateTime(series.zone);
  return {
    fromMs: start.epochMilliseconds,
    toMs: start.add({ years: 2 }).epochMilliseconds,
  };
}

/** The emulator's series master: its own field defaults and recurrence validation. */
export function emulatorMaster(series: Series): StoredEvent {
  const end = Temporal.PlainDateTime.from(series.start).add(DURATION).toString();
  const input = {
    subject: 'Property',
    start: { dateTime: series.start, timeZone: series.zone },
    end: { dateTime: end, timeZone: series.zone },
    recurrence: series.recurrence,
  };
  const organizer = { emailAddress: { name: 'Anna', address: 'anna@contoso.example' } };
  return {
    id: 'AAMkADmaster',
    calendarId: 'AAMkADcalendar',
    kind: 'seriesMaster',
    createdDateTime: '2025-01-01T00:00:00.0000000Z',
    lastModifiedDateTime: '2025-01-01T00:00:00.0000000Z',
    changeKey: 'ck',
    iCalUId: 'uid',
    transactionId: null,
    fields: defaultFields(input, organizer),
    recurrence: normalizeRecurrence(series.recurrence, series.zone),
    extendedProperties: [],
    exceptions: {},
    cancelledDates: [],
  };
}

/** Start minutes of the emulator's occurrences in the window. */
export function emulatorStarts(series: Series, window: Window): number[] {
  const master = emulatorMaster(series);
  return seriesInstances(master, window.fromMs, window.toMs)
    .filter((i) => i.startMs >= window.fromMs && i.startMs < window.toMs)
    .map((i) => i.startMs / MINUTE)
    .sort((a, b) => a - b);
}

/** The recurrence as Graph answers it on GET (normalized, defaults filled), read by the product. */
export function productRRule(
  series: Series,
): ReturnType<typeof graphToRRule> & { wire: PatternedRecurrence } {
  const wire = normalizeRecurrence(series.recurrence, series.zone);
  return { ...graphToRRule(fromWire(recurrenceSchema.parse(wire))), wire };
}

/**
 * Start minutes of the RRULE from DTSTART = the series' start, as the CRM contract reads it:
 * expanded on wall time (rrule-temporal over a floating DTSTART, so no occurrence is lost to a
 * DST gap before BYSETPOS picks), each wall time then placed in the zone — one a gap skips moves
 * forward by the gap, a repeated one is its first (RFC 5545 §3.3.10 with §3.3.5).
 */
export function rruleStarts(rrule: string, series: Series, window: Window): number[] {
  const dtstart = Temporal.PlainDateTime.from(series.start).toZonedDateTime('UTC');
  const rule = new RRuleTemporal({ rruleString: rrule, dtstart });
  const margin = 2 * 86_400_000;
  return rule
    .between(new Date(window.fromMs - margin), new Date(window.toMs + margin), true)
    .map(
      (dt) =>
        dt.toPlainDateTime().toZonedDateTime(series.zone, { disambiguation: 'compatible' })
          .epochMilliseconds,
    )
    .filter((ms) => ms >= window.fromMs && ms < window.toMs)
    .map((ms) => ms / MINUTE)
    .sort((a, b) => a - b);
}

/**
 * Minutes as wall-clock times with their UTC offset (`2026-10-25T03:30+02:00`): one string per
 * instant, so the two 03:30 of a fall-back night stay apart, and failures read well.
 */
export function wall(minutes: readonly number[], zone: string): string[] {
  return minutes.map((m) =>
    Temporal.Instant.fromEpochMilliseconds(m * MINUTE)
      .toZonedDateTimeISO(zone)
      .toString({ smallestUnit: 'minute', timeZoneName: 'never' }),
  );
}

/** Both expansions, or the mapper's reasons when it says the pattern is not representable. */
export type Comparison =
  | {
      readonly ok: true;
      readonly rrule: string;
      readonly notes: readonly string[];
      readonly emulator: string[];
      readonly mapped: string[];
    }
  | { readonly ok: false; readonly unsupported: readonly string[]; readonly emulator: string[] };

export function compare(series: Series): Comparison {
  const window = twoYears(series);
  const emulator = wall(emulatorStarts(series, window), series.zone);
  const mapped = productRRule(series);
  if (!mapped.ok) return { ok: false, unsupported: mapped.unsupported, emulator };
  return {
    ok: true,
    rrule: mapped.value,
    notes: mapped.notes,
    emulator,
    mapped: wall(rruleStarts(mapped.value, series, window), series.zone),
  };
}

/** Whether the wall time `local` (`YYYY-MM-DDTHH:MM`) exists in the zone (not in a DST gap). */
export function exists(local: string, zone: string): boolean {
  const dt = Temporal.PlainDateTime.from(local);
  return Temporal.PlainDateTime.compare(dt.toZonedDateTime(zone).toPlainDateTime(), dt) === 0;
}
