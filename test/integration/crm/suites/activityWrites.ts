/** Owner-only writes, If-Match (428/412), cancel, delete, remove-me and Outlook links. */
import { DEMO } from '../../../../sandbox/crm/index';
import type { Activity } from '../../../../sandbox/crm/schemas/activity';
import { idem, newActivity } from './fixtures';
import { serverWithTeam } from './signedIn';

export function activityWritesSuite(): void {
  describe('activities: writes and rules', () => {
    const team = serverWithTeam();

    const create = async (
      body = newActivity({ participants: [{ kind: 'user', userId: 'usr_ben' }] }),
    ) => (await team.anna.post<Activity>('/api/v1/activities', body, idem())).body;
    const ifMatch = (etag: string) => ({ headers: { 'if-match': etag } });

    it('needs If-Match to update (428) and returns the current record on a lost race (412)', async () => {
      const a = await create();
      const path = `/api/v1/activities/${a.id}`;
      const missing = await team.anna.patch(path, { subject: 'New' });
      expect([missing.status, missing.body.code]).toEqual([428, 'precondition-required']);

      const won = await team.anna.patch<Activity>(
        path,
        { subject: 'First writer' },
        ifMatch(a.etag),
      );
      expect(won.status).toBe(200);
      expect(won.body).toMatchObject({ subject: 'First writer', version: 2 });
      expect(won.headers.get('etag')).toBe(won.body.etag);

      const lost = await team.anna.patch(path, { subject: 'Second writer' }, ifMatch(a.etag));
      expect([lost.status, lost.body.code]).toEqual([412, 'precondition-failed']);
      expect(lost.body.current).toEqual(won.body);
      expect((await team.anna.get<Activity>(path)).body.subject).toBe('First writer');
    });

    it('rejects a patch that leaves an invalid activity (422) without changing it', async () => {
      const a = await create();
      const path = `/api/v1/activities/${a.id}`;
      const res = await team.anna.patch(path, { end: '2026-03-10T06:00:00Z' }, ifMatch(a.etag));
      expect([res.status, res.body.code]).toEqual([422, 'invalid-activity']);
      expect((await team.anna.get<Activity>(path)).body).toEqual(a);
    });

    it('lets only the owner change, cancel or delete', async () => {
      const a = await create();
      const path = `/api/v1/activities/${a.id}`;
      const patch = await team.ben.patch(path, { subject: 'Mine now' }, ifMatch(a.etag));
      expect([patch.status, patch.body.code]).toEqual([403, 'not-owner']);
      expect((await team.ben.post(`${path}/cancel`)).status).toBe(403);
      expect((await team.ben.delete(path)).status).toBe(403);
      // Carla does not take part: the activity does not exist for her.
      expect((await team.carla.patch(path, { subject: 'x' }, ifMatch(a.etag))).status).toBe(404);
      expect((await team.anna.get<Activity>(path)).body).toEqual(a);
    });

    it('cancels (kept, idempotent) and deletes (gone)', async () => {
      const a = await create();
      const path = `/api/v1/activities/${a.id}`;
      const cancelled = await team.anna.post<Activity>(
        `${path}/cancel`,
        undefined,
        ifMatch(a.etag),
      );
      expect(cancelled.body).toMatchObject({ cancelled: true, version: 2 });
      expect((await team.anna.post<Activity>(`${path}/cancel`)).body.version).toBe(2);
      const stale = await team.anna.delete(path, ifMatch(a.etag));
      expect(stale.status).toBe(412);
      expect((await team.anna.delete(path, ifMatch(cancelled.body.etag))).status).toBe(204);
      expect((await team.anna.get(path)).status).toBe(404);
      expect((await team.anna.delete(path)).status).toBe(404);
    });

    it('lets a participant remove themselves, but not the owner', async () => {
      const a = await create();
      const path = `/api/v1/activities/${a.id}`;
      expect((await team.ben.post(`${path}/remove-me`)).status).toBe(204);
      expect((await team.ben.get(path)).status).toBe(404);
      const after = await team.anna.get<Activity>(path);
      expect(after.body.participants).toEqual([]);
      const owner = await team.anna.post(`${path}/remove-me`);
      expect([owner.status, owner.body.code]).toEqual([403, 'owner-cannot-leave']);
    });

    it("stores each user's Outlook event id, for their own addresses only", async () => {
      const a = await create();
      const path = `/api/v1/activities/${a.id}/outlook-link`;
      const set = await team.ben.put<Activity>(path, {
        mailbox: 'B.Berg@contoso.example',
        eventId: 'AAMk-ben=',
      });
      expect(set.body.outlookLinks).toEqual([
        { userId: 'usr_ben', mailbox: 'b.berg@contoso.example', eventId: 'AAMk-ben=' },
      ]);
      await team.anna.put(path, { mailbox: DEMO.users[0], eventId: 'AAMk-anna' });
      const wrong = await team.anna.put(path, { mailbox: DEMO.users[1], eventId: 'x' });
      expect([wrong.status, wrong.body.code]).toEqual([422, 'mailbox-mismatch']);
      const removed = await team.ben.delete<Activity>(path);
      expect(removed.body.outlookLinks.map((l) => l.userId)).toEqual(['usr_anna']);
      expect((await team.ben.delete<Activity>(path)).status).toBe(200);
      expect((await team.carla.put(path, { mailbox: DEMO.users[2], eventId: 'x' })).status).toBe(
        404,
      );
    });
  });
}
