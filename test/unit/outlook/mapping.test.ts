import { readStamp, stampFilter } from '../../../src/outlook/crmStamp';
import { eventSchema } from '../../../src/outlook/graphSchemas';
import { htmlToText, textToHtml } from '../../../src/outlook/mapping/body';
import { eventFromGraph, itemFromGraph } from '../../../src/outlook/mapping/fromGraph';
import { fromAttendees, toAttendees } from '../../../src/outlook/mapping/participants';
import { itemToGraph } from '../../../src/outlook/mapping/toGraph';
import { SyncError } from '../../../src/sync/core/errors';
import { toIanaZone } from '../../../src/sync/core/time/windowsZone';
import { sampleItem } from '../../contract/outlookCalendar.contract';

const ctx = { personZone: 'Europe/Helsinki' };
const base = {
  id: 'AAMkAD=',
  start: { dateTime: '2026-11-25T07:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-11-25T08:00:00.0000000', timeZone: 'UTC' },
  originalStartTimeZone: 'FLE Standard Time',
};
const ev = (over: Record<string, unknown> = {}) => eventSchema.parse({ ...base, ...over });

describe('time zones', () => {
  it.each([
    ['FLE Standard Time', 'Europe/Helsinki', 'Europe/Helsinki'],
    ['FLE Standard Time', 'America/New_York', 'Europe/Kyiv'],
    ['India Standard Time', 'UTC', 'Asia/Kolkata'],
    ['Eastern Standard Time', 'UTC', 'America/New_York'],
    ['Europe/Helsinki', 'UTC', 'Europe/Helsinki'],
    ['UTC', 'Europe/Helsinki', 'UTC'],
    ['tzone://Microsoft/Custom', 'UTC', null],
    [null, 'UTC', null],
  ])('%s (person in %s) → %s', (name, person, want) => {
    expect(toIanaZone(name, person)).toBe(want);
  });

  it('an unreadable zone falls back to the person’s zone', () => {
    const item = itemFromGraph(ev({ originalStartTimeZone: 'tzone://Microsoft/Custom' }), ctx);
    expect(item.time).toMatchObject({ start: '2026-11-25T07:00:00Z', timeZone: 'Europe/Helsinki' });
  });

  it('times answered in another zone (Prefer ignored) are still read right', () => {
    const item = itemFromGraph(
      ev({
        start: { dateTime: '2026-11-25T09:00:00.0000000', timeZone: 'FLE Standard Time' },
        end: { dateTime: '2026-11-25T10:00:00.0000000', timeZone: 'FLE Standard Time' },
      }),
      ctx,
    );
    expect(item.time).toMatchObject({ start: '2026-11-25T07:00:00Z', end: '2026-11-25T08:00:00Z' });
  });

  it('an event without a start is invalidResponse (SPEC X1: corrupt time)', () => {
    expect(() => itemFromGraph(ev({ start: null }), ctx)).toThrow(SyncError);
    expect(() => itemFromGraph(ev({ start: { dateTime: 'garbage' } }), ctx)).toThrow(
      /readable time/,
    );
  });
});

describe('series parts', () => {
  it('an occurrence points at its master with its original start', () => {
    const e = eventFromGraph(
      ev({ type: 'occurrence', seriesMasterId: 'M', originalStart: '2026-11-25T07:00:00Z' }),
      ctx,
    );
    expect(e.kind).toBe('occurrence');
    expect(e.item.occurrenceOf).toEqual({ seriesId: 'M', originalStart: '2026-11-25T07:00:00Z' });
    expect(e.item.recurrence).toBeNull();
  });

  it('a master carries its rule as RRULE', () => {
    const recurrence = {
      pattern: {
        type: 'relativeMonthly',
        interval: 1,
        month: 0,
        dayOfMonth: 0,
        daysOfWeek: ['wednesday'],
        firstDayOfWeek: 'sunday',
        index: 'second',
      },
      range: {
        type: 'noEnd',
        startDate: '2026-11-11',
        endDate: '0001-01-01',
        numberOfOccurrences: 0,
        recurrenceTimeZone: 'FLE Standard Time',
      },
    };
    const item = itemFromGraph(ev({ type: 'seriesMaster', recurrence }), ctx);
    expect(item.recurrence).toEqual({ rrule: 'FREQ=MONTHLY;BYDAY=WE;BYSETPOS=2', exdates: [] });
  });

  it('writing a rule Outlook cannot express is invalidRequest before anything is sent', () => {
    const item = sampleItem({ recurrence: { rrule: 'FREQ=HOURLY', exdates: [] } });
    expect(() => itemToGraph(item)).toThrow(expect.objectContaining({ code: 'invalidRequest' }));
  });
});

describe('participants (SPEC F4, F5)', () => {
  const attendees = [
    { type: 'required', emailAddress: { address: 'Boss@Contoso.example', name: 'Boss' } },
    { type: 'optional', emailAddress: { address: 'cust@fabrikam.example', name: 'Cust' } },
    { type: 'resource', emailAddress: { address: 'room4@contoso.example', name: 'Room 4' } },
    { type: 'optional', emailAddress: { address: 'ext@other.example' } },
  ] as const;
  const classify = (email: string) =>
    email === 'boss@contoso.example'
      ? { kind: 'user' as const, crmId: 'u1' }
      : email === 'cust@fabrikam.example'
        ? { kind: 'contact' as const, crmId: 'c1' }
        : null;

  it('rooms are resources, the resolver names users and contacts, the rest are external', () => {
    expect(fromAttendees([...attendees], classify)).toEqual([
      { kind: 'user', email: 'boss@contoso.example', name: 'Boss', crmId: 'u1', optional: false },
      {
        kind: 'contact',
        email: 'cust@fabrikam.example',
        name: 'Cust',
        crmId: 'c1',
        optional: true,
      },
      { kind: 'resource', email: 'room4@contoso.example', name: 'Room 4', optional: false },
      { kind: 'external', email: 'ext@other.example', optional: true },
    ]);
  });

  it('contacts stay in the CRM unless invited; resources without an address stay too', () => {
    const ps = [
      ...fromAttendees([...attendees], classify),
      { kind: 'resource' as const, name: 'Projector', crmId: 'r9', optional: false },
    ];
    expect(toAttendees(ps).map((a) => [a.type, a.emailAddress.address])).toEqual([
      ['required', 'boss@contoso.example'],
      ['resource', 'room4@contoso.example'],
      ['optional', 'ext@other.example'],
    ]);
    expect(toAttendees(ps, { inviteContacts: true })).toHaveLength(4);
  });
});

describe('bodies and what reaches Outlook', () => {
  it('Outlook HTML becomes text without markup, scripts or image sources', () => {
    const html =
      '<html><head><style>p{}</style></head><body><p>Hello <b>world</b></p>' +
      '<script>steal()</script><img src="https://t.example/p.gif"><p>Bye<br>now</p></body></html>';
    expect(htmlToText(html)).toBe('Hello world\n\nBye\nnow');
  });

  it('text becomes escaped HTML', () => {
    expect(textToHtml('a < b & "c"\n  d')).toBe(
      '<html><body>a &lt; b &amp; &quot;c&quot;<br>&nbsp; d</body></html>',
    );
  });

  it('SPEC F2: CRM-only fields never reach Outlook, even when handed in at runtime', () => {
    const withCrm = {
      ...sampleItem(),
      typeId: 't',
      relations: { customerId: 'cust' },
      completed: true,
    };
    const out = itemToGraph(withCrm);
    expect(Object.keys(out).sort()).toEqual(
      [
        'attendees',
        'body',
        'end',
        'isAllDay',
        'isReminderOn',
        'location',
        'reminderMinutesBeforeStart',
        'sensitivity',
        'showAs',
        'start',
        'subject',
      ].sort(),
    );
    expect(JSON.stringify(out)).not.toMatch(/cust|typeId|completed/);
  });

  it('the stamp filter quotes OData strings', () => {
    expect(stampFilter("o'brien")).toContain("ep/value eq 'o''brien'");
    expect(readStamp({ singleValueExtendedProperties: [] })).toBeNull();
  });
});
