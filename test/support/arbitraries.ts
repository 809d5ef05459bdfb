/** fast-check generators of canonical items, shared by the core's property tests. */
import fc from 'fast-check';
import type { CalendarItem, Participant, ShowAs } from '../../src/sync/core/model';

const showAs: fc.Arbitrary<ShowAs> = fc.constantFrom(
  'free',
  'tentative',
  'busy',
  'oof',
  'workingElsewhere',
);

const participant: fc.Arbitrary<Participant> = fc.record({
  kind: fc.constantFrom('user', 'contact', 'resource', 'external'),
  email: fc.constantFrom('a@contoso.example', 'b@contoso.example', 'room@contoso.example'),
  optional: fc.boolean(),
});

const instant = fc
  .integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2027, 0, 1) / 60_000 })
  .map((minutes) => new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));

export const calendarItem: fc.Arbitrary<CalendarItem> = fc.record({
  subject: fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.trim() || 'x'),
  time: fc.tuple(instant, fc.integer({ min: 15, max: 600 })).map(([start, minutes]) => ({
    kind: 'timed' as const,
    start,
    end: new Date(Date.parse(start) + minutes * 60_000).toISOString().replace('.000Z', 'Z'),
    timeZone: 'Europe/Helsinki',
  })),
  location: fc.constantFrom('', 'Room 1', 'Helsinki office'),
  description: fc.constantFrom('', 'Agenda', 'Line 1\nLine 2'),
  isPrivate: fc.boolean(),
  showAs,
  reminderMinutes: fc.constantFrom(null, 0, 15, 60),
  participants: fc.uniqueArray(participant, { selector: (p) => p.email, maxLength: 3 }),
  recurrence: fc.constant(null),
  occurrenceOf: fc.constant(null),
  isCancelled: fc.constant(false),
});
