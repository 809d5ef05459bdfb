/**
 * CRM activities as the change feed delivers them: what the contract accepts but is unusual, and
 * (tampered) what a CRM that does not keep the contract may still send. i14iso adds the engine's
 * own feed cases in its file; these are the ordinary and hostile content ones.
 */
import type { Check, CorpusCase, JsonObject } from './types';

type Sides = { readonly outlook: JsonObject; readonly crm: JsonObject };

/** Outlook shows the CRM's subject as it is. */
const sameSubject: Check<Sides> = (s) => expect(s.outlook['subject']).toBe(s.crm['subject']);
const body = (s: Sides) => ((s.outlook['body'] as JsonObject)['content'] as string) ?? '';

export const cases: readonly CorpusCase[] = [
  {
    id: 'crm-hebrew',
    area: 'crmFeed',
    title: 'a Hebrew subject and location',
    activity: { subject: 'פגישת צוות', location: 'חדר 3' },
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-arabic-emoji',
    area: 'crmFeed',
    title: 'Arabic with an emoji ZWJ sequence',
    activity: { subject: 'اجتماع 👩\u200d💻 الفريق' },
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-255-subject',
    area: 'crmFeed',
    title: 'a subject of exactly 255 characters',
    activity: { subject: 'M'.repeat(255) },
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-lone-lt',
    area: 'crmFeed',
    title: 'a lone < and an ampersand',
    activity: { subject: 'P&L < budget' },
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-description-markup',
    area: 'crmFeed',
    title: 'a plain-text description that looks like HTML (must reach Outlook inert)',
    activity: {
      subject: 'Description with markup',
      description: '<script>alert(1)</script><img src=x onerror=alert(2)>',
    },
    expect: {
      kind: 'synced',
      check: (s) => {
        expect(body(s)).not.toMatch(/<script|<img/i);
        expect(body(s)).toMatch(/alert\(1\)/);
      },
    },
  },
  {
    id: 'crm-description-max',
    area: 'crmFeed',
    title: 'a description of 32,000 characters',
    activity: { subject: 'Long description', description: 'd'.repeat(32_000) },
    expect: { kind: 'synced', check: (s) => expect(body(s)).toContain('d'.repeat(1000)) },
  },
  {
    id: 'crm-description-crlf-tabs',
    area: 'crmFeed',
    title: 'tabs, CRLF and blank lines in a description',
    activity: { subject: 'Tabs', description: 'a\tb\r\n\r\n\r\nc\r' },
    expect: { kind: 'synced', check: (s) => expect(body(s)).toMatch(/a[\s\S]*b[\s\S]*c/) },
  },
  {
    id: 'crm-location-255',
    area: 'crmFeed',
    title: 'a location of 255 characters',
    activity: { subject: 'Long location', location: 'l'.repeat(255) },
    expect: {
      kind: 'synced',
      check: (s) =>
        expect((s.outlook['location'] as JsonObject)['displayName']).toBe('l'.repeat(255)),
    },
  },
  {
    id: 'crm-reminder-max',
    area: 'crmFeed',
    title: 'a reminder four weeks ahead',
    activity: { subject: 'Early', reminderMinutesBeforeStart: 40_320 },
    expect: {
      kind: 'synced',
      check: (s) => expect(s.outlook['reminderMinutesBeforeStart']).toBe(40_320),
    },
  },
  {
    id: 'crm-no-reminder',
    area: 'crmFeed',
    title: 'no reminder at all',
    activity: { subject: 'Quiet', reminderMinutesBeforeStart: null },
    expect: { kind: 'synced', check: (s) => expect(s.outlook['isReminderOn']).toBe(false) },
  },
  {
    id: 'crm-chatham-zone',
    area: 'crmFeed',
    title: 'a zone with a 45-minute offset (Pacific/Chatham)',
    activity: { subject: 'Chatham', timeZone: 'Pacific/Chatham' },
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-etc-zone',
    area: 'crmFeed',
    title: 'an Etc/GMT+12 zone (sign inverted, no Windows name of its own)',
    activity: { subject: 'Baker Island', timeZone: 'Etc/GMT+12' },
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-one-second',
    area: 'crmFeed',
    title: 'an activity one second long',
    activity: {
      subject: 'Blink',
      start: '2026-12-04T09:00:00Z',
      end: '2026-12-04T09:00:01Z',
    },
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-all-day-long',
    area: 'crmFeed',
    title: 'an all-day activity of 40 days',
    activity: { subject: 'Sabbatical', allDay: true, start: '2026-12-05', end: '2027-01-14' },
    expect: { kind: 'synced', check: (s) => expect(s.outlook['isAllDay']).toBe(true) },
  },
  {
    id: 'crm-private',
    area: 'crmFeed',
    title: 'a private activity of the personal type',
    activity: { subject: 'Dentist', private: true, typeId: 'typ_personal' },
    expect: { kind: 'synced', check: (s) => expect(s.outlook['sensitivity']).toBe('private') },
  },
  {
    id: 'crm-far-past',
    area: 'crmFeed',
    title: 'an activity in 1901 (outside every window)',
    activity: { subject: 'Long ago', start: '1901-01-01T10:00:00Z', end: '1901-01-01T11:00:00Z' },
    expect: { kind: 'ignored' },
  },
  {
    id: 'crm-far-future',
    area: 'crmFeed',
    title: 'an activity in 2199 (outside every window)',
    activity: { subject: 'Far ahead', start: '2199-12-31T10:00:00Z', end: '2199-12-31T11:00:00Z' },
    expect: { kind: 'ignored' },
  },
  {
    id: 'crm-external-names',
    area: 'crmFeed',
    title: 'external participants with a lone < and non-Latin names',
    activity: {
      subject: 'Guests',
      participants: [
        { kind: 'external', email: 'a@fabrikam.example', name: 'Åsa < Öberg' },
        { kind: 'external', email: 'b@fabrikam.example', name: '山田 太郎' },
      ],
    },
    expect: { kind: 'synced', check: (s) => expect(s.outlook['attendees']).toHaveLength(2) },
  },
  {
    id: 'crm-unknown-members',
    area: 'crmFeed',
    title: 'members a newer CRM adds (stripped, the rest syncs)',
    activity: { subject: 'From a newer CRM' },
    tamper: (a) => ({ ...a, colour: '#ff0000', nested: { deeper: [1, 2, 3] } }),
    expect: { kind: 'synced', check: sameSubject },
  },
  {
    id: 'crm-subject-rlm-sent',
    area: 'crmFeed',
    title: 'a subject with RLM marks the contract forbids, sent anyway',
    activity: { subject: 'Sent with marks' },
    tamper: (a) => ({ ...a, subject: '\u200fשלום\u200f' }),
    expect: {
      kind: 'synced',
      check: (s) => expect(s.outlook['subject']).toBe('\u200fשלום\u200f'),
    },
  },
  {
    id: 'crm-yearly-interval-30',
    area: 'crmFeed',
    title: 'FREQ=YEARLY;INTERVAL=30;COUNT=9999 (the contract accepts it)',
    activity: {
      subject: 'Every thirty years',
      recurrence: { rrule: 'FREQ=YEARLY;INTERVAL=30;COUNT=9999' },
    },
    // Outlook holds at most 999 occurrences (EWS NumberOfOccurrences; Graph's page is silent): the
    // series stays in the CRM with its reason, and the run goes on (issue 14).
    expect: { kind: 'setAside', reason: /recurrenceNotSupported/ },
  },
  {
    id: 'crm-showas-unknown',
    area: 'crmFeed',
    title: 'showAs: "unknown" in a feed page',
    activity: { subject: 'Unknown free/busy' },
    tamper: (a) => ({ ...a, showAs: 'unknown' }),
    expect: { kind: 'setAside', reason: /invalid|unreadable|corrupt/i },
  },
  {
    id: 'crm-unknown-zone',
    area: 'crmFeed',
    title: 'a time zone the runtime does not know',
    activity: { subject: 'Olympus' },
    tamper: (a) => ({ ...a, timeZone: 'Mars/Olympus_Mons' }),
    // A single item's start and end are instants: it syncs at them, in UTC (src/crm/mapping.ts).
    expect: { kind: 'synced' },
  },
  {
    id: 'crm-malformed-start',
    area: 'crmFeed',
    title: 'a start that is not a date',
    activity: { subject: 'No date' },
    tamper: (a) => ({ ...a, start: 'next Tuesday' }),
    expect: { kind: 'setAside', reason: /invalid|unreadable|corrupt/i },
  },
  {
    id: 'crm-participant-unknown-kind',
    area: 'crmFeed',
    title: 'a participant of a kind the contract does not have',
    activity: { subject: 'Robot attendee' },
    tamper: (a) => ({
      ...a,
      participants: [{ kind: 'robot', optional: false, name: 'R2', email: null }],
    }),
    expect: { kind: 'setAside', reason: /invalid|unreadable|corrupt/i },
  },
  {
    id: 'crm-null-description',
    area: 'crmFeed',
    title: 'a null description',
    activity: { subject: 'Null description' },
    tamper: (a) => ({ ...a, description: null }),
    expect: { kind: 'setAside', reason: /invalid|unreadable|corrupt/i },
  },
];
