/** SPEC F1 (+ F4/F5 participants, R1 recurrence): items that must survive a CRM round trip. */
import type { CalendarItem, ItemTime } from '../../../src/sync/core/model';

const timed = (start: string, end: string, timeZone: string): ItemTime => ({
  kind: 'timed',
  start,
  end,
  timeZone,
});

const base: CalendarItem = {
  subject: 'Steering group',
  time: timed('2026-03-10T07:00:00Z', '2026-03-10T08:30:00Z', 'Europe/Helsinki'),
  location: 'Aurora',
  description: 'Agenda\n- budget\n- hiring',
  isPrivate: false,
  showAs: 'busy',
  reminderMinutes: 15,
  participants: [],
  recurrence: null,
  occurrenceOf: null,
  isCancelled: false,
};

export const F1_CASES: readonly (readonly [string, CalendarItem])[] = [
  ['timed in Helsinki', base],
  [
    'timed in New York (DST week)',
    { ...base, time: timed('2026-03-09T13:00:00Z', '2026-03-09T14:00:00Z', 'America/New_York') },
  ],
  [
    'timed in Kolkata (half-hour offset)',
    { ...base, time: timed('2026-03-10T04:30:00Z', '2026-03-10T05:15:00Z', 'Asia/Kolkata') },
  ],
  [
    'timed across midnight UTC in Auckland',
    { ...base, time: timed('2026-03-10T22:00:00Z', '2026-03-11T01:00:00Z', 'Pacific/Auckland') },
  ],
  [
    'all-day, one day',
    {
      ...base,
      time: {
        kind: 'allDay',
        startDate: '2026-03-12',
        endDate: '2026-03-13',
        timeZone: 'Europe/Stockholm',
      },
    },
  ],
  [
    'all-day, three days',
    {
      ...base,
      time: {
        kind: 'allDay',
        startDate: '2026-03-30',
        endDate: '2026-04-02',
        timeZone: 'Europe/Rome',
      },
    },
  ],
  ['no reminder', { ...base, reminderMinutes: null }],
  ['reminder at start', { ...base, reminderMinutes: 0 }],
  ['private, free', { ...base, isPrivate: true, showAs: 'free' }],
  ['tentative', { ...base, showAs: 'tentative' }],
  ['out of office', { ...base, showAs: 'oof' }],
  ['working elsewhere', { ...base, showAs: 'workingElsewhere' }],
  ['no location, no description', { ...base, location: '', description: '' }],
  [
    'unicode text',
    {
      ...base,
      subject: 'Kokous – Åbo ☕',
      location: 'Näsilinna 2',
      description: 'Rivi 1\r\nRivi 2\tsarkain',
    },
  ],
  [
    'weekly series with an exclusion',
    {
      ...base,
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6', exdates: ['2026-03-17T09:00:00'] },
    },
  ],
  [
    'participants of four kinds, some optional',
    {
      ...base,
      participants: [
        { kind: 'user', crmId: 'usr_ben', optional: false },
        { kind: 'contact', crmId: 'con_fabrikam_liisa', optional: true },
        { kind: 'resource', crmId: 'res_room_aurora', optional: false },
        { kind: 'external', email: 'guest@fabrikam.example', name: 'Guest Person', optional: true },
      ],
    },
  ],
];
