import { INDEX_POS, RRULE_DAYS, type GraphRecurrence, type MappingResult } from './types';
import type { IanaZone } from '../model';
import { untilOfTimedSeries } from './rruleParts';

/**
 * Graph `patternedRecurrence` → RFC 5545 RRULE value (no "RRULE:" prefix), evaluated in the
 * series' zone from its start (model.ts `Recurrence`). No package does this mapping
 * (REQUIREMENTS.md).
 *
 * Outlook clamps an absoluteMonthly `dayOfMonth` of 29–31 to the last day of shorter months
 * (and an absoluteYearly day past its month's end — Feb 29, Apr 31 — to that month's last day;
 * EWS DayOfMonth: "the last day of the month is assumed"), where a bare BYMONTHDAY=31 would skip
 * them (or, yearly in April, never occur). We write the RFC 5545 equivalent: every candidate day
 * from 28 up to the wanted one, keep the last (`BYMONTHDAY=28,29,30,31;BYSETPOS=-1`).
 * `rruleToGraph` reads that form back.
 *
 * Wall times a DST change skips (02:30 on the spring-forward night) need nothing: Outlook moves
 * such an occurrence forward by the gap, and so does the CRM contract (docs/crm-sync-api.yaml,
 * `Recurrence.rrule`: RFC 5545 §3.3.10 read with §3.3.5 — "interpreted using the UTC offset
 * before the gap"), so one RRULE means the same occurrences on both sides.
 */
export function graphToRRule(
  rec: GraphRecurrence,
  /** A timed series' local start time (HH:MM:SS) and zone: its UNTIL is then a UTC date-time. */
  timed?: { readonly startTime: string; readonly zone: IanaZone },
): MappingResult<string> {
  const { pattern: p, range: r } = rec;
  const parts: string[] = [];
  const unsupported: string[] = [];
  const interval = Math.max(1, p.interval);
  const days = (p.daysOfWeek ?? []).map((d) => RRULE_DAYS[d]);
  const needDays = () => {
    if (days.length === 0) unsupported.push(`${p.type} pattern without daysOfWeek`);
    return days.join(',');
  };
  /** `shortest`: the fewest days the month(s) the rule runs in can have. */
  const clampedDay = (day: number, shortest: number): string[] =>
    day > shortest
      ? [`BYMONTHDAY=${range(28, day).join(',')}`, 'BYSETPOS=-1']
      : [`BYMONTHDAY=${day}`];

  switch (p.type) {
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekly':
      parts.push('FREQ=WEEKLY', `BYDAY=${needDays()}`);
      break;
    case 'absoluteMonthly':
      parts.push('FREQ=MONTHLY', ...clampedDay(requireDay(p.dayOfMonth, unsupported), 28));
      break;
    case 'relativeMonthly':
      parts.push(
        'FREQ=MONTHLY',
        `BYDAY=${needDays()}`,
        `BYSETPOS=${INDEX_POS[p.index ?? 'first']}`,
      );
      break;
    case 'absoluteYearly': {
      const month = requireMonth(p.month, unsupported);
      const day = requireDay(p.dayOfMonth, unsupported);
      parts.push('FREQ=YEARLY', `BYMONTH=${month}`, ...clampedDay(day, shortestMonth(month)));
      break;
    }
    case 'relativeYearly':
      parts.push(
        'FREQ=YEARLY',
        `BYMONTH=${requireMonth(p.month, unsupported)}`,
        `BYDAY=${needDays()}`,
        `BYSETPOS=${INDEX_POS[p.index ?? 'first']}`,
      );
      break;
  }
  if (interval !== 1) parts.push(`INTERVAL=${interval}`);
  // WKST matters for weekly rules with INTERVAL > 1 (RFC 5545 §3.3.10); Graph's default is Sunday.
  if (p.type === 'weekly') parts.push(`WKST=${RRULE_DAYS[p.firstDayOfWeek ?? 'sunday']}`);

  if (r.type === 'numbered') {
    if (!r.numberOfOccurrences || r.numberOfOccurrences < 1) {
      unsupported.push('numbered range without numberOfOccurrences');
    } else parts.push(`COUNT=${r.numberOfOccurrences}`);
  } else if (r.type === 'endDate') {
    // Graph's endDate is an inclusive date in the series' zone. RFC 5545 §3.3.10: with a zoned
    // DTSTART, UNTIL MUST be a UTC date-time (a strict reader drops the last occurrence of a
    // date-only one): a timed series ends at its last occurrence's start in UTC; an all-day
    // series (a DATE DTSTART) keeps the date form.
    if (!r.endDate) unsupported.push('endDate range without endDate');
    else if (timed)
      parts.push(`UNTIL=${untilOfTimedSeries(r.endDate, timed.startTime, timed.zone)}`);
    else parts.push(`UNTIL=${r.endDate.replaceAll('-', '')}`);
  }
  if (unsupported.length > 0) return { ok: false, unsupported };
  return { ok: true, value: parts.join(';'), notes: [] };
}

/** Days in `month` (1–12) in a common year: 28 for February (Graph's clamp bound). */
function shortestMonth(month: number): number {
  return month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function requireDay(day: number | undefined, unsupported: string[]): number {
  if (day === undefined || day < 1 || day > 31)
    unsupported.push('pattern without a valid dayOfMonth');
  return day ?? 1;
}

function requireMonth(month: number | undefined, unsupported: string[]): number {
  if (month === undefined || month < 1 || month > 12)
    unsupported.push('pattern without a valid month');
  return month ?? 1;
}

export { rruleToGraph } from './rrulePattern';
