/**
 * Issue 16, item 3: the optional bulk operations over real HTTP — announced in GET /capabilities,
 * each item done as its single operation would do it (idempotency keys, If-Match, rules, change
 * log), one result per item, the limits refused whole.
 */
import { DEMO } from '../../../../sandbox/crm/index';
import type { Activity } from '../../../../sandbox/crm/schemas/activity';
import { type Problem, startTestServer, type TestServer } from '../harness';
import { idem, newActivity } from './fixtures';
import { serverWithTeam } from './signedIn';

type Result =
  | { ok: true; status: number; replayed?: boolean; activity: Activity }
  | { ok: false; status: number; problem: Problem };
interface Results {
  results: Result[];
}
interface ChangePage {
  items: Array<{ id: string }>;
  nextCursor: string;
}

let seq = 0;
const key = () => `bulk-${seq++}`;
const activityOf = (r: Result | undefined): Activity => {
  if (!r?.ok) throw new Error(`expected a success, got ${JSON.stringify(r)}`);
  return r.activity;
};
const problemOf = (r: Result | undefined): [number, string, Problem] => {
  if (!r || r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
  return [r.status, r.problem.code, r.problem];
};

export function bulkSuite(): void {
  describe('bulk operations (optional, issue 16)', () => {
    const team = serverWithTeam();

    const bulkCreate = (items: unknown[], who = team.anna) =>
      who.post<Results>('/api/v1/activities/bulk-create', { items });
    const bulkUpdate = (items: unknown[], who = team.anna) =>
      who.post<Results>('/api/v1/activities/bulk-update', { items });
    const bulkLink = (items: unknown[], who = team.anna) =>
      who.post<Results>('/api/v1/activities/bulk-outlook-link', { items });
    const bulkRead = (ids: unknown[], who = team.anna) =>
      who.post<Results>('/api/v1/activities/bulk-read', { ids });
    const created = async (overrides: Record<string, unknown> = {}) =>
      (await team.anna.post<Activity>('/api/v1/activities', newActivity(overrides), idem())).body;

    it('announces the bulk operations and their limits to any valid key', async () => {
      const caps = await team.server.api.get<{ bulk?: Record<string, unknown> }>(
        '/api/v1/capabilities',
      );
      expect(caps.status).toBe(200);
      expect(caps.body.bulk).toEqual({
        operations: [
          'bulkCreateActivities',
          'bulkUpdateActivities',
          'bulkReadActivities',
          'bulkSetOutlookLinks',
        ],
        maxItems: 100,
        maxBodyBytes: 256 * 1024,
      });
      expect((await team.server.admin.get('/api/v1/capabilities')).status).toBe(200);
      const noKey = await team.server.api.withKey(null).get('/api/v1/capabilities');
      expect([noKey.status, noKey.body.code]).toEqual([401, 'missing-api-key']);
    });

    it('creates each item on its own: results in order, in the change log like single creates', async () => {
      const { nextCursor } = (await team.anna.get<ChangePage>('/api/v1/activities/changes')).body;
      const res = await bulkCreate([
        { idempotencyKey: key(), activity: newActivity({ subject: 'One' }) },
        { idempotencyKey: key(), activity: newActivity({ subject: 'Two', location: 'Room 1' }) },
      ]);
      expect(res.status).toBe(200);
      const [one, two] = res.body.results.map(activityOf);
      expect(res.body.results.map((r) => [r.status, r.ok])).toEqual([
        [201, true],
        [201, true],
      ]);
      expect([one?.subject, two?.subject, two?.location]).toEqual(['One', 'Two', 'Room 1']);
      expect(one?.ownerId).toBe('usr_anna');
      const read = await team.anna.get<Activity>(`/api/v1/activities/${one?.id ?? ''}`);
      expect(read.body).toEqual(one);
      expect(read.headers.get('etag')).toBe(one?.etag);
      const since = await team.anna.get<ChangePage>(
        `/api/v1/activities/changes?cursor=${nextCursor}`,
      );
      expect(since.body.items.map((i) => i.id)).toEqual([one?.id, two?.id]);
    });

    it('gives an invalid item its own 400 or 422 and still creates the others', async () => {
      const res = await bulkCreate([
        { idempotencyKey: key(), activity: newActivity({ subject: 'Kept' }) },
        // A rule only the server checks (a type that does not exist): 422, as the single create.
        { idempotencyKey: key(), activity: newActivity({ typeId: 'typ_nonexistent' }) },
        // Outside the item schema (an unknown field): 400, pointing into the item.
        { idempotencyKey: key(), activity: newActivity({ colour: 'red' }) },
        // Someone else's mailbox: 422 `mailbox-mismatch`.
        {
          idempotencyKey: key(),
          activity: newActivity({ outlookLink: { mailbox: 'x@example.org', eventId: 'e1' } }),
        },
        { idempotencyKey: key(), activity: newActivity({ subject: 'Also kept' }) },
      ]);
      expect(res.status).toBe(200);
      const [kept, badType, badShape, mailbox, alsoKept] = res.body.results;
      expect(activityOf(kept).subject).toBe('Kept');
      expect(activityOf(alsoKept).subject).toBe('Also kept');
      expect(problemOf(badType).slice(0, 2)).toEqual([422, 'invalid-activity']);
      const [status, code, problem] = problemOf(badShape);
      expect([status, code]).toEqual([400, 'validation-failed']);
      expect(problem.errors?.[0]?.path).toBe('/items/2/activity');
      expect(problem.instance).toBe('/api/v1/activities/bulk-create#/items/2');
      expect(problem.type).toMatch(/validation-failed$/);
      expect(problemOf(mailbox).slice(0, 2)).toEqual([422, 'mailbox-mismatch']);
      // Nothing of the failed items was written.
      const list = await team.anna.get<{ items: Activity[] }>(
        '/api/v1/activities?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z',
      );
      expect(list.body.items.filter((a) => a.typeId === 'typ_nonexistent')).toEqual([]);
    });

    it('replays a repeated key with the first result, in bulk and single creates alike', async () => {
      const k = key();
      const body = newActivity({ subject: 'Once' });
      const first = activityOf(
        (await bulkCreate([{ idempotencyKey: k, activity: body }])).body.results[0],
      );
      // The item changes after the create: a replay still answers what the create made.
      await team.anna.patch(
        `/api/v1/activities/${first.id}`,
        { subject: 'Changed' },
        {
          headers: { 'if-match': first.etag },
        },
      );
      const again = await bulkCreate([
        { idempotencyKey: k, activity: body },
        { idempotencyKey: k, activity: newActivity({ subject: 'Not the same' }) },
      ]);
      const [replayed, reused] = again.body.results;
      expect(replayed).toEqual({ ok: true, status: 201, replayed: true, activity: first });
      expect(problemOf(reused).slice(0, 2)).toEqual([422, 'idempotency-key-reused']);
      // One key space with POST /activities.
      const single = await team.anna.post<Activity>('/api/v1/activities', body, {
        headers: { 'idempotency-key': k },
      });
      expect([single.status, single.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
      expect(single.body).toEqual(first);
      const viaSingle = key();
      const made = await team.anna.post<Activity>('/api/v1/activities', body, {
        headers: { 'idempotency-key': viaSingle },
      });
      const fromBulk = await bulkCreate([{ idempotencyKey: viaSingle, activity: body }]);
      expect(fromBulk.body.results[0]).toMatchObject({ ok: true, replayed: true });
      expect(activityOf(fromBulk.body.results[0]).id).toBe(made.body.id);
      // A key is the user's own: the same key for Ben is a new create.
      const bens = await bulkCreate([{ idempotencyKey: k, activity: body }], team.ben);
      expect(activityOf(bens.body.results[0]).ownerId).toBe('usr_ben');
    });

    it('updates each item with its own If-Match: 412 with `current`, 428, 403, 422 per item', async () => {
      const a = await created({ subject: 'A' });
      const b = await created({ subject: 'B' });
      const c = await created({ subject: 'C' });
      const d = await created({ subject: 'D' });
      // Ben's, with Anna taking part: she sees it but may not change it (SPEC F3).
      const withAnna = newActivity({
        subject: 'Ben',
        participants: [{ kind: 'user', userId: 'usr_anna' }],
      });
      const bens = (await team.ben.post<Activity>('/api/v1/activities', withAnna, idem())).body;
      const moved = await team.anna.patch<Activity>(
        `/api/v1/activities/${b.id}`,
        { subject: 'B2' },
        {
          headers: { 'if-match': b.etag },
        },
      );
      const res = await bulkUpdate([
        { id: a.id, ifMatch: a.etag, patch: { subject: 'A won' } },
        { id: b.id, ifMatch: b.etag, patch: { subject: 'B lost' } },
        { id: c.id, patch: { subject: 'No If-Match' } },
        { id: bens.id, ifMatch: bens.etag, patch: { subject: 'Not mine' } },
        { id: d.id, ifMatch: d.etag, patch: { end: '2026-03-10T06:00:00Z' } },
        { id: 'act_nope', ifMatch: '"1"', patch: { subject: 'x' } },
      ]);
      expect(res.status).toBe(200);
      const [won, lost, noMatch, notMine, invalid, missing] = res.body.results;
      expect(won).toMatchObject({
        ok: true,
        status: 200,
        activity: { subject: 'A won', version: 2 },
      });
      const [status, code, problem] = problemOf(lost);
      expect([status, code]).toEqual([412, 'precondition-failed']);
      expect(problem.current).toEqual(moved.body);
      expect(problemOf(noMatch).slice(0, 2)).toEqual([428, 'precondition-required']);
      expect(problemOf(notMine).slice(0, 2)).toEqual([403, 'not-owner']);
      expect(problemOf(invalid).slice(0, 2)).toEqual([422, 'invalid-activity']);
      expect(problemOf(missing).slice(0, 2)).toEqual([404, 'not-found']);
      // Only the winner changed.
      const now = await bulkRead([a.id, b.id, c.id, d.id]);
      expect(now.body.results.map((r) => activityOf(r).subject)).toEqual(['A won', 'B2', 'C', 'D']);
    });

    it('reads by id: 404 per id that is gone or not visible, the others answered', async () => {
      const a = await created({ subject: 'Read me' });
      const res = await bulkRead([a.id, 'act_missing', a.id, 'not an id!']);
      const [first, missing, again, malformed] = res.body.results;
      expect(activityOf(first)).toEqual(
        (await team.anna.get<Activity>(`/api/v1/activities/${a.id}`)).body,
      );
      expect(activityOf(again).id).toBe(a.id);
      expect(problemOf(missing).slice(0, 2)).toEqual([404, 'not-found']);
      expect(problemOf(malformed).slice(0, 2)).toEqual([400, 'validation-failed']);
      // Carla takes no part in Anna's activity: for her it does not exist.
      expect(problemOf((await bulkRead([a.id], team.carla)).body.results[0])[0]).toBe(404);
    });

    it('records Outlook links as PUT …/outlook-link would: new etag each, 404 and 422 per item', async () => {
      const anna = DEMO.users[0] ?? '';
      const a = await created({ subject: 'Link A' });
      const b = await created({ subject: 'Link B' });
      const { nextCursor } = (await team.anna.get<ChangePage>('/api/v1/activities/changes')).body;
      const res = await bulkLink([
        { id: a.id, link: { mailbox: anna, eventId: 'AAMk-a' } },
        { id: 'act_missing', link: { mailbox: anna, eventId: 'AAMk-x' } },
        { id: b.id, link: { mailbox: DEMO.users[1], eventId: 'AAMk-b' } },
        { id: b.id, link: { mailbox: anna, eventId: 'bad id with spaces' } },
        { id: b.id, link: { mailbox: anna.toUpperCase(), eventId: 'AAMk-b' } },
      ]);
      expect(res.status).toBe(200);
      const [linkedA, missing, wrongMailbox, malformed, linkedB] = res.body.results;
      expect(activityOf(linkedA).outlookLinks).toEqual([
        { userId: 'usr_anna', mailbox: anna.toLowerCase(), eventId: 'AAMk-a' },
      ]);
      expect(activityOf(linkedA).etag).not.toBe(a.etag);
      expect(problemOf(missing).slice(0, 2)).toEqual([404, 'not-found']);
      expect(problemOf(wrongMailbox).slice(0, 2)).toEqual([422, 'mailbox-mismatch']);
      expect(problemOf(malformed).slice(0, 2)).toEqual([400, 'validation-failed']);
      expect(problemOf(malformed)[2].errors?.[0]?.path).toBe('/items/3/link/eventId');
      // What a read answers, ETag included: the version the client keeps needs no read-back.
      const read = await team.anna.get<Activity>(`/api/v1/activities/${b.id}`);
      expect(read.body).toEqual(activityOf(linkedB));
      expect(read.headers.get('etag')).toBe(activityOf(linkedB).etag);
      const since = await team.anna.get<ChangePage>(
        `/api/v1/activities/changes?cursor=${nextCursor}`,
      );
      expect([...new Set(since.body.items.map((i) => i.id))].sort()).toEqual([a.id, b.id].sort());
      // Carla takes no part in Anna's activity: she cannot link it.
      const carla = await bulkLink(
        [{ id: a.id, link: { mailbox: DEMO.users[2], eventId: 'AAMk-c' } }],
        team.carla,
      );
      expect(problemOf(carla.body.results[0])[0]).toBe(404);
    });

    it('refuses a call past the limits whole, doing nothing', async () => {
      const subject = `Over the limit ${key()}`;
      const items = Array.from({ length: 101 }, () => ({
        idempotencyKey: key(),
        activity: newActivity({ subject }),
      }));
      const tooMany = await bulkCreate(items);
      const refused = tooMany.body as unknown as Problem;
      expect([tooMany.status, refused.code]).toEqual([400, 'validation-failed']);
      expect(refused.errors?.[0]?.path).toBe('/items');
      const empty = await bulkRead([]);
      expect([empty.status, (empty.body as unknown as Problem).code]).toEqual([
        400,
        'validation-failed',
      ]);
      const big = 'x'.repeat(30_000);
      const heavy = Array.from({ length: 9 }, () => ({
        idempotencyKey: key(),
        activity: newActivity({ subject, description: big }),
      }));
      const tooLarge = await bulkCreate(heavy);
      const tooLargeProblem = tooLarge.body as unknown as Problem;
      expect([tooLarge.status, tooLargeProblem.code]).toEqual([413, 'body-too-large']);
      const list = await team.anna.get<{ items: Activity[] }>(
        '/api/v1/activities?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z',
      );
      expect(list.body.items.filter((a) => a.subject === subject)).toEqual([]);
    });

    it('needs a session, as the single operations do', async () => {
      const res = await team.server.api.post('/api/v1/activities/bulk-read', {
        ids: ['act_dentist'],
      });
      expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
    });
  });

  describe('a CRM without bulk operations', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ bulk: false });
    });
    afterAll(() => s.close());

    it('announces none, and has no bulk routes', async () => {
      const caps = await s.api.get<Record<string, unknown>>('/api/v1/capabilities');
      expect([caps.status, caps.body]).toEqual([200, {}]);
      const anna = await s.signIn();
      const res = await anna.post('/api/v1/activities/bulk-read', { ids: ['act_dentist'] });
      expect([res.status, res.body.code]).toEqual([404, 'route-not-found']);
    });
  });
}
