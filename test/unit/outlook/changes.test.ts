/**
 * Issue 12, item 2 and 4: an update PATCHes only what differs, splices a new description into
 * the HTML Outlook holds, keeps the other locations, never writes times or attendees onto a
 * meeting someone else organises, and names zones the Windows way.
 */
import {
  CRM_CONTACT_ID_PROPERTY,
  CRM_ID_PROPERTY,
  EXPAND_STAMP,
  expandStamp,
  LEGACY_CRM_CONTACT_ID_PROPERTY,
  LEGACY_CRM_ID_PROPERTY,
  readStamp,
  stampProperty,
} from '../../../src/outlook/crmStamp';
import { eventSchema, type GraphEvent } from '../../../src/outlook/graphSchemas';
import { htmlToText } from '../../../src/outlook/mapping/body';
import { spliceDescription } from '../../../src/outlook/mapping/bodySplice';
import { locationsFor, patchFor } from '../../../src/outlook/mapping/changes';
import { itemFromGraph } from '../../../src/outlook/mapping/fromGraph';
import { itemToGraph } from '../../../src/outlook/mapping/toGraph';
import { toWindowsZone } from '../../../src/sync/core/time/windowsZone';
import { sampleItem } from '../../contract/outlookCalendar.contract';

const JOIN = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0';
const BLOB =
  '<div style="width:100%"><span>________________________________</span></div>' +
  `<div class="me-email-text"><a class="me-email-headline" href="${JOIN}">Join the meeting now</a>` +
  '<div><span>Meeting ID: </span><span>123 456</span></div></div>' +
  '<div style="width:100%"><span>________________________________</span></div>';
const WRAPPED = (inner: string) =>
  '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n' +
  `</head>\r\n<body>\r\n${inner}\r\n</body>\r\n</html>\r\n`;

const ctx = { personZone: 'Europe/Helsinki' };

/** What Graph would answer for `item` written by the adapter, with extra raw fields. */
function stored(over: Record<string, unknown> = {}): GraphEvent {
  const g = itemToGraph(sampleItem());
  return eventSchema.parse({
    id: 'AAMk=',
    '@odata.etag': 'W/"1"',
    type: 'singleInstance',
    subject: g.subject,
    body: g.body,
    start: { dateTime: '2026-11-25T07:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2026-11-25T08:00:00.0000000', timeZone: 'UTC' },
    originalStartTimeZone: g.start.timeZone,
    isAllDay: g.isAllDay,
    location: g.location,
    sensitivity: g.sensitivity,
    showAs: g.showAs,
    isReminderOn: g.isReminderOn,
    reminderMinutesBeforeStart: g.reminderMinutesBeforeStart ?? 15,
    attendees: g.attendees,
    isOrganizer: true,
    ...over,
  });
}

describe('spliceDescription', () => {
  it('replaces only the changed block and keeps the online-meeting blob byte for byte', () => {
    const html = WRAPPED(`<p><b>Agenda</b></p><p>Old line</p><ul><li>keep me</li></ul>${BLOB}`);
    const text = htmlToText(html).replace('Old line', 'New line');
    const out = spliceDescription(html, text);
    expect(out).toContain(BLOB);
    expect(out).toContain('<p><b>Agenda</b></p>');
    expect(out).toContain('<ul><li>keep me</li></ul>');
    expect(out).not.toContain('Old line');
    expect(out).toContain('New line');
    expect(out.startsWith('<html>\r\n<head>')).toBe(true);
  });

  it('keeps the blob when the CRM text lost it', () => {
    const out = spliceDescription(WRAPPED(`<p>Notes</p>${BLOB}`), 'Only this now');
    expect(out).toContain(BLOB);
    expect(out).toContain('Only this now');
    expect(out).not.toContain('<p>Notes</p>');
  });

  it('escapes hostile CRM text: nothing becomes markup', () => {
    const out = spliceDescription(WRAPPED('<p>Notes</p>'), '<img src=x onerror=alert(1)>');
    expect(out).not.toMatch(/<img/i);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('returns the body unchanged when its text already reads as the description', () => {
    const html = WRAPPED(`<p>Same</p>${BLOB}`);
    expect(spliceDescription(html, htmlToText(html))).toBe(html);
  });
});

describe('patchFor', () => {
  const options = { ...ctx, organizer: true };

  it('sends nothing when nothing differs', () => {
    const current = stored();
    expect(patchFor(current, itemFromGraph(current, ctx), options)).toEqual({});
  });

  it('a location edit sends the location alone, never attendees, times or body', () => {
    const current = stored({
      attendees: [{ type: 'required', emailAddress: { address: 'guest@partner.example' } }],
      body: { contentType: 'html', content: WRAPPED(`<p>x</p>${BLOB}`) },
    });
    const item = { ...itemFromGraph(current, ctx), location: 'Room 9' };
    expect(patchFor(current, item, options)).toEqual({ location: { displayName: 'Room 9' } });
  });

  it('a location edit keeps the other locations (a room keeps its address)', () => {
    const room = { displayName: 'Room A', locationEmailAddress: 'room-a@contoso.example' };
    const current = stored({
      location: { displayName: 'Room A; Lobby' },
      locations: [room, { displayName: 'Lobby' }],
    });
    const item = { ...itemFromGraph(current, ctx), location: 'Room A; Cafe' };
    expect(patchFor(current, item, options)).toEqual({
      locations: [room, { displayName: 'Cafe' }],
    });
    expect(locationsFor([room], 'Room A')).toEqual([room]);
  });

  it('a meeting someone else organises never gets times or attendees', () => {
    const current = stored({ isOrganizer: false });
    const item = {
      ...itemFromGraph(current, ctx),
      subject: 'Renamed',
      time: {
        kind: 'timed' as const,
        start: '2026-11-25T09:00:00Z',
        end: '2026-11-25T10:00:00Z',
        timeZone: 'Europe/Helsinki',
      },
      participants: [{ kind: 'external' as const, email: 'x@y.example', optional: false }],
    };
    expect(patchFor(current, item, { ...ctx, organizer: false })).toEqual({ subject: 'Renamed' });
  });

  it('a time edit names the zone the Windows way', () => {
    const current = stored();
    const item = {
      ...itemFromGraph(current, ctx),
      time: {
        kind: 'timed' as const,
        start: '2026-11-25T09:00:00Z',
        end: '2026-11-25T10:00:00Z',
        timeZone: 'Europe/Helsinki',
      },
    };
    expect(patchFor(current, item, options)).toEqual({
      start: { dateTime: '2026-11-25T11:00:00', timeZone: 'FLE Standard Time' },
      end: { dateTime: '2026-11-25T12:00:00', timeZone: 'FLE Standard Time' },
      isAllDay: false,
    });
  });
});

describe('zones go out as Windows names (issue 12, item 4)', () => {
  it.each([
    ['Europe/Helsinki', 'FLE Standard Time'],
    ['Europe/Kyiv', 'FLE Standard Time'],
    ['Asia/Kolkata', 'India Standard Time'],
    ['Europe/Stockholm', 'W. Europe Standard Time'],
    ['UTC', 'UTC'],
  ])('%s → %s', (iana, windows) => {
    expect(toWindowsZone(iana)).toBe(windows);
  });
});

describe('the stamp property (issue 12, item 7)', () => {
  it('is written in the product-owned namespace, not Microsoft’s example GUID', () => {
    expect(stampProperty('act_1')).toEqual([{ id: CRM_ID_PROPERTY, value: 'act_1' }]);
    expect(CRM_ID_PROPERTY).not.toContain('66f5a359');
  });

  it('reads the legacy stamp so existing links survive, the new one first', () => {
    const legacy = {
      singleValueExtendedProperties: [{ id: LEGACY_CRM_ID_PROPERTY, value: 'old' }],
    };
    expect(readStamp(legacy)).toBe('old');
    const both = {
      singleValueExtendedProperties: [
        { id: LEGACY_CRM_ID_PROPERTY, value: 'old' },
        { id: CRM_ID_PROPERTY, value: 'new' },
      ],
    };
    expect(readStamp(both)).toBe('new');
  });

  it('unstamping clears the legacy stamp too', () => {
    expect(stampProperty(null).map((p) => p.id)).toEqual([CRM_ID_PROPERTY, LEGACY_CRM_ID_PROPERTY]);
  });

  it('the contact stamp moved to the same GUID, the old one still read, expanded and cleared', () => {
    expect(CRM_CONTACT_ID_PROPERTY).toBe(
      'String {69621f7a-e395-434d-ba77-c056b27f752e} Name CrmContactId',
    );
    expect(LEGACY_CRM_CONTACT_ID_PROPERTY).toContain('66f5a359');
    expect(stampProperty('con_1', CRM_CONTACT_ID_PROPERTY)).toEqual([
      { id: CRM_CONTACT_ID_PROPERTY, value: 'con_1' },
    ]);
    const legacy = {
      singleValueExtendedProperties: [{ id: LEGACY_CRM_CONTACT_ID_PROPERTY, value: 'con_old' }],
    };
    expect(readStamp(legacy, CRM_CONTACT_ID_PROPERTY)).toBe('con_old');
    // The event stamp is not read in place of the contact one, nor the other way round.
    expect(readStamp(legacy)).toBeNull();
    expect(expandStamp(CRM_CONTACT_ID_PROPERTY)).toContain(LEGACY_CRM_CONTACT_ID_PROPERTY);
    expect(EXPAND_STAMP).not.toContain('CrmContactId');
    expect(stampProperty(null, CRM_CONTACT_ID_PROPERTY).map((p) => p.id)).toEqual([
      CRM_CONTACT_ID_PROPERTY,
      LEGACY_CRM_CONTACT_ID_PROPERTY,
    ]);
  });
});
