import type { CalendarItem, ItemTime } from '../../../src/sync/core/model';

/** SPEC F1 table: zones (with DST days), all-day, reminders, flags and hostile strings. */
export const timed = (start: string, end: string, timeZone: string): ItemTime => ({
  kind: 'timed',
  start,
  end,
  timeZone,
});

export const times: [string, ItemTime][] = [
  ['Helsinki winter', timed('2026-01-15T07:00:00Z', '2026-01-15T08:00:00Z', 'Europe/Helsinki')],
  ['Helsinki summer', timed('2026-07-15T06:00:00Z', '2026-07-15T07:00:00Z', 'Europe/Helsinki')],
  // 2026-03-29 03:00 EET → 04:00 EEST: an event that spans the change.
  [
    'Helsinki across DST start',
    timed('2026-03-29T00:30:00Z', '2026-03-29T02:30:00Z', 'Europe/Helsinki'),
  ],
  [
    'Helsinki DST end, first 03:30',
    timed('2026-10-25T00:30:00Z', '2026-10-25T02:00:00Z', 'Europe/Helsinki'),
  ],
  ['New York winter', timed('2026-12-01T14:00:00Z', '2026-12-01T15:00:00Z', 'America/New_York')],
  [
    'New York DST start day',
    timed('2026-03-08T14:00:00Z', '2026-03-08T15:30:00Z', 'America/New_York'),
  ],
  [
    'New York DST end day',
    timed('2026-11-01T05:30:00Z', '2026-11-01T07:00:00Z', 'America/New_York'),
  ],
  ['Kolkata half hour', timed('2026-06-01T04:30:00Z', '2026-06-01T05:15:00Z', 'Asia/Kolkata')],
  ['UTC', timed('2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z', 'UTC')],
  [
    'all-day Helsinki',
    { kind: 'allDay', startDate: '2026-12-24', endDate: '2026-12-25', timeZone: 'Europe/Helsinki' },
  ],
  [
    'all-day NY 3 days over DST',
    {
      kind: 'allDay',
      startDate: '2026-10-31',
      endDate: '2026-11-03',
      timeZone: 'America/New_York',
    },
  ],
  [
    'all-day Kolkata',
    { kind: 'allDay', startDate: '2026-02-28', endDate: '2026-03-01', timeZone: 'Asia/Kolkata' },
  ],
  [
    'all-day UTC',
    { kind: 'allDay', startDate: '2028-02-29', endDate: '2028-03-01', timeZone: 'UTC' },
  ],
];

export const variants: [string, Partial<CalendarItem>][] = [
  ['defaults', {}],
  ['no reminder, private, free', { reminderMinutes: null, isPrivate: true, showAs: 'free' }],
  ['reminder 0, tentative', { reminderMinutes: 0, showAs: 'tentative' }],
  ['oof, a day ahead', { reminderMinutes: 1440, showAs: 'oof' }],
  ['working elsewhere', { showAs: 'workingElsewhere', location: '' }],
  [
    'script subject',
    { subject: '<script>alert(1)</script>', description: '<img src=x onerror=alert(1)>' },
  ],
  ['quotes and SQL', { subject: `Robert'); DROP TABLE "x";--`, location: 'A & B <C>' }],
  ['unicode', { subject: 'Ωμέγα ≈ ç √ 😀 العربية', description: 'Rivi 1\n\nRivi  3 — ääkköset' }],
  [
    'entities typed literally',
    { subject: '&amp; &lt;b&gt; &#39;', description: '&nbsp;&lt;/p&gt;' },
  ],
  ['empty', { subject: '', description: '', location: '' }],
  ['long', { subject: 'x'.repeat(255), description: 'line\n'.repeat(50).trim() }],
];
