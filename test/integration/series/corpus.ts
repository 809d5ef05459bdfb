/**
 * The named series corpus (issue 5): every Graph pattern × range × interval made in Outlook, RFC
 * 5545 rules made in the CRM, DST transitions in five zones, all-day and multi-day series, and
 * series that cross midnight. Each case is one series; the test makes it on its side and checks
 * that both sides end with the same occurrences.
 */
export const ZONES = [
  'Europe/Helsinki',
  'Europe/Stockholm',
  'Europe/Rome',
  'America/New_York',
  'Australia/Sydney',
] as const;

interface Base {
  readonly name: string;
  readonly zone: string;
  /** Wall-clock start `YYYY-MM-DDTHH:MM` (timed) or a date (all-day). */
  readonly start: string;
  /** Minutes for timed series, days for all-day ones. */
  readonly length: number;
  readonly allDay?: boolean;
}

export interface OutlookCase extends Base {
  readonly origin: 'outlook';
  readonly pattern: Record<string, unknown>;
  readonly range: Record<string, unknown>;
}

export interface CrmCase extends Base {
  readonly origin: 'crm';
  readonly rrule: string;
}

export type SeriesCase = OutlookCase | CrmCase;

/** A first date that matches each pattern, so the series' start is its first occurrence. */
const PATTERNS: readonly {
  readonly key: string;
  readonly start: string;
  readonly pattern: Record<string, unknown>;
  readonly span: number;
}[] = [
  { key: 'daily', start: '2026-11-23', pattern: { type: 'daily' }, span: 60 },
  {
    key: 'weekly Mon+Wed',
    start: '2026-11-23',
    pattern: { type: 'weekly', daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'monday' },
    span: 120,
  },
  {
    key: 'absoluteMonthly 15th',
    start: '2026-12-15',
    pattern: { type: 'absoluteMonthly', dayOfMonth: 15 },
    span: 300,
  },
  {
    key: 'relativeMonthly 2nd Wednesday',
    start: '2026-12-09',
    pattern: { type: 'relativeMonthly', daysOfWeek: ['wednesday'], index: 'second' },
    span: 300,
  },
  {
    key: 'absoluteYearly 1 December',
    start: '2026-12-01',
    pattern: { type: 'absoluteYearly', month: 12, dayOfMonth: 1 },
    span: 1500,
  },
  {
    key: 'relativeYearly last Sunday of March',
    start: '2027-03-28',
    pattern: { type: 'relativeYearly', month: 3, daysOfWeek: ['sunday'], index: 'last' },
    span: 1500,
  },
];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 6 patterns × 3 ranges × 2 intervals, in the five zones by turn: 36 cases made in Outlook. */
function patternCases(): OutlookCase[] {
  const out: OutlookCase[] = [];
  let n = 0;
  for (const p of PATTERNS) {
    for (const interval of [1, 2]) {
      for (const range of ['endDate', 'noEnd', 'numbered'] as const) {
        const zone = ZONES[n % ZONES.length] ?? 'Europe/Helsinki';
        n += 1;
        out.push({
          origin: 'outlook',
          name: `Outlook ${p.key}, every ${interval}, ${range}, ${zone}`,
          zone,
          start: `${p.start}T${String(8 + (n % 9)).padStart(2, '0')}:30`,
          length: 45,
          pattern: { ...p.pattern, interval },
          range: {
            type: range,
            startDate: p.start,
            ...(range === 'endDate' ? { endDate: addDays(p.start, p.span * interval) } : {}),
            ...(range === 'numbered' ? { numberOfOccurrences: 5 } : {}),
          },
        });
      }
    }
  }
  return out;
}

const weekly = (days: string[]) => ({
  type: 'weekly',
  interval: 1,
  daysOfWeek: days,
  firstDayOfWeek: 'sunday',
});
const numbered = (startDate: string, count: number) => ({
  type: 'numbered',
  startDate,
  numberOfOccurrences: count,
});

/** DST, all-day, multi-day and midnight cases, from both sides. */
const SPECIAL: readonly SeriesCase[] = [
  // Spring forward: 09:00 stays 09:00 across the change.
  {
    origin: 'outlook',
    name: 'DST spring, daily 09:00, Helsinki',
    zone: 'Europe/Helsinki',
    start: '2027-03-25T09:00',
    length: 60,
    pattern: { type: 'daily', interval: 1 },
    range: numbered('2027-03-25', 7),
  },
  {
    origin: 'crm',
    name: 'DST spring, daily 09:00, Stockholm',
    zone: 'Europe/Stockholm',
    start: '2027-03-25T09:00',
    length: 60,
    rrule: 'FREQ=DAILY;COUNT=7',
  },
  {
    origin: 'outlook',
    name: 'DST spring, weekly Sunday 10:00, Rome',
    zone: 'Europe/Rome',
    start: '2027-03-14T10:00',
    length: 90,
    pattern: weekly(['sunday']),
    range: numbered('2027-03-14', 4),
  },
  {
    origin: 'crm',
    name: 'DST spring, daily 08:00, New York',
    zone: 'America/New_York',
    start: '2027-03-12T08:00',
    length: 30,
    rrule: 'FREQ=DAILY;COUNT=5',
  },
  {
    origin: 'outlook',
    name: 'DST end, daily 09:00, Sydney',
    zone: 'Australia/Sydney',
    start: '2027-04-02T09:00',
    length: 60,
    pattern: { type: 'daily', interval: 1 },
    range: numbered('2027-04-02', 5),
  },
  {
    origin: 'crm',
    name: 'DST start, daily 09:00, Sydney',
    zone: 'Australia/Sydney',
    start: '2027-10-01T09:00',
    length: 60,
    rrule: 'FREQ=DAILY;COUNT=5',
  },
  // Fall back: 09:00 stays 09:00.
  {
    origin: 'outlook',
    name: 'DST autumn, daily 09:00, Helsinki',
    zone: 'Europe/Helsinki',
    start: '2027-10-29T09:00',
    length: 60,
    pattern: { type: 'daily', interval: 1 },
    range: numbered('2027-10-29', 4),
  },
  {
    origin: 'crm',
    name: 'DST autumn, daily 09:00, New York',
    zone: 'America/New_York',
    start: '2026-10-30T09:00',
    length: 60,
    rrule: 'FREQ=DAILY;COUNT=5',
  },
  // Wall times a DST change skips or repeats.
  {
    origin: 'outlook',
    name: 'DST gap, daily 02:30, Stockholm',
    zone: 'Europe/Stockholm',
    start: '2027-03-26T02:30',
    length: 30,
    pattern: { type: 'daily', interval: 1 },
    range: numbered('2027-03-26', 5),
  },
  {
    origin: 'crm',
    name: 'DST gap, weekly Sunday 02:30, New York',
    zone: 'America/New_York',
    start: '2027-03-07T02:30',
    length: 30,
    rrule: 'FREQ=WEEKLY;BYDAY=SU;COUNT=3',
  },
  {
    origin: 'outlook',
    name: 'DST overlap, daily 02:30, Rome',
    zone: 'Europe/Rome',
    start: '2027-10-29T02:30',
    length: 30,
    pattern: { type: 'daily', interval: 1 },
    range: numbered('2027-10-29', 3),
  },
  // All-day series are dates in every zone.
  {
    origin: 'outlook',
    name: 'all-day daily, Sydney',
    zone: 'Australia/Sydney',
    start: '2026-12-01',
    length: 1,
    allDay: true,
    pattern: { type: 'daily', interval: 1 },
    range: numbered('2026-12-01', 4),
  },
  {
    origin: 'crm',
    name: 'all-day weekly Friday, New York',
    zone: 'America/New_York',
    start: '2026-12-04',
    length: 1,
    allDay: true,
    rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=6',
  },
  {
    origin: 'outlook',
    name: 'multi-day all-day, monthly on the 10th, Helsinki',
    zone: 'Europe/Helsinki',
    start: '2026-12-10',
    length: 3,
    allDay: true,
    pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 10 },
    range: numbered('2026-12-10', 6),
  },
  {
    origin: 'crm',
    name: 'multi-day all-day, yearly, Rome',
    zone: 'Europe/Rome',
    start: '2027-01-04',
    length: 2,
    allDay: true,
    rrule: 'FREQ=YEARLY;COUNT=3',
  },
  {
    origin: 'crm',
    name: 'all-day across the spring change, Stockholm',
    zone: 'Europe/Stockholm',
    start: '2027-03-27',
    length: 1,
    allDay: true,
    rrule: 'FREQ=DAILY;COUNT=3',
  },
  // Across midnight.
  {
    origin: 'outlook',
    name: 'midnight crossing, daily 23:30–00:30, Helsinki',
    zone: 'Europe/Helsinki',
    start: '2026-12-01T23:30',
    length: 60,
    pattern: { type: 'daily', interval: 1 },
    range: numbered('2026-12-01', 5),
  },
  {
    origin: 'crm',
    name: 'midnight crossing, weekly Saturday 22:00–02:00, Sydney',
    zone: 'Australia/Sydney',
    start: '2026-12-05T22:00',
    length: 240,
    rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=4',
  },
  // RFC 5545 rules made in the CRM that Outlook can express (SPEC R3).
  {
    origin: 'crm',
    name: 'CRM 2nd Wednesday, Helsinki',
    zone: 'Europe/Helsinki',
    start: '2026-12-09T13:00',
    length: 60,
    rrule: 'FREQ=MONTHLY;BYDAY=2WE',
  },
  {
    origin: 'crm',
    name: 'CRM last day of the month, Stockholm',
    zone: 'Europe/Stockholm',
    start: '2026-11-30T15:00',
    length: 30,
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=8',
  },
  {
    origin: 'crm',
    name: 'CRM weekdays, COUNT=20, Rome',
    zone: 'Europe/Rome',
    start: '2026-11-23T08:15',
    length: 15,
    rrule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20',
  },
  {
    origin: 'crm',
    name: 'CRM every 2nd week Tue+Thu until June, New York',
    zone: 'America/New_York',
    start: '2026-11-24T11:00',
    length: 60,
    // RFC 5545 §3.3.10: a zoned series ends by a UTC UNTIL (11:00 New York on 1 June, EDT).
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270601T150000Z',
  },
  {
    origin: 'crm',
    name: 'CRM last weekday of the month, Sydney',
    zone: 'Australia/Sydney',
    start: '2026-11-30T16:00',
    length: 60,
    rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6',
  },
  {
    origin: 'crm',
    name: 'CRM last Sunday of October yearly, Helsinki',
    zone: 'Europe/Helsinki',
    start: '2027-10-31T12:00',
    length: 60,
    rrule: 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  },
  {
    origin: 'crm',
    name: 'CRM every 3rd day, Stockholm',
    zone: 'Europe/Stockholm',
    start: '2026-11-24T07:00',
    length: 30,
    rrule: 'FREQ=DAILY;INTERVAL=3;COUNT=6',
  },
  // Started before the sync window, with occurrences inside it: synced as a series.
  {
    origin: 'outlook',
    name: 'started before the window, weekly Tuesday, Helsinki',
    zone: 'Europe/Helsinki',
    start: '2026-01-06T10:00',
    length: 30,
    pattern: weekly(['tuesday']),
    range: { type: 'noEnd', startDate: '2026-01-06' },
  },
  {
    origin: 'crm',
    name: 'started before the window, monthly 1st, Rome',
    zone: 'Europe/Rome',
    start: '2025-06-01T09:00',
    length: 30,
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=1',
  },
];

export const CORPUS: readonly SeriesCase[] = [...patternCases(), ...SPECIAL];

/** CRM rules Outlook cannot express: reported on the item, never synced half-way (SPEC R3). */
export const UNSUPPORTED: readonly CrmCase[] = [
  {
    origin: 'crm',
    name: 'CRM the 1st and 15th',
    zone: 'Europe/Helsinki',
    start: '2026-12-01T06:00',
    length: 30,
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,15',
  },
  {
    origin: 'crm',
    name: 'CRM 1st and 3rd Monday',
    zone: 'Europe/Helsinki',
    start: '2026-12-07T09:00',
    length: 30,
    rrule: 'FREQ=MONTHLY;BYDAY=1MO,3MO',
  },
  {
    origin: 'crm',
    name: 'CRM the 31st of months that have one',
    zone: 'Europe/Helsinki',
    start: '2026-12-31T09:00',
    length: 30,
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=31',
  },
];
