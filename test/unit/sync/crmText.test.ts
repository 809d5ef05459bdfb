/**
 * Issue 14 item 3: what the contract refuses is cleaned before sending. Each cleaned value is
 * checked against the reference server's own request schema (sandbox/crm/schemas), so the test
 * fails if the cleaning and the contract drift apart.
 */
import { ActivityCreateSchema } from '../../../sandbox/crm/schemas/activity';
import { toCreateBody } from '../../../src/crm/mapping';
import {
  crmItem,
  crmParticipants,
  crmSubject,
  EMPTY_SUBJECT,
  multiLineText,
  singleLineText,
} from '../../../src/sync/core/crmText';
import type { CalendarItem, Participant } from '../../../src/sync/core/model';
import { item as fixture } from '../../support/planFixtures';

const base: CalendarItem = fixture({ subject: 'Planning', location: '' });

function accepted(item: CalendarItem): void {
  const body = toCreateBody({ item: crmItem(item), typeId: 'typ_meeting' });
  const parsed = ActivityCreateSchema.safeParse(body);
  expect(parsed.error?.issues ?? []).toEqual([]);
}

describe('crmText: single-line text', () => {
  it('an empty or blank subject becomes the documented placeholder', () => {
    expect(crmSubject('')).toBe(EMPTY_SUBJECT);
    expect(crmSubject('  \t ')).toBe(EMPTY_SUBJECT);
    expect(crmSubject('\u200f\u200e')).toBe(EMPTY_SUBJECT);
    accepted({ ...base, subject: '' });
  });

  it('a Hebrew subject loses its RLM marks and keeps every letter', () => {
    const hebrew = '\u200fפגישה עם הלקוח\u200f';
    expect(crmSubject(hebrew)).toBe('פגישה עם הלקוח');
    accepted({ ...base, subject: hebrew });
  });

  it('Arabic with embedding controls and isolates keeps its letters; ZWJ/ZWNJ stay', () => {
    const arabic = '\u202bاجتماع\u202c \u2067مع\u2069 العميل';
    expect(crmSubject(arabic)).toBe('اجتماع مع العميل');
    expect(singleLineText('می\u200cخواهم 👩\u200d💻')).toBe('می\u200cخواهم 👩\u200d💻');
  });

  it('markup-like text is neutralised, a lone < stays', () => {
    expect(crmSubject('<Q3> review')).toBe('‹Q3> review');
    expect(crmSubject('a < b and </script>')).toBe('a < b and ‹/script>');
    expect(crmSubject('<!-- x --> <?php')).toBe('‹!-- x --> ‹?php');
    accepted({ ...base, subject: '<Q3> <b>bold</b>', location: '<Room 1>' });
  });

  it('control characters become a space; the result is one line', () => {
    expect(crmSubject('one\r\ntwo\u0000three\u007f')).toBe('one two three');
  });

  it('cuts at 255 UTF-16 units without splitting an emoji', () => {
    const long = `${'a'.repeat(254)}😀tail`;
    const cut = singleLineText(long);
    expect(cut).toBe('a'.repeat(254));
    expect(singleLineText('x'.repeat(300))).toHaveLength(255);
    accepted({ ...base, subject: long, location: 'L'.repeat(1000) });
  });

  it('descriptions keep tabs and newlines, lose the other controls, and fit 32,000', () => {
    expect(multiLineText('a\tb\r\nc\u0000d\u000be')).toBe('a\tb\r\ncde');
    expect(multiLineText('x'.repeat(40_000))).toHaveLength(32_000);
    accepted({ ...base, description: `bell\u0007 ${'y'.repeat(33_000)}` });
  });
});

describe('crmText: times, reminders, participants', () => {
  it('a zero-length event gets the shortest duration the contract takes', () => {
    const zero = { ...base, time: { ...base.time, end: '2026-11-25T07:00:00Z' } } as CalendarItem;
    expect(crmItem(zero).time).toMatchObject({
      start: '2026-11-25T07:00:00Z',
      end: '2026-11-25T07:01:00Z',
    });
    accepted(zero);
  });

  it('an all-day item ending on its start day ends the next day', () => {
    const day: CalendarItem = {
      ...base,
      time: {
        kind: 'allDay',
        startDate: '2026-12-31',
        endDate: '2026-12-31',
        timeZone: 'Europe/Helsinki',
      },
    };
    expect(crmItem(day).time).toMatchObject({ endDate: '2027-01-01' });
    accepted(day);
  });

  it('a reminder longer than four weeks is capped', () => {
    expect(crmItem({ ...base, reminderMinutes: 60_000 }).reminderMinutes).toBe(40_320);
    expect(crmItem({ ...base, reminderMinutes: -5 }).reminderMinutes).toBe(0);
  });

  it('sends the first 500 attendees and counts the rest', () => {
    const people: Participant[] = Array.from({ length: 537 }, (_, i) => ({
      kind: 'external',
      email: `p${i}@example.com`,
      name: `\u200f<i>Person ${i}`,
      optional: i % 2 === 0,
    }));
    const { participants, overCap } = crmParticipants(people);
    expect(participants).toHaveLength(500);
    expect(overCap).toBe(37);
    expect(participants[0]).toEqual({
      kind: 'external',
      email: 'p0@example.com',
      name: '‹i>Person 0',
      optional: true,
    });
    expect(participants[499]?.email).toBe('p499@example.com');
    accepted({ ...base, participants: people });
  });

  it('an address the contract refuses is left out; duplicates go once', () => {
    const { participants } = crmParticipants([
      { kind: 'external', email: 'not an address', optional: false },
      { kind: 'external', email: 'a@example.com', optional: false },
      { kind: 'external', email: 'a@example.com', optional: true },
      { kind: 'user', crmId: 'usr_1', optional: false },
      { kind: 'user', crmId: 'usr_1', email: 'u@example.com', optional: false },
    ]);
    expect(participants.map((p) => p.email ?? p.crmId)).toEqual(['a@example.com', 'usr_1']);
  });

  it('is idempotent and leaves an item the contract takes as it is', () => {
    expect(crmItem(base)).toEqual(base);
    const messy: CalendarItem = {
      ...base,
      subject: '\u200f<Q3>\u0000',
      time: { ...base.time, end: base.time.kind === 'timed' ? base.time.start : '' },
    } as CalendarItem;
    expect(crmItem(crmItem(messy))).toEqual(crmItem(messy));
  });

  it('cleans the changed occurrences of a series too', () => {
    const series: CalendarItem = {
      ...base,
      recurrence: {
        rrule: 'FREQ=WEEKLY',
        exdates: [],
        overrides: { '2026-12-02T09:00:00': { subject: '', location: '<b>x</b>' } },
      },
    };
    expect(crmItem(series).recurrence?.overrides?.['2026-12-02T09:00:00']).toEqual({
      subject: EMPTY_SUBJECT,
      location: '‹b>x‹/b>',
    });
    accepted(series);
  });
});
