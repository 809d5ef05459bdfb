/**
 * The engine's and the change feed's own bad inputs (issue 14 items 1–2, i14iso): records that
 * made a run end, or the feed stop, before each item was isolated. Each is either synced or set
 * aside with its reason on the item; the runner (corpus.test.ts) checks that every run completes
 * and that the controls beside them converge. Reasons: `crmUnreadable` (a feed entry outside the
 * contract, engine/gather.ts), `itemUnprocessable` (an item the engine failed on, engine/kind.ts),
 * `unreadable` (a Graph entry the adapter could not read), `corruptTime` (planner, SPEC X1).
 */
import type { CorpusCase, JsonObject } from './types';

const without = (o: JsonObject, key: string): JsonObject =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

export const cases: readonly CorpusCase[] = [
  {
    id: 'feed-entry-without-etag',
    area: 'crmFeed',
    title: 'a feed entry whose activity lost its etag (the page used to fail as a whole)',
    activity: { subject: 'No etag' },
    tamper: (a) => without(a, 'etag'),
    expect: { kind: 'setAside', reason: 'crmUnreadable' },
  },
  {
    id: 'feed-entry-version-zero',
    area: 'crmFeed',
    title: 'a feed entry with version 0 (the contract starts at 1)',
    activity: { subject: 'Version zero' },
    tamper: (a) => ({ ...a, version: 0 }),
    expect: { kind: 'setAside', reason: 'crmUnreadable' },
  },
  {
    id: 'feed-entry-participants-not-a-list',
    area: 'crmFeed',
    title: 'participants as an object instead of a list',
    activity: { subject: 'Participants object' },
    tamper: (a) => ({ ...a, participants: { kind: 'user' } }),
    expect: { kind: 'setAside', reason: 'crmUnreadable' },
  },
  {
    id: 'feed-entry-recurrence-without-rrule',
    area: 'crmFeed',
    title: 'a recurrence with an empty rule',
    activity: { subject: 'Empty rule' },
    tamper: (a) => ({ ...a, recurrence: { rrule: '', exdates: [], overrides: {} } }),
    expect: { kind: 'setAside', reason: 'crmUnreadable' },
  },
  {
    id: 'feed-unknown-zone-series',
    area: 'crmFeed',
    title: 'a daily series in a zone no runtime knows (occurrences need the zone)',
    activity: { subject: 'Series on Mars', recurrence: { rrule: 'FREQ=DAILY;COUNT=3' } },
    tamper: (a) => ({ ...a, timeZone: 'Mars/Olympus_Mons' }),
    expect: { kind: 'setAside', reason: 'itemUnprocessable' },
  },
  {
    id: 'feed-end-before-start',
    area: 'crmFeed',
    title: 'an end before the start',
    activity: { subject: 'Backwards' },
    tamper: (a) => ({ ...a, end: '2026-11-01T00:00:00Z' }),
    expect: { kind: 'setAside', reason: 'corruptTime' },
  },
  {
    id: 'feed-all-day-february-30',
    area: 'crmFeed',
    title: 'an all-day item on 30 February',
    activity: {
      subject: 'No such day',
      allDay: true,
      start: '2026-12-10',
      end: '2026-12-11',
    },
    tamper: (a) => ({ ...a, start: '2027-02-30', end: '2027-02-31' }),
    expect: { kind: 'setAside', reason: 'corruptTime' },
  },
  {
    id: 'feed-year-9999',
    area: 'crmFeed',
    title: 'an activity on the last day of year 9999 (outside every window: nothing to do)',
    activity: { subject: 'Far future' },
    // The reference server takes years up to 2199 only; a CRM that stores more sends this.
    tamper: (a) => ({ ...a, start: '9999-12-31T10:00:00Z', end: '9999-12-31T11:00:00Z' }),
    expect: { kind: 'ignored' },
  },
  {
    id: 'feed-daily-count-1000',
    area: 'crmFeed',
    title: 'a daily series of 1,000 occurrences (an Outlook numbered range holds 999)',
    activity: { subject: 'Thousand days', recurrence: { rrule: 'FREQ=DAILY;COUNT=1000' } },
    expect: { kind: 'setAside', reason: 'recurrenceNotSupported' },
  },
  {
    id: 'feed-year-1900',
    area: 'crmFeed',
    title: 'an activity on 1 January 1900 (outside every window: nothing to do)',
    activity: { subject: 'Long ago', start: '1900-01-01T10:00:00Z', end: '1900-01-01T11:00:00Z' },
    expect: { kind: 'ignored' },
  },
  {
    id: 'graph-deep-body-10000',
    area: 'graph',
    title: 'an HTML body 10,000 elements deep with text at the bottom',
    event: {
      subject: 'Deeper still',
      body: {
        contentType: 'html',
        content: `${'<span>'.repeat(10_000)}bottom line${'</span>'.repeat(10_000)}`,
      },
    },
    expect: {
      kind: 'synced',
      check: (s) => expect(s.crm['description']).toContain('bottom line'),
    },
  },
  {
    id: 'graph-end-not-a-date',
    area: 'graph',
    title: 'an end date-time that does not parse',
    event: { subject: 'Broken end' },
    tamper: (e) => ({ ...e, end: { dateTime: 'tomorrow-ish', timeZone: 'UTC' } }),
    expect: { kind: 'setAside', reason: /unreadable|corruptTime/ },
  },
];
