import type { PlainDate } from '../model';

/**
 * Graph's `patternedRecurrence` (https://learn.microsoft.com/graph/api/resources/patternedrecurrence),
 * narrowed to the values Graph documents. Structurally compatible with
 * `@microsoft/microsoft-graph-types` PatternedRecurrence, without depending on it here.
 */
export type GraphDayOfWeek =
  'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
export type GraphWeekIndex = 'first' | 'second' | 'third' | 'fourth' | 'last';
export type GraphPatternType =
  'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';

export interface GraphRecurrencePattern {
  readonly type: GraphPatternType;
  readonly interval: number;
  readonly month?: number;
  readonly dayOfMonth?: number;
  readonly daysOfWeek?: readonly GraphDayOfWeek[];
  readonly firstDayOfWeek?: GraphDayOfWeek;
  readonly index?: GraphWeekIndex;
}

export interface GraphRecurrenceRange {
  readonly type: 'endDate' | 'noEnd' | 'numbered';
  readonly startDate: PlainDate;
  readonly endDate?: PlainDate;
  readonly numberOfOccurrences?: number;
  readonly recurrenceTimeZone?: string;
}

export interface GraphRecurrence {
  readonly pattern: GraphRecurrencePattern;
  readonly range: GraphRecurrenceRange;
}

/**
 * A mapping either succeeds (perhaps with notes on what was approximated) or lists what cannot
 * be represented — never a silent drop (SPEC R3: report per item).
 */
export type MappingResult<T> =
  | { readonly ok: true; readonly value: T; readonly notes: readonly string[] }
  | { readonly ok: false; readonly unsupported: readonly string[] };

export const RRULE_DAYS: Readonly<Record<GraphDayOfWeek, string>> = {
  sunday: 'SU',
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
};

export const INDEX_POS: Readonly<Record<GraphWeekIndex, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  last: -1,
};
