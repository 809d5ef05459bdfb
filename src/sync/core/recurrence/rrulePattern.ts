import type { IanaZone, PlainDate } from '../model';
import {
  dayFromRRule,
  intList,
  parseByDay,
  parseRRule,
  startParts,
  untilToDate,
} from './rruleParts';
import type {
  GraphRecurrence,
  GraphRecurrencePattern,
  GraphRecurrenceRange,
  GraphWeekIndex,
  MappingResult,
} from './types';

/**
 * The most occurrences an Outlook numbered range holds. Graph's recurrenceRange page names no
 * limit; EWS's NumberOfOccurrences says "an integer in the range of 1 to 999"
 * (learn.microsoft.com …/web-service-reference/numberofoccurrences), and the Graph emulator
 * refuses more (sandbox/graph/recurrence-validate.ts). To confirm in a real tenant.
 */
export const MAX_OCCURRENCES = 999;

const INDEX_OF = new Map<number, GraphWeekIndex>([
  [1, 'first'],
  [2, 'second'],
  [3, 'third'],
  [4, 'fourth'],
  [-1, 'last'],
]);

/**
 * RFC 5545 RRULE → Graph `patternedRecurrence`, for a series starting on `startDate` in `zone`.
 * What Outlook cannot express (hourly rules, BYWEEKNO, "5th Monday", several months, …) is listed
 * in `unsupported`; near misses that Outlook runs differently are listed in `notes`.
 */
export function rruleToGraph(
  rrule: string,
  ctx: {
    readonly startDate: PlainDate;
    readonly timeZone: IanaZone;
    /** A timed series' local start time (HH:MM:SS): a UTC UNTIL is read against it. */
    readonly startTime?: string;
  },
): MappingResult<GraphRecurrence> {
  const { parts, unknown } = parseRRule(rrule);
  const unsupported = unknown.map((k) => `RRULE part ${k}`);
  const notes: string[] = [];
  const start = startParts(ctx.startDate);
  const interval = intList(parts.get('INTERVAL'))?.[0] ?? 1;
  const freq = parts.get('FREQ');
  const byDay = parts.has('BYDAY') ? parseByDay(parts.get('BYDAY') ?? '') : [];
  const monthDays = intList(parts.get('BYMONTHDAY'));
  const setPos = intList(parts.get('BYSETPOS'));
  const months = intList(parts.get('BYMONTH'));
  if (byDay === null) unsupported.push('BYDAY value');
  const days = (byDay ?? []).map((b) => b.day);
  const ordinals = new Set((byDay ?? []).map((b) => b.ordinal));

  let pattern: GraphRecurrencePattern | null = null;
  const dayRule = (base: 'Monthly' | 'Yearly', month: number | undefined) => {
    const m = month === undefined ? {} : { month };
    if (days.length > 0) {
      const pos = setPos?.length === 1 ? setPos[0] : ordinals.size === 1 ? [...ordinals][0] : null;
      const index = pos == null ? undefined : INDEX_OF.get(pos);
      if (!index || (setPos && !ordinals.has(null))) {
        unsupported.push(`${freq} BYDAY without a first–fourth or last position`);
        return null;
      }
      return { type: `relative${base}` as const, interval, daysOfWeek: days, index, ...m };
    }
    const list = monthDays ?? [start.day];
    const max = Math.max(...list);
    const clampForm = setPos?.[0] === -1 && list.every((d, i) => d === 28 + i) && list.length > 1;
    if (list.length === 1 && list[0] === -1 && !setPos) {
      // Outlook clamps day 31 to the last day of every month: exactly "the last day".
      return { type: `absolute${base}` as const, interval, dayOfMonth: 31, ...m };
    }
    if (!(clampForm || (list.length === 1 && max >= 1 && !setPos))) {
      unsupported.push(`${freq} BYMONTHDAY=${list.join(',')}`);
      return null;
    }
    // Outlook clamps a day 29–31 to the last day of shorter months, RFC 5545 skips those months:
    // the two would run different occurrences, so the rule is reported, not approximated.
    const shortest =
      month === undefined ? 28 : month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31;
    if (!clampForm && max > shortest) {
      unsupported.push(
        `${freq} BYMONTHDAY=${max}: Outlook would also repeat on the last day of shorter months`,
      );
      return null;
    }
    return { type: `absolute${base}` as const, interval, dayOfMonth: max, ...m };
  };

  if (freq === 'DAILY' && days.length === 0 && !monthDays && !months && !setPos) {
    pattern = { type: 'daily', interval };
  } else if ((freq === 'WEEKLY' || (freq === 'DAILY' && interval === 1)) && !monthDays && !months) {
    if (ordinals.size > 1 || (ordinals.size === 1 && !ordinals.has(null)) || setPos) {
      unsupported.push(`${freq} with positions`);
    }
    const wkst = dayFromRRule(parts.get('WKST') ?? 'MO');
    // RFC 5545's default week start is Monday; Graph's is Sunday: say it explicitly.
    pattern = {
      type: 'weekly',
      interval,
      daysOfWeek: days.length > 0 ? days : [start.weekday],
      firstDayOfWeek: wkst ?? 'monday',
    };
  } else if (freq === 'MONTHLY' && !months) {
    pattern = dayRule('Monthly', undefined);
  } else if (freq === 'YEARLY' && (!months || months.length === 1)) {
    pattern = dayRule('Yearly', months?.[0] ?? start.month);
  } else {
    unsupported.push(`FREQ=${freq ?? '(none)'} with these parts`);
  }

  const rangeBase = { startDate: ctx.startDate, recurrenceTimeZone: ctx.timeZone };
  let range: GraphRecurrenceRange = { type: 'noEnd', ...rangeBase };
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined && until !== undefined) unsupported.push('both COUNT and UNTIL');
  else if (count !== undefined && Number(count) > MAX_OCCURRENCES) {
    // Issue 14: the CRM allows COUNT up to 9999; an Outlook numbered range holds 1–999.
    unsupported.push(`COUNT=${count}`);
  } else if (count !== undefined) {
    range = { type: 'numbered', numberOfOccurrences: Number(count), ...rangeBase };
  } else if (until !== undefined) {
    const endDate = untilToDate(until, ctx.timeZone, ctx.startTime);
    if (!endDate) unsupported.push(`UNTIL=${until}`);
    else range = { type: 'endDate', endDate, ...rangeBase };
  }
  if (unsupported.length > 0 || !pattern) {
    return { ok: false, unsupported: unsupported.length > 0 ? unsupported : ['RRULE'] };
  }
  return { ok: true, value: { pattern, range }, notes };
}
