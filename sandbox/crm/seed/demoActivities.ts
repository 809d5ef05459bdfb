/**
 * A month of demo activities around "now" (the injected clock): single, all-day, private,
 * cancelled and completed ones, and series — weekly with a moved and a cancelled occurrence
 * and an EXDATE, monthly "2nd Wednesday", "last day of the month", daily with a COUNT —
 * with participants of all four kinds.
 */
import type { Db } from '../db/open';
import { type ActivityData, ActivityStore } from '../domain/activityStore';
import { createClock } from '../domain/clock';
import type { Recurrence } from '../schemas/activity';
import {
  addDays,
  formatDate,
  formatLocal,
  type LocalDate,
  localDateOf,
  utcString,
  weekday,
  zonedToUtc,
} from './zoned';

const HKI = 'Europe/Helsinki';
const NO_RELATIONS = { customerId: null, projectId: null, salesCaseId: null };

function timed(day: LocalDate, hour: number, minutes: number, zone = HKI, minute = 0) {
  const start = zonedToUtc(zone, day.y, day.m, day.d, hour, minute);
  return {
    allDay: false,
    start: utcString(start),
    end: utcString(start + minutes * 60_000),
    timeZone: zone,
  };
}

function activity(
  fields: Partial<ActivityData> & Pick<ActivityData, 'subject' | 'start' | 'end'>,
): ActivityData {
  return {
    description: '',
    allDay: false,
    timeZone: HKI,
    location: null,
    private: false,
    showAs: 'busy',
    reminderMinutesBeforeStart: 15,
    typeId: 'typ_meeting',
    completed: false,
    cancelled: false,
    participants: [],
    recurrence: null,
    relations: NO_RELATIONS,
    outlookLinks: [],
    ...fields,
  };
}

function secondWednesday(y: number, m: number): LocalDate {
  const first = { y, m, d: 1 };
  return addDays(first, ((3 - weekday(first) + 7) % 7) + 7);
}

export function seedDemoActivities(db: Db, now: number): void {
  const store = new ActivityStore(
    db,
    createClock(() => now),
    Number.MAX_SAFE_INTEGER,
  );
  const add = (owner: string, id: string, data: ActivityData) =>
    store.insert('cmp_contoso', owner, data, id);
  const today = localDateOf(HKI, now);
  const day = (n: number) => addDays(today, n);
  const monday = addDays(today, -((weekday(today) + 6) % 7) - 14);

  // The 4th Monday moves to 10:00, the 5th is cancelled, the 6th is excluded (EXDATE).
  const moved = timed(addDays(monday, 21), 10, 30);
  const weekly: Recurrence = {
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    exdates: [formatLocal(addDays(monday, 35), 9)],
    overrides: {
      [formatLocal(addDays(monday, 21), 9)]: {
        start: moved.start,
        end: moved.end,
        subject: 'Team meeting (moved)',
      },
      [formatLocal(addDays(monday, 28), 9)]: { cancelled: true },
    },
  };
  add(
    'usr_anna',
    'act_weekly_team',
    activity({
      ...timed(monday, 9, 30),
      subject: 'Weekly team meeting',
      description: 'Agenda in the team channel.\nBring your numbers.',
      typeId: 'typ_internal',
      location: 'Meeting room Aurora',
      participants: [
        { kind: 'user', userId: 'usr_ben', optional: false },
        { kind: 'user', userId: 'usr_carla', optional: true },
        { kind: 'resource', resourceId: 'res_room_aurora', optional: false },
      ],
      recurrence: weekly,
    }),
  );

  const wed = secondWednesday(today.y, today.m);
  add(
    'usr_anna',
    'act_monthly_steering',
    activity({
      ...timed(wed, 14, 60),
      subject: 'Fabrikam steering group',
      typeId: 'typ_meeting',
      participants: [
        { kind: 'contact', contactId: 'con_fabrikam_liisa', optional: false },
        { kind: 'external', name: 'Olli Ojala', email: 'olli@consulting.example', optional: true },
        { kind: 'resource', resourceId: 'res_projector', optional: false },
      ],
      recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=2WE', exdates: [], overrides: {} },
      relations: { customerId: 'cus_fabrikam', projectId: 'prj_fabrikam_crm', salesCaseId: null },
    }),
  );

  add(
    'usr_anna',
    'act_month_end_report',
    activity({
      // DTSTART must be an occurrence: the last day of the previous month.
      ...timed(addDays({ y: today.y, m: today.m, d: 1 }, -1), 15, 60),
      subject: 'Month-end report',
      typeId: 'typ_task',
      showAs: 'tentative',
      recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', exdates: [], overrides: {} },
    }),
  );

  add(
    'usr_ben',
    'act_daily_standup',
    activity({
      ...timed(day(-3), 8, 15),
      subject: 'Portal stand-up',
      typeId: 'typ_internal',
      reminderMinutesBeforeStart: null,
      participants: [{ kind: 'user', userId: 'usr_anna', optional: true }],
      recurrence: { rrule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20', exdates: [], overrides: {} },
      relations: {
        customerId: 'cus_northwind',
        projectId: 'prj_northwind_portal',
        salesCaseId: null,
      },
    }),
  );

  add(
    'usr_anna',
    'act_visit_northwind',
    activity({
      ...timed(day(1), 13, 120),
      subject: 'Visit Northwind: support contract',
      typeId: 'typ_visit',
      location: 'Northwind office, Stockholm',
      participants: [
        { kind: 'contact', contactId: 'con_northwind_sven', optional: false },
        { kind: 'contact', contactId: 'con_northwind_ingrid', optional: true },
        { kind: 'user', userId: 'usr_carla', optional: false },
      ],
      relations: {
        customerId: 'cus_northwind',
        projectId: null,
        salesCaseId: 'sc_northwind_upsell',
      },
    }),
  );
  add(
    'usr_anna',
    'act_call_tailspin',
    activity({
      ...timed(day(2), 10, 30),
      subject: 'Call Giulia about licences',
      typeId: 'typ_call',
      participants: [{ kind: 'contact', contactId: 'con_tailspin_giulia', optional: false }],
      relations: {
        customerId: 'cus_tailspin',
        projectId: null,
        salesCaseId: 'sc_tailspin_licences',
      },
    }),
  );
  add(
    'usr_anna',
    'act_dentist',
    activity({
      ...timed(day(3), 16, 60),
      subject: 'Dentist',
      typeId: 'typ_personal',
      private: true,
      showAs: 'oof',
    }),
  );
  add(
    'usr_carla',
    'act_trade_fair',
    activity({
      allDay: true,
      start: formatDate(day(7)),
      end: formatDate(day(10)),
      timeZone: 'Europe/Stockholm',
      subject: 'Nordic trade fair',
      typeId: 'typ_other',
      showAs: 'workingElsewhere',
      location: 'Stockholmsmässan',
      reminderMinutesBeforeStart: 1440,
      participants: [{ kind: 'user', userId: 'usr_anna', optional: false }],
    }),
  );
  add(
    'usr_anna',
    'act_cancelled_lunch',
    activity({
      ...timed(day(-1), 12, 60),
      subject: 'Lunch with Fabrikam',
      cancelled: true,
      participants: [{ kind: 'contact', contactId: 'con_fabrikam_mikko', optional: false }],
    }),
  );
  add(
    'usr_anna',
    'act_done_offer',
    activity({
      ...timed(day(-6), 9, 90),
      subject: 'Prepare Tailspin offer',
      typeId: 'typ_task',
      completed: true,
      showAs: 'free',
    }),
  );
  add(
    'usr_ben',
    'act_workshop',
    activity({
      ...timed(day(8), 12, 180),
      subject: 'Portal design workshop',
      typeId: 'typ_internal',
      location: 'Meeting room Fjord',
      participants: [
        { kind: 'user', userId: 'usr_anna', optional: false },
        { kind: 'user', userId: 'usr_carla', optional: true },
        { kind: 'resource', resourceId: 'res_room_fjord', optional: false },
        { kind: 'external', email: 'designer@studio.example', optional: false },
      ],
    }),
  );
  add(
    'usr_carla',
    'act_carla_private',
    activity({
      ...timed(day(2), 9, 60, 'Europe/Stockholm'),
      subject: 'Carla: pipeline review',
      timeZone: 'Europe/Stockholm',
      typeId: 'typ_meeting',
    }),
  );
}
