import { Temporal } from 'temporal-polyfill';
import type { IanaZone, Instant, LocalDateTime, PlainDate } from '../model';

/**
 * Instant ⇄ wall clock in an IANA zone. Pure (no clock): Temporal does the DST arithmetic, so
 * "09:00 in Helsinki" on either side of a transition maps to the right UTC instant (SPEC F1).
 */

/** `2026-11-25T07:00:00Z` (seconds, no fraction), the model's Instant format. */
export function formatInstant(epochMs: number): Instant {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses any ISO instant (with Z or an offset) into the model's format. */
export function normalizeInstant(value: string): Instant {
  return formatInstant(Temporal.Instant.from(value).epochMilliseconds);
}

/** The wall-clock time of `instant` in `zone`, to the second. */
export function instantToLocal(instant: Instant, zone: IanaZone): LocalDateTime {
  const zdt = Temporal.Instant.from(instant).toZonedDateTimeISO(zone);
  return zdt.toPlainDateTime().toString({ smallestUnit: 'second' });
}

/**
 * The instant of a wall-clock time in `zone`. A time skipped by a DST gap moves forward and an
 * ambiguous one takes the earlier offset ('compatible'), as Outlook and RFC 5545 do.
 */
export function localToInstant(local: LocalDateTime, zone: IanaZone): Instant {
  const zdt = Temporal.PlainDateTime.from(local).toZonedDateTime(zone, {
    disambiguation: 'compatible',
  });
  return formatInstant(zdt.epochMilliseconds);
}

/** The calendar date of `instant` in `zone`. */
export function instantToDate(instant: Instant, zone: IanaZone): PlainDate {
  return instantToLocal(instant, zone).slice(0, 10);
}

/** True when `name` is an IANA zone this runtime knows. */
export function isIanaZone(name: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name);
    return true;
  } catch {
    return false;
  }
}
