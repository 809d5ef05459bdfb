import type { DayOfWeek, PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { Temporal } from 'temporal-polyfill';
import { validationFailure } from './errors';
import type { RecurrenceInput } from './schemas';
import { requireZone } from './timezones';

function plainDate(value: string, name: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw validationFailure(`${name} must be a date.`);
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    throw validationFailure(`${name} '${value}' is not a valid date.`);
  }
}

/**
 * Checks a patternedRecurrence the way Graph documents its properties
 * (https://learn.microsoft.com/graph/api/resources/recurrencepattern,
 * .../recurrencerange) and fills Graph's defaults, so GET returns what Graph returns:
 * firstDayOfWeek "sunday", index "first", month/dayOfMonth 0, endDate "0001-01-01" when
 * unused, numberOfOccurrences 0 when unused, recurrenceTimeZone = the event's start zone.
 */
export function normalizeRecurrence(
  input: RecurrenceInput,
  startZone: string,
): PatternedRecurrence {
  const { pattern, range } = input;
  if (pattern.interval < 1 || pattern.interval > 999) {
    throw validationFailure('recurrence.pattern.interval must be between 1 and 999.');
  }
  const days = (pattern.daysOfWeek ?? []) as DayOfWeek[];
  const needsDays = ['weekly', 'relativeMonthly', 'relativeYearly'].includes(pattern.type);
  if (needsDays && days.length === 0) {
    throw validationFailure(`A ${pattern.type} recurrence pattern requires daysOfWeek.`);
  }
  const needsDayOfMonth = pattern.type === 'absoluteMonthly' || pattern.type === 'absoluteYearly';
  const dom = pattern.dayOfMonth ?? 0;
  if (needsDayOfMonth && (dom < 1 || dom > 31)) {
    throw validationFailure(`A ${pattern.type} recurrence pattern requires dayOfMonth 1–31.`);
  }
  const needsMonth = pattern.type === 'absoluteYearly' || pattern.type === 'relativeYearly';
  const month = pattern.month ?? 0;
  if (needsMonth && (month < 1 || month > 12)) {
    throw validationFailure(`A ${pattern.type} recurrence pattern requires month 1–12.`);
  }
  const startDate = plainDate(range.startDate, 'recurrence.range.startDate');
  let endDate = '0001-01-01';
  let count = 0;
  if (range.type === 'endDate') {
    if (!range.endDate) throw validationFailure('An endDate range requires endDate.');
    const end = plainDate(range.endDate, 'recurrence.range.endDate');
    if (Temporal.PlainDate.compare(end, startDate) < 0) {
      throw validationFailure('recurrence.range.endDate is before startDate.');
    }
    endDate = end.toString();
  }
  if (range.type === 'numbered') {
    count = range.numberOfOccurrences ?? 0;
    if (count < 1 || count > 999) {
      throw validationFailure('A numbered range requires numberOfOccurrences 1–999.');
    }
  }
  const tz = range.recurrenceTimeZone ?? startZone;
  requireZone(tz);
  return {
    pattern: {
      type: pattern.type,
      interval: pattern.interval,
      month: needsMonth ? month : 0,
      dayOfMonth: needsDayOfMonth ? dom : 0,
      daysOfWeek: needsDays || pattern.type === 'daily' ? days : [],
      firstDayOfWeek: pattern.firstDayOfWeek ?? 'sunday',
      index: pattern.index ?? 'first',
    },
    range: {
      type: range.type,
      startDate: startDate.toString(),
      endDate,
      recurrenceTimeZone: tz,
      numberOfOccurrences: count,
    },
  };
}
