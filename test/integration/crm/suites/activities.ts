/** Activities: window listing, reads, idempotent creates, series and participants. */
import { DEMO } from '../../../../sandbox/crm/index';
import type { Activity } from '../../../../sandbox/crm/schemas/activity';
import { type Api, startTestServer, type TestServer } from '../harness';
import { ANNA_VISIBLE, idem, newActivity } from './fixtures';

type Items = { items: Activity[] };
const window = (from: string, to: string) =>
  `/api/v1/activities?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

export function activitiesSuite(): void {
  describe('activities: list, read, create', () => {
    let s: TestServer;
    let anna: Api;
    let ben: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
      ben = await s.signIn(DEMO.users[1]);
    });
    afterAll(() => s.close());

    it('lists what the user owns or takes part in, overlapping the window', async () => {
      const res = await anna.get<Items>(window('2026-02-01T00:00:00Z', '2026-04-01T00:00:00Z'));
      expect(res.body.items.map((a) => a.id).sort()).toEqual(ANNA_VISIBLE);
      expect(res.body.items.every((a) => a.etag.startsWith('"'))).toBe(true);
      const weekly = res.body.items.find((a) => a.id === 'act_weekly_team');
      expect(weekly?.recurrence?.rrule).toBe('FREQ=WEEKLY;BYDAY=MO');
      expect(Object.values(weekly?.recurrence?.overrides ?? {})).toContainEqual({
        cancelled: true,
      });
      expect(new Set(weekly?.participants.map((p) => p.kind))).toEqual(
        new Set(['user', 'resource']),
      );
      const steering = res.body.items.find((a) => a.id === 'act_monthly_steering');
      expect(steering?.participants.map((p) => p.kind).sort()).toEqual([
        'contact',
        'external',
        'resource',
      ]);
    });

    it('includes endless series long after they started, but not ended ones', async () => {
      const res = await anna.get<Items>(window('2026-09-01T00:00:00Z', '2026-09-08T00:00:00Z'));
      const ids = res.body.items.map((a) => a.id);
      expect(ids).toEqual(expect.arrayContaining(['act_weekly_team', 'act_monthly_steering']));
      expect(ids).not.toContain('act_daily_standup');
      expect(ids).not.toContain('act_visit_northwind');
    });

    it('rejects bad windows', async () => {
      const reversed = await anna.get(window('2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z'));
      expect([reversed.status, reversed.body.code]).toEqual([400, 'invalid-window']);
      expect((await anna.get('/api/v1/activities?from=2026-03-01T00:00:00Z')).status).toBe(400);
      expect((await anna.get(window('2026-02-30T00:00:00Z', '2026-03-01T00:00:00Z'))).status).toBe(
        400,
      );
    });

    it('reads a visible activity with its ETag and hides others', async () => {
      const res = await anna.get<Activity>('/api/v1/activities/act_visit_northwind');
      expect(res.headers.get('etag')).toBe(res.body.etag);
      expect(res.body.participants).toContainEqual({
        kind: 'contact',
        contactId: 'con_northwind_sven',
        optional: false,
        name: 'Sven Svensson',
        email: 'sven@northwind.example',
      });
      expect((await anna.get('/api/v1/activities/act_carla_private')).status).toBe(404);
      expect((await anna.get('/api/v1/activities/act_none')).status).toBe(404);
    });

    it('creates with participants of all kinds, a series, exceptions and relations', async () => {
      const body = newActivity({
        subject: 'Quarterly review',
        participants: [
          { kind: 'user', userId: 'usr_ben' },
          { kind: 'contact', contactId: 'con_fabrikam_liisa', optional: true },
          { kind: 'resource', resourceId: 'res_room_fjord' },
          { kind: 'external', name: 'Eve', email: 'eve@partner.example' },
        ],
        recurrence: {
          rrule: 'FREQ=MONTHLY;BYDAY=2WE;COUNT=6',
          exdates: ['2026-05-13T09:00:00'],
          overrides: {
            '2026-04-08T09:00:00': {
              start: '2026-04-09T09:00:00+03:00',
              end: '2026-04-09T10:00:00+03:00',
            },
            '2026-06-10T09:00:00': { cancelled: true },
          },
        },
        relations: { customerId: 'cus_fabrikam', projectId: 'prj_fabrikam_crm' },
        reminderMinutesBeforeStart: null,
        showAs: 'tentative',
      });
      const res = await anna.post<Activity>('/api/v1/activities', body, idem());
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/v1/activities/${res.body.id}`);
      expect(res.body).toMatchObject({
        ownerId: 'usr_anna',
        version: 1,
        start: '2026-03-10T07:00:00Z',
        reminderMinutesBeforeStart: null,
        relations: { customerId: 'cus_fabrikam', projectId: 'prj_fabrikam_crm', salesCaseId: null },
      });
      expect(res.body.recurrence?.overrides['2026-04-08T09:00:00']?.start).toBe(
        '2026-04-09T06:00:00Z',
      );
      expect(res.body.participants.find((p) => p.kind === 'user')?.name).toBe('Ben Berg');
      // Ben takes part, so he sees it too.
      expect((await ben.get(`/api/v1/activities/${res.body.id}`)).status).toBe(200);
    });

    it('creates all-day activities with dates only', async () => {
      const ok = await anna.post<Activity>(
        '/api/v1/activities',
        newActivity({ allDay: true, start: '2026-03-20', end: '2026-03-21' }),
        idem(),
      );
      expect([ok.status, ok.body.start, ok.body.allDay]).toEqual([201, '2026-03-20', true]);
      const mixed = await anna.post('/api/v1/activities', newActivity({ allDay: true }), idem());
      expect(mixed.status).toBe(400);
    });

    it('the reference CRM refuses a date-only UNTIL on a timed series', async () => {
      // RFC 5545 §3.3.10: with a zoned DTSTART, UNTIL MUST be a UTC date-time; with a DATE
      // DTSTART it MUST be a DATE.
      type Problem = { code?: string; errors?: { path: string; message: string }[] };
      const series = (rrule: string, extra: Record<string, unknown> = {}) =>
        anna.post<Activity & Problem>(
          '/api/v1/activities',
          newActivity({ recurrence: { rrule }, ...extra }),
          idem(),
        );
      const untilPath = [expect.objectContaining({ path: '/recurrence/rrule' })];
      const dateOnly = await series('FREQ=DAILY;UNTIL=20260320');
      expect([dateOnly.status, dateOnly.body.code]).toEqual([422, 'invalid-activity']);
      expect(dateOnly.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(dateOnly.body.errors).toEqual(untilPath);
      expect(dateOnly.body.errors?.[0]?.message).toMatch(/UTC date-time UNTIL/);

      const utc = await series('FREQ=DAILY;UNTIL=20260320T070000Z');
      expect([utc.status, utc.body.recurrence?.rrule]).toEqual([
        201,
        'FREQ=DAILY;UNTIL=20260320T070000Z',
      ]);

      const allDay = { allDay: true, start: '2026-03-10', end: '2026-03-11' };
      const allDayUtc = await series('FREQ=DAILY;UNTIL=20260320T070000Z', allDay);
      expect([allDayUtc.status, allDayUtc.body.code]).toEqual([422, 'invalid-activity']);
      expect(allDayUtc.body.errors).toEqual(untilPath);
      expect((await series('FREQ=DAILY;UNTIL=20260320', allDay)).status).toBe(201);

      // A PATCH that makes the timed series all-day without fixing its UNTIL is refused too.
      const flip = await anna.patch<Problem>(`/api/v1/activities/${utc.body.id}`, allDay, {
        headers: { 'if-match': utc.body.etag },
      });
      expect([flip.status, flip.body.code]).toEqual([422, 'invalid-activity']);
      expect(flip.body.errors).toEqual(untilPath);
    });

    it('replays a create with the same Idempotency-Key and refuses another body', async () => {
      const key = { headers: { 'idempotency-key': 'outbox-1' } };
      const first = await anna.post<Activity>('/api/v1/activities', newActivity(), key);
      const again = await anna.post<Activity>('/api/v1/activities', newActivity(), key);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const other = await anna.post('/api/v1/activities', newActivity({ subject: 'Other' }), key);
      expect([other.status, other.body.code]).toEqual([422, 'idempotency-key-reused']);
      // Keys are scoped per user: Ben's "outbox-1" is a different create.
      const bens = await ben.post<Activity>('/api/v1/activities', newActivity(), key);
      expect(bens.status).toBe(201);
      expect(bens.body.id).not.toBe(first.body.id);
      const missing = await anna.post('/api/v1/activities', newActivity());
      expect(missing.status).toBe(400);
    });

    it('refuses references to things that do not exist, listing each', async () => {
      const res = await anna.post(
        '/api/v1/activities',
        newActivity({
          typeId: 'typ_none',
          participants: [{ kind: 'contact', contactId: 'con_none' }],
          relations: { salesCaseId: 'sc_none' },
        }),
        idem(),
      );
      expect([res.status, res.body.code]).toEqual([422, 'invalid-activity']);
      expect(res.body.errors?.map((e) => e.path).sort()).toEqual([
        '/participants/0',
        '/relations/salesCaseId',
        '/typeId',
      ]);
    });
  });
}
