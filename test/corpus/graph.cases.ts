/**
 * Outlook events as Microsoft Graph holds them: what ordinary mailboxes carry (issue 14 item 3:
 * the client cleans what the CRM contract refuses, Outlook keeps its own value) and what a Graph
 * answer may hold that the emulator would not store (tampered).
 */
import { EMPTY_SUBJECT } from '../../src/sync/core/crmText';
import type { Check, CorpusCase, JsonObject } from './types';

type Sides = { readonly outlook: JsonObject; readonly crm: JsonObject };

/** Outlook keeps its subject; the CRM holds the cleaned one. */
const subjects =
  (outlook: string, crm: string): Check<Sides> =>
  (s) => {
    expect(s.outlook['subject']).toBe(outlook);
    expect(s.crm['subject']).toBe(crm);
  };

const location = (name: string): JsonObject => ({ displayName: name });
const attendee = (address: string, name?: string): JsonObject => ({
  emailAddress: { address, ...(name === undefined ? {} : { name }) },
  type: 'required',
});
const participants = (s: Sides) => s.crm['participants'] as readonly JsonObject[];

export const cases: readonly CorpusCase[] = [
  {
    id: 'graph-empty-subject',
    area: 'graph',
    title: 'an empty subject (the CRM requires one)',
    event: { subject: '' },
    expect: { kind: 'synced', check: subjects('', EMPTY_SUBJECT) },
  },
  {
    id: 'graph-no-subject',
    area: 'graph',
    title: 'no subject member at all',
    event: {},
    expect: {
      kind: 'synced',
      check: (s) => expect(s.crm['subject']).toBe(EMPTY_SUBJECT),
    },
  },
  {
    id: 'graph-blank-subject',
    area: 'graph',
    title: 'a subject of blanks only',
    event: { subject: '   ' },
    expect: { kind: 'synced', check: (s) => expect(s.crm['subject']).toBe(EMPTY_SUBJECT) },
  },
  {
    id: 'graph-hebrew-rlm',
    area: 'graph',
    title: 'a Hebrew subject with RLM marks',
    event: { subject: '\u200fפגישה עם הלקוח\u200f' },
    expect: { kind: 'synced', check: subjects('\u200fפגישה עם הלקוח\u200f', 'פגישה עם הלקוח') },
  },
  {
    id: 'graph-arabic-isolates',
    area: 'graph',
    title: 'Arabic with bidi isolates and an embedding',
    event: { subject: '\u2067اجتماع\u2069 \u202bالربع الثالث\u202c' },
    expect: {
      kind: 'synced',
      check: subjects('\u2067اجتماع\u2069 \u202bالربع الثالث\u202c', 'اجتماع الربع الثالث'),
    },
  },
  {
    id: 'graph-marks-only',
    area: 'graph',
    title: 'a subject of LRM/RLM marks only',
    event: { subject: '\u200e\u200f\u200e' },
    expect: { kind: 'synced', check: (s) => expect(s.crm['subject']).toBe(EMPTY_SUBJECT) },
  },
  {
    id: 'graph-trojan-source',
    area: 'graph',
    title: 'a right-to-left override that disguises text (Trojan Source)',
    event: { subject: 'invoice\u202egnp.exe' },
    expect: { kind: 'synced', check: subjects('invoice\u202egnp.exe', 'invoicegnp.exe') },
  },
  {
    id: 'graph-markup-q3',
    area: 'graph',
    title: 'markup-like text: <Q3> in a subject',
    event: { subject: '<Q3> planning' },
    expect: { kind: 'synced', check: subjects('<Q3> planning', '‹Q3> planning') },
  },
  {
    id: 'graph-script-tag',
    area: 'graph',
    title: 'a script tag in a subject',
    event: { subject: '<script>alert(1)</script>' },
    expect: {
      kind: 'synced',
      check: subjects('<script>alert(1)</script>', '‹script>alert(1)‹/script>'),
    },
  },
  {
    id: 'graph-html-comment',
    area: 'graph',
    title: 'an HTML comment and a processing instruction',
    event: { subject: '<!-- x --> review <?xml?>' },
    expect: {
      kind: 'synced',
      check: subjects('<!-- x --> review <?xml?>', '‹!-- x --> review ‹?xml?>'),
    },
  },
  {
    id: 'graph-lone-lt',
    area: 'graph',
    title: 'a lone < the contract allows',
    event: { subject: 'margin < 5 % & > 2' },
    expect: { kind: 'synced', check: subjects('margin < 5 % & > 2', 'margin < 5 % & > 2') },
  },
  {
    id: 'graph-control-chars',
    area: 'graph',
    title: 'a tab, a newline and a bell in a subject',
    event: { subject: 'Tab\there\nnext line\u0007' },
    expect: {
      kind: 'synced',
      check: (s) => expect(s.crm['subject']).toBe('Tab here next line'),
    },
  },
  {
    id: 'graph-long-subject',
    area: 'graph',
    title: 'a 400-character subject in an answer (Graph stores 255, the CRM takes 255)',
    event: { subject: 'Long subject' },
    tamper: (e) => ({ ...e, subject: 'S'.repeat(400) }),
    expect: { kind: 'synced', check: (s) => expect(s.crm['subject']).toBe('S'.repeat(255)) },
  },
  {
    id: 'graph-emoji-at-cut',
    area: 'graph',
    title: 'an emoji across the 255th character',
    event: { subject: 'Emoji at the cut' },
    tamper: (e) => ({ ...e, subject: `${'e'.repeat(254)}😀 end` }),
    expect: { kind: 'synced', check: (s) => expect(s.crm['subject']).toBe('e'.repeat(254)) },
  },
  {
    id: 'graph-zero-width-kept',
    area: 'graph',
    title: 'ZWJ/ZWNJ and a zero-width space the contract allows',
    event: { subject: 'می\u200cخواهم 👩\u200d💻 a\u200bb' },
    expect: {
      kind: 'synced',
      check: subjects('می\u200cخواهم 👩\u200d💻 a\u200bb', 'می\u200cخواهم 👩\u200d💻 a\u200bb'),
    },
  },
  {
    id: 'graph-combining-marks',
    area: 'graph',
    title: 'decomposed accents and a BOM',
    event: { subject: '\ufeffCafe\u0301 Zu\u0308rich' },
    expect: {
      kind: 'synced',
      // JavaScript's trim takes a leading BOM for a blank: the CRM's copy starts at the letter.
      check: subjects('\ufeffCafe\u0301 Zu\u0308rich', 'Cafe\u0301 Zu\u0308rich'),
    },
  },
  {
    id: 'graph-zero-length',
    area: 'graph',
    title: 'a zero-length event (end = start)',
    event: {
      subject: 'Reminder only',
      start: { dateTime: '2026-11-30T12:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-11-30T12:00:00', timeZone: 'UTC' },
    },
    expect: {
      kind: 'synced',
      check: (s) => {
        expect(s.crm['end']).toBe('2026-11-30T12:01:00Z');
        expect((s.outlook['end'] as JsonObject)['dateTime']).toMatch(/^2026-11-30T1\d:00:00/);
        expect(s.outlook['start']).toEqual(s.outlook['end']);
      },
    },
  },
  {
    id: 'graph-attendees-over-cap',
    area: 'graph',
    title: '600 attendees (the CRM takes 500): the first 500 go, the item says so',
    event: {
      subject: 'All hands',
      attendees: Array.from({ length: 600 }, (_, i) => attendee(`person${i}@fabrikam.example`)),
    },
    expect: {
      kind: 'synced',
      note: 'attendeesOverCap',
      check: (s) => {
        expect(participants(s)).toHaveLength(500);
        expect(participants(s)[499]?.['email']).toBe('person499@fabrikam.example');
        expect(s.outlook['attendees']).toHaveLength(600);
      },
    },
  },
  {
    id: 'graph-attendee-name-markup',
    area: 'graph',
    title: 'an attendee whose display name is markup',
    event: {
      subject: 'Named attendee',
      attendees: [attendee('boss@fabrikam.example', '<b>Boss</b>')],
    },
    expect: {
      kind: 'synced',
      check: (s) => expect(participants(s)[0]?.['email']).toBe('boss@fabrikam.example'),
    },
  },
  {
    id: 'graph-attendee-name-rlm',
    area: 'graph',
    title: 'an attendee whose display name has RLM marks',
    event: {
      subject: 'Hebrew attendee',
      attendees: [attendee('dana@fabrikam.example', '\u200fדנה\u200f')],
    },
    expect: {
      kind: 'synced',
      check: (s) => expect(participants(s)).toHaveLength(1),
    },
  },
  {
    id: 'graph-attendee-twice',
    area: 'graph',
    title: 'the same attendee twice, in two spellings',
    event: {
      subject: 'Duplicate attendee',
      attendees: [attendee('Kim@Fabrikam.example'), attendee('kim@fabrikam.example')],
    },
    expect: { kind: 'synced', check: (s) => expect(participants(s)).toHaveLength(1) },
  },
  {
    id: 'graph-location-markup',
    area: 'graph',
    title: 'a location in angle brackets with an RLM',
    event: { subject: 'Located', location: location('<Room 1>\u200f') },
    expect: { kind: 'synced', check: (s) => expect(s.crm['location']).toBe('‹Room 1>') },
  },
  {
    id: 'graph-location-long',
    area: 'graph',
    title: 'a 1,000-character location',
    event: { subject: 'Far away', location: location('L'.repeat(1000)) },
    expect: { kind: 'synced', check: (s) => expect(s.crm['location']).toBe('L'.repeat(255)) },
  },
  {
    id: 'graph-body-controls',
    area: 'graph',
    title: 'a text body with NUL and vertical-tab characters',
    event: {
      subject: 'Body with controls',
      body: { contentType: 'text', content: 'line one\u0000\u000b\r\nline two' },
    },
    expect: {
      kind: 'synced',
      check: (s) => {
        const text = s.crm['description'] as string;
        expect(text).toContain('line two');
        expect(text.includes('\u0000') || text.includes('\u000b')).toBe(false);
      },
    },
  },
  {
    id: 'graph-body-huge',
    area: 'graph',
    title: 'a 40,000-character body (the CRM takes 32,000)',
    event: { subject: 'Long body', body: { contentType: 'text', content: 'b'.repeat(40_000) } },
    expect: {
      kind: 'synced',
      check: (s) => expect((s.crm['description'] as string).length).toBeLessThanOrEqual(32_000),
    },
  },
  {
    id: 'graph-body-script',
    area: 'graph',
    title: 'an HTML body with a script and an event handler',
    event: {
      subject: 'Hostile body',
      body: {
        contentType: 'html',
        content: '<p onclick="steal()">Agenda</p><script>alert(1)</script><img src=x onerror=y>',
      },
    },
    expect: {
      kind: 'synced',
      check: (s) => {
        expect(s.crm['description']).toContain('Agenda');
        expect(s.crm['description']).not.toContain('<script');
      },
    },
  },
  {
    id: 'graph-body-deep',
    area: 'graph',
    title: 'an HTML body nested 5,000 deep',
    event: {
      subject: 'Deep body',
      body: { contentType: 'html', content: `${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}` },
    },
    // html-to-text overflowed the stack on this and ended the run (issue 14, "the deep body").
    expect: { kind: 'synced' },
  },
  {
    id: 'graph-reminder-huge',
    area: 'graph',
    title: 'a reminder eight weeks ahead (the CRM takes four)',
    event: { subject: 'Early reminder', isReminderOn: true, reminderMinutesBeforeStart: 80_640 },
    expect: {
      kind: 'synced',
      check: (s) => expect(s.crm['reminderMinutesBeforeStart']).toBe(40_320),
    },
  },
  {
    id: 'graph-private-markup',
    area: 'graph',
    title: 'a private item with markup in its subject',
    event: { subject: '<i>Doctor</i>', sensitivity: 'private' },
    expect: {
      kind: 'synced',
      check: (s) => {
        expect(s.crm['private']).toBe(true);
        expect(s.crm['subject']).toBe('‹i>Doctor‹/i>');
      },
    },
  },
  {
    id: 'graph-all-day-rlm',
    area: 'graph',
    title: 'an all-day item with RLM marks',
    event: {
      subject: '\u200fחג\u200f',
      isAllDay: true,
      start: { dateTime: '2026-12-01T00:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-02T00:00:00', timeZone: 'UTC' },
    },
    expect: {
      kind: 'synced',
      check: (s) => {
        expect(s.crm['subject']).toBe('חג');
        expect(s.crm['allDay']).toBe(true);
      },
    },
  },
  {
    id: 'graph-line-separators',
    area: 'graph',
    title: 'Unicode line and paragraph separators (allowed by the contract)',
    event: { subject: 'one\u2028two\u2029three' },
    expect: {
      kind: 'synced',
      check: subjects('one\u2028two\u2029three', 'one\u2028two\u2029three'),
    },
  },
  {
    id: 'graph-showas-unknown-enum',
    area: 'graph',
    title: 'a showAs value Graph added later',
    event: { subject: 'Future free/busy value' },
    tamper: (e) => ({ ...e, showAs: 'hyperFocus' }),
    expect: { kind: 'setAside', reason: /unreadable|invalidData|corruptTime/ },
  },
  {
    id: 'graph-malformed-date',
    area: 'graph',
    title: 'a malformed start date-time',
    event: { subject: 'Broken date' },
    tamper: (e) => ({ ...e, start: { dateTime: '2026-13-45T99:00:00', timeZone: 'UTC' } }),
    expect: { kind: 'setAside', reason: /corruptTime|unreadable|invalidData/ },
  },
  {
    id: 'graph-unknown-zone',
    area: 'graph',
    title: 'a time zone no table knows',
    event: { subject: 'Mars time' },
    tamper: (e) => ({
      ...e,
      start: { ...(e['start'] as JsonObject), timeZone: 'Olympus Mons Standard Time' },
      end: { ...(e['end'] as JsonObject), timeZone: 'Olympus Mons Standard Time' },
      originalStartTimeZone: 'Olympus Mons Standard Time',
      originalEndTimeZone: 'Olympus Mons Standard Time',
    }),
    // A single event still syncs (issue 14: one odd field never stops an item that can be read).
    expect: { kind: 'synced' },
  },
  {
    id: 'graph-null-subject',
    area: 'graph',
    title: 'a null subject in the answer',
    event: { subject: 'Becomes null' },
    tamper: (e) => ({ ...e, subject: null }),
    expect: { kind: 'synced', check: (s) => expect(s.crm['subject']).toBe(EMPTY_SUBJECT) },
  },
  {
    id: 'graph-yearly-interval-30',
    area: 'graph',
    title: 'a yearly series every 30 years, 999 times',
    event: {
      subject: 'Every thirty years',
      start: { dateTime: '2026-12-03T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-03T11:00:00', timeZone: 'UTC' },
      recurrence: {
        pattern: { type: 'absoluteYearly', interval: 30, month: 12, dayOfMonth: 3 },
        range: { type: 'numbered', startDate: '2026-12-03', numberOfOccurrences: 999 },
      },
    },
    expect: { kind: 'synced' },
  },
];
