/**
 * A strict parser for the RFC 5545 RRULE value the contract accepts. It covers what Outlook
 * can express (SPEC R3: daily, weekly, monthly incl. "2nd Wednesday" and "last day",
 * yearly; with or without an end, SPEC R5) and rejects anything else, so a CRM never stores
 * a rule a client cannot map back.
 */
export interface ParsedRule {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  count?: number;
  /** UNTIL as ms since epoch (a DATE is taken as the end of that day, UTC). */
  until?: number;
  /** Whether UNTIL was written as a DATE (`20261231`) or a UTC date-time (`…T070000Z`). */
  untilForm?: 'date' | 'utc';
}

const FREQS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const DAY = '(?:[+-]?(?:[1-9]|[1-4][0-9]|5[0-3]))?(?:MO|TU|WE|TH|FR|SA|SU)';
const INT_LIST = (re: string) => new RegExp(`^${re}(?:,${re})*$`);
const PARTS: Record<string, RegExp> = {
  FREQ: /^(?:DAILY|WEEKLY|MONTHLY|YEARLY)$/,
  INTERVAL: /^[1-9][0-9]{0,2}$/,
  COUNT: /^[1-9][0-9]{0,3}$/,
  UNTIL: /^\d{8}(?:T\d{6}Z)?$/,
  BYDAY: INT_LIST(DAY),
  BYMONTHDAY: INT_LIST('-?(?:[1-9]|[12][0-9]|3[01])'),
  BYMONTH: INT_LIST('(?:[1-9]|1[0-2])'),
  BYSETPOS: INT_LIST('-?(?:[1-9]|[1-9][0-9]|[1-2][0-9][0-9]|3[0-5][0-9]|36[0-6])'),
  WKST: /^(?:MO|TU|WE|TH|FR|SA|SU)$/,
};

function untilToMs(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = m[4]
    ? Date.UTC(y, mo - 1, d, Number(m[4]), Number(m[5]), Number(m[6]))
    : Date.UTC(y, mo - 1, d, 23, 59, 59);
  const check = new Date(ms);
  return check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? ms : null;
}

/** Returns the parsed rule, or a message saying what is wrong. */
export function parseRrule(value: string): ParsedRule | string {
  const seen = new Map<string, string>();
  for (const part of value.split(';')) {
    const [name, val, extra] = part.split('=');
    if (!name || val === undefined || extra !== undefined) return `malformed part "${part}"`;
    const re = PARTS[name];
    if (!re) return `unsupported part ${name}`;
    if (seen.has(name)) return `${name} appears twice`;
    if (!re.test(val)) return `invalid ${name} value "${val}"`;
    seen.set(name, val);
  }
  const freq = FREQS.find((f) => f === seen.get('FREQ'));
  if (!freq) return 'FREQ is required';
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'COUNT and UNTIL exclude each other';
  const rule: ParsedRule = { freq, interval: Number(seen.get('INTERVAL') ?? '1') };
  if (seen.has('COUNT')) rule.count = Number(seen.get('COUNT'));
  const until = seen.get('UNTIL');
  if (until !== undefined) {
    const ms = untilToMs(until);
    if (ms === null) return 'UNTIL is not a real date';
    rule.until = ms;
    rule.untilForm = until.length === 8 ? 'date' : 'utc';
  }
  return rule;
}

const DAY_MS = 86_400_000;
const PERIOD_MS: Record<ParsedRule['freq'], number> = {
  DAILY: DAY_MS,
  WEEKLY: 7 * DAY_MS,
  MONTHLY: 31 * DAY_MS,
  YEARLY: 366 * DAY_MS,
};

/**
 * A safe upper bound for the start of the last occurrence, or null for an endless series.
 * Over-estimating is fine: the window query promises series that *may* fall in the window.
 */
export function lastStartBound(rule: ParsedRule, firstStart: number): number | null {
  if (rule.until !== undefined) return rule.until;
  if (rule.count !== undefined) {
    return firstStart + rule.count * rule.interval * PERIOD_MS[rule.freq] + PERIOD_MS[rule.freq];
  }
  return null;
}

/**
 * RFC 5545 §3.3.10: UNTIL "MUST have the same value type as the DTSTART property", and with a
 * DTSTART in UTC or with a time zone reference it "MUST be specified as a date with UTC time".
 * A timed activity always has a zone, so its UNTIL is a UTC date-time; an all-day activity
 * starts on a DATE, so its UNTIL is a DATE. Returns what is wrong, or null.
 */
export function untilFormError(rule: ParsedRule, allDay: boolean): string | null {
  if (rule.untilForm === 'date' && !allDay) {
    return (
      'a timed series ends by a UTC date-time UNTIL (e.g. 20261231T070000Z, the start of its ' +
      'last occurrence), not a date (RFC 5545 §3.3.10)'
    );
  }
  if (rule.untilForm === 'utc' && allDay) {
    return 'an all-day series ends by a date UNTIL (e.g. 20261231), not a date-time (RFC 5545 §3.3.10)';
  }
  return null;
}
