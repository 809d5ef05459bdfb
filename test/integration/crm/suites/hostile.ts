/**
 * Bad and hostile input: each answered with a 4xx problem, and the data verified unchanged
 * afterwards (the change feed from a cursor taken before shows nothing new).
 */
import { DEMO } from '../../../../sandbox/crm/index';
import type { Activity } from '../../../../sandbox/crm/schemas/activity';
import { type Api, type Problem, type Res, startTestServer, type TestServer } from '../harness';
import { idem, newActivity } from './fixtures';

type Page = { items: unknown[]; nextCursor: string };

export function hostileSuite(): void {
  describe('bad and hostile input', () => {
    let s: TestServer;
    let anna: Api;
    let cursor: string;
    let before: Activity;
    const target = '/api/v1/activities/act_visit_northwind';

    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn();
      cursor = (await anna.get<Page>('/api/v1/activities/changes?limit=500')).body.nextCursor;
      before = (await anna.get<Activity>(target)).body;
    });
    afterAll(async () => {
      await s.close();
    });

    afterEach(async () => {
      const feed = await anna.get<Page>(`/api/v1/activities/changes?cursor=${cursor}`);
      expect(feed.body.items).toEqual([]);
      expect((await anna.get<Activity>(target)).body).toEqual(before);
    });

    const expectProblem = (res: Res<Problem>, status: number, code?: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, type: expect.stringContaining('/problems/') });
      if (code) expect(res.body.code).toBe(code);
    };
    const create = (body: unknown) => anna.post('/api/v1/activities', body, idem());
    const patch = (body: unknown) =>
      anna.patch(target, body, { headers: { 'if-match': before.etag } });

    it('malformed JSON, wrong media type, oversized body', async () => {
      expectProblem(
        await anna.call('POST', '/api/v1/activities', { raw: '{"subject": ', ...idem() }),
        400,
        'malformed-json',
      );
      expectProblem(
        await anna.call('PATCH', target, { raw: '[1,', headers: { 'if-match': before.etag } }),
        400,
        'malformed-json',
      );
      expectProblem(
        await anna.call('POST', '/api/v1/activities', {
          raw: 'subject=x',
          contentType: 'text/plain',
          ...idem(),
        }),
        415,
        'unsupported-media-type',
      );
      const huge = JSON.stringify(newActivity({ description: 'x'.repeat(300 * 1024) }));
      expectProblem(
        await anna.call('POST', '/api/v1/activities', { raw: huge, ...idem() }),
        413,
        'body-too-large',
      );
    });

    it('wrong types and unknown fields', async () => {
      const wrong = await create(newActivity({ subject: 5, private: 'yes' }));
      expectProblem(wrong, 400, 'validation-failed');
      expect(wrong.body.errors?.map((e) => e.path).sort()).toEqual(['/private', '/subject']);
      expectProblem(await create(newActivity({ isAdmin: true })), 400, 'validation-failed');
      expectProblem(await patch({ ownerId: 'usr_ben' }), 400);
      expectProblem(await patch({ participants: [{ kind: 'robot', id: 'x' }] }), 400);
      expectProblem(await anna.get('/api/v1/activities/changes?limit=many'), 400);
    });

    it('missing or wrong API key, wrong key type, expired token', async () => {
      const body = newActivity();
      expectProblem(
        await anna.withKey(null).post('/api/v1/activities', body, idem()),
        401,
        'missing-api-key',
      );
      expectProblem(
        await anna.withKey('sandbox-outlook-keyX').post('/api/v1/activities', body, idem()),
        401,
        'invalid-api-key',
      );
      expectProblem(
        await anna.withKey(DEMO.adminApiKey).post('/api/v1/activities', body, idem()),
        403,
        'wrong-api-key-type',
      );
      s.clock.advance(901);
      expectProblem(await anna.post('/api/v1/activities', body, idem()), 401, 'token-expired');
      anna = await s.signIn();
    });

    it('markup, bidi and control characters in single-line text', async () => {
      for (const subject of [
        '<script>alert(1)</script>',
        'Meeting <img src=x onerror=alert(1)>',
        '</textarea>',
        '<!-- x -->',
        'Invoice \u202Egpj.exe',
        'Hi\u2066there',
        'left\u200Fright',
        'tab\there',
        'line\nbreak',
        'nul\u0000',
      ]) {
        expectProblem(await create(newActivity({ subject })), 400, 'validation-failed');
      }
      expectProblem(await patch({ location: '<b>Room</b>' }), 400);
      expectProblem(await create(newActivity({ description: 'bell\u0007' })), 400);
      expectProblem(
        await create(
          newActivity({
            participants: [{ kind: 'external', name: '<svg>', email: 'a@b.example' }],
          }),
        ),
        400,
      );
    });

    it('overlong strings', async () => {
      expectProblem(await create(newActivity({ subject: 'x'.repeat(10_000) })), 400);
      expectProblem(await create(newActivity({ subject: 'x'.repeat(256) })), 400);
      expectProblem(await create(newActivity({ description: 'x'.repeat(32_001) })), 400);
      expectProblem(await patch({ subject: 'y'.repeat(10_000) }), 400);
    });

    it('invalid dates, zones and rules', async () => {
      const cases = [
        { start: '2026-02-30T25:00:00Z' },
        { start: '2026-02-29T10:00:00Z' },
        { end: '2026-03-10T06:00:00Z' },
        { start: 'tomorrow' },
        { start: '2026-03-10T09:00:00' },
        { timeZone: 'Mars/Olympus_Mons' },
        { recurrence: { rrule: 'FREQ=HOURLY' } },
        { recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2;UNTIL=20260401' } },
        { recurrence: { rrule: 'RRULE:FREQ=WEEKLY' } },
        { recurrence: { rrule: 'FREQ=WEEKLY', exdates: ['2026-13-01T09:00:00'] } },
        { reminderMinutesBeforeStart: -5 },
      ];
      for (const c of cases) expectProblem(await create(newActivity(c)), 400);
      const override = { '2026-03-17T09:00:00': { end: '2026-03-01T00:00:00Z' } };
      expectProblem(
        await create(newActivity({ recurrence: { rrule: 'FREQ=WEEKLY', overrides: override } })),
        422,
        'invalid-activity',
      );
      expectProblem(await patch({ start: '2026-03-05T25:61:00Z' }), 400);
    });

    it('unknown routes and methods', async () => {
      expectProblem(await anna.get('/api/v1/nothing-here'), 404, 'route-not-found');
      expectProblem(await anna.call('PUT', '/api/v1/activities'), 404, 'route-not-found');
    });
  });

  describe('harmless look-alikes are accepted', () => {
    it('allows a lone "<", non-Latin text and emoji', async () => {
      const s = await startTestServer();
      try {
        const anna = await s.signIn();
        const subject = 'Budget < 10k: Jyväskylä 会議 📅';
        const res = await anna.post<Activity>(
          '/api/v1/activities',
          newActivity({ subject }),
          idem(),
        );
        expect([res.status, res.body.subject]).toEqual([201, subject]);
      } finally {
        await s.close();
      }
    });
  });
}
