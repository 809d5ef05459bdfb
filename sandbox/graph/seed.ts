import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { findInstance } from './views';
import { newChangeKey, newId } from './fields';
import type { GraphStore } from './store';
import type { CreateEventInput } from './schemas';
import type { Mailbox } from './types';

export const DEMO_MAILBOXES = [
  'anna@contoso.example',
  'ben@contoso.example',
  'carla@contoso.example',
] as const;

/** The CRM id property the product stamps on synced events (a named MAPI string property). */
export const DEMO_CRM_PROPERTY = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmActivityId';

const PEOPLE: Record<(typeof DEMO_MAILBOXES)[number], { name: string; zone: string }> = {
  'anna@contoso.example': { name: 'Anna Virtanen', zone: 'FLE Standard Time' },
  'ben@contoso.example': { name: 'Ben Keller', zone: 'W. Europe Standard Time' },
  // Europe/Rome is not on the dateTimeTimeZone page's list; its Windows name is.
  'carla@contoso.example': { name: 'Carla Rossi', zone: 'W. Europe Standard Time' },
};

export function createMailboxes(store: GraphStore): void {
  for (const address of DEMO_MAILBOXES) {
    const mbx: Mailbox = {
      address,
      displayName: PEOPLE[address].name,
      userId: randomUUID(),
      calendars: [
        {
          id: newId('AAMkCAL'),
          name: 'Calendar',
          color: 'auto',
          hexColor: '',
          isDefaultCalendar: true,
          changeKey: newChangeKey(),
        },
        {
          id: newId('AAMkCAL'),
          name: 'CRM',
          color: 'lightGreen',
          hexColor: '#87d28e',
          isDefaultCalendar: false,
          changeKey: newChangeKey(),
        },
      ],
      events: {},
    };
    store.state.mailboxes[address] = mbx;
  }
  store.changed();
}

/** A few events around "now": singles, an all-day event, a CRM-stamped event, a weekly series
 *  with one changed and one cancelled occurrence. */
export function seedDemoEvents(store: GraphStore): void {
  for (const address of DEMO_MAILBOXES) {
    const mbx = store.mailbox(address);
    const zone = PEOPLE[address].zone;
    const iana = zone === 'FLE Standard Time' ? 'Europe/Helsinki' : 'Europe/Berlin';
    const today = Temporal.Instant.fromEpochMilliseconds(store.now())
      .toZonedDateTimeISO(iana)
      .toPlainDate();
    const at = (d: Temporal.PlainDate, h: number) => ({
      dateTime: d.toPlainDateTime({ hour: h }).toString(),
      timeZone: zone,
    });
    const [main, crm] = mbx.calendars;
    if (!main || !crm) continue;
    const make = (calendarId: string, input: CreateEventInput) =>
      store.create(mbx, calendarId, input).event;
    make(main.id, {
      subject: 'Project kickoff',
      start: at(today, 10),
      end: at(today, 11),
      location: { displayName: 'Room 1' },
      body: { contentType: 'html', content: '<p>Agenda: scope, team, next steps</p>' },
    });
    make(main.id, {
      subject: 'Offsite',
      isAllDay: true,
      start: at(today.add({ days: 2 }), 0),
      end: at(today.add({ days: 3 }), 0),
      showAs: 'oof',
    });
    make(crm.id, {
      subject: 'Customer visit: Fabrikam',
      start: at(today.add({ days: 1 }), 13),
      end: at(today.add({ days: 1 }), 14),
      singleValueExtendedProperties: [
        { id: DEMO_CRM_PROPERTY, value: `demo-${address.split('@')[0] ?? ''}-1` },
      ],
    });
    const monday = today.subtract({ days: today.dayOfWeek - 1 }).subtract({ weeks: 1 });
    const series = make(main.id, {
      subject: 'Weekly planning',
      start: at(monday, 9),
      end: at(monday, 10),
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: ['monday', 'thursday'],
          firstDayOfWeek: 'monday',
        },
        range: { type: 'numbered', startDate: monday.toString(), numberOfOccurrences: 12 },
      },
    });
    const moved = findInstance(
      mbx,
      `${series.id}_${monday.add({ weeks: 1 }).toString().replaceAll('-', '')}`,
    );
    if (moved)
      store.patch(mbx, moved, {
        subject: 'Weekly planning (moved)',
        start: at(monday.add({ weeks: 1 }), 11),
        end: at(monday.add({ weeks: 1 }), 12),
      });
    const cancelled = findInstance(
      mbx,
      `${series.id}_${monday.add({ days: 10 }).toString().replaceAll('-', '')}`,
    );
    if (cancelled) store.remove(mbx, cancelled);
  }
}
