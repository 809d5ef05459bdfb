/**
 * Issue 17: the always-on sync service's side of the contract — the `service` key (server to
 * server: sessions for paired mailboxes only, never a password), `Company.syncService`, the
 * paired-mailbox list and the long-poll change signal.
 */
import { DEMO } from '../../../../sandbox/crm/index';
import { type Api, startTestServer, type TestServer } from '../harness';
import { idem, newActivity } from './fixtures';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  userId: string;
}
interface Signal {
  mailboxes: string[];
  nextCursor: string;
}

const ANNA = DEMO.users[0];
const BEN = DEMO.users[1];
const SERVICE_URL = { url: 'https://sync.contoso.example/' };

export function syncServiceSuite(): void {
  describe('sync service: service key, Company.syncService, change signal', () => {
    let s: TestServer;
    let anna: Api;
    let ben: Api;
    let service: Api;
    beforeAll(async () => {
      s = await startTestServer();
      anna = await s.signIn(ANNA);
      ben = await s.signIn(BEN);
      service = s.api.withKey(DEMO.serviceApiKey);
      expect((await anna.put('/api/v1/pairing', { mailbox: ANNA })).status).toBe(200);
    });
    afterAll(() => s.close());

    const openSession = (mailbox: string) =>
      service.post<Tokens & { code?: string }>('/api/v1/sessions/service', { mailbox });

    it('the service key signs no one in with a password, and lists nothing while the service is off', async () => {
      const password = await service.post('/api/v1/sessions', {
        username: ANNA,
        password: DEMO.password,
      });
      expect([password.status, password.body.code]).toEqual([403, 'wrong-api-key-type']);
      const company = await service.get<{ syncService: unknown }>('/api/v1/company');
      expect(company.body.syncService).toBeNull();
      const listed = await service.get('/api/v1/sync-service/mailboxes');
      expect(listed.body).toEqual({ active: false, mailboxes: [] });
      const refused = await openSession(ANNA);
      expect([refused.status, refused.body.code]).toEqual([403, 'sync-service-off']);
      const outlook = await s.api.get('/api/v1/sync-service/mailboxes');
      expect([outlook.status, outlook.body.code]).toEqual([403, 'wrong-api-key-type']);
    });

    it('only an admin key sets Company.syncService, to https (http on loopback only)', async () => {
      const byOutlook = await s.api.patch('/api/v1/company', { syncService: SERVICE_URL });
      expect([byOutlook.status, byOutlook.body.code]).toEqual([403, 'wrong-api-key-type']);
      const plain = await s.admin.patch('/api/v1/company', {
        syncService: { url: 'http://sync.contoso.example/' },
      });
      expect(plain.status).toBe(400);
      const empty = await s.admin.patch('/api/v1/company', {});
      expect(empty.status).toBe(400);
      const set = await s.admin.patch<{ syncService: unknown; syncEnabled: boolean }>(
        '/api/v1/company',
        { syncService: SERVICE_URL },
      );
      expect([set.status, set.body.syncService, set.body.syncEnabled]).toEqual([
        200,
        SERVICE_URL,
        true,
      ]);
      const loopback = await s.admin.patch<{ syncService: unknown }>('/api/v1/company', {
        syncService: { url: 'http://127.0.0.1:4100/' },
      });
      expect(loopback.body.syncService).toEqual({ url: 'http://127.0.0.1:4100/' });
      expect(
        (await anna.get<{ company: { syncService: unknown } }>('/api/v1/me')).body,
      ).toMatchObject({ company: { syncService: { url: 'http://127.0.0.1:4100/' } } });
    });

    it('lists the paired mailboxes and opens a session for a paired one only', async () => {
      const listed = await service.get<{ active: boolean; mailboxes: unknown[] }>(
        '/api/v1/sync-service/mailboxes',
      );
      expect(listed.body).toEqual({
        active: true,
        mailboxes: [
          { mailbox: ANNA, userId: 'usr_anna', timeZone: expect.any(String), language: 'en' },
        ],
      });
      const unpaired = await openSession(BEN);
      expect([unpaired.status, unpaired.body.code]).toEqual([403, 'mailbox-not-paired']);
      const opened = await openSession(ANNA.toUpperCase());
      expect([opened.status, opened.body.userId]).toEqual([201, 'usr_anna']);
    });

    it('a service session works with the service key only, for sync, never for pairing', async () => {
      const { accessToken, refreshToken } = (await openSession(ANNA)).body;
      const acting = service.withToken(accessToken);
      expect((await acting.get('/api/v1/activities/changes')).status).toBe(200);
      expect((await acting.get<{ id: string }>('/api/v1/me')).body.id).toBe('usr_anna');
      const withOutlookKey = await s.api.withToken(accessToken).get('/api/v1/activities/changes');
      expect([withOutlookKey.status, withOutlookKey.body.code]).toEqual([401, 'invalid-token']);
      const personWithServiceKey = await ben
        .withKey(DEMO.serviceApiKey)
        .get('/api/v1/activities/changes');
      expect([personWithServiceKey.status, personWithServiceKey.body.code]).toEqual([
        401,
        'invalid-token',
      ]);
      const unpair = await acting.delete('/api/v1/pairing');
      expect([unpair.status, unpair.body.code]).toEqual([403, 'wrong-api-key-type']);
      const wrongRefresh = await s.api.post('/api/v1/sessions/refresh', { refreshToken });
      expect([wrongRefresh.status, wrongRefresh.body.code]).toEqual([401, 'invalid-token']);
      const refreshed = await service.post<Tokens>('/api/v1/sessions/refresh', { refreshToken });
      expect(refreshed.status).toBe(200);
      const revoked = await service.post('/api/v1/sessions/revoke', {
        refreshToken: refreshed.body.refreshToken,
      });
      expect(revoked.status).toBe(204);
      const after = await service.withToken(refreshed.body.accessToken).get('/api/v1/me');
      expect(after.status).toBe(401);
    });

    it('signals a change promptly: a waiting request answers with the mailbox when it is written', async () => {
      const start = await service.get<Signal>('/api/v1/sync-service/changes');
      expect(start.body.mailboxes).toEqual([]);
      const quiet = await service.get<Signal>(
        `/api/v1/sync-service/changes?cursor=${start.body.nextCursor}&wait=0`,
      );
      expect(quiet.body.mailboxes).toEqual([]);
      // Held up to 50 s; it can only name Anna if the write below wakes it (a timeout is empty).
      const waiting = service.get<Signal>(
        `/api/v1/sync-service/changes?cursor=${start.body.nextCursor}&wait=50`,
      );
      const created = await anna.post('/api/v1/activities', newActivity(), idem());
      expect(created.status).toBe(201);
      const woke = await waiting;
      expect(woke.body.mailboxes).toEqual([ANNA]);
      // Ben's own change does not name Anna; he is not paired, so it names no one.
      const next = woke.body.nextCursor;
      await ben.post('/api/v1/activities', newActivity({ subject: 'Ben only' }), idem());
      const bens = await service.get<Signal>(`/api/v1/sync-service/changes?cursor=${next}&wait=0`);
      expect(bens.body.mailboxes).toEqual([]);
      // A contact change concerns every paired mailbox (contacts are the company's).
      const contact = await ben.post(
        '/api/v1/contacts',
        { firstName: 'Kaisa', lastName: 'Korhonen' },
        idem(),
      );
      expect(contact.status).toBe(201);
      const contacts = await service.get<Signal>(
        `/api/v1/sync-service/changes?cursor=${bens.body.nextCursor}&wait=0`,
      );
      expect(contacts.body.mailboxes).toEqual([ANNA]);
    });

    it('refuses a cursor it did not issue (400)', async () => {
      const bad = await service.get(
        `/api/v1/sync-service/changes?cursor=${Buffer.from('s1.999999.0').toString('base64url')}`,
      );
      expect([bad.status, bad.body.code]).toEqual([400, 'invalid-cursor']);
    });

    it('ends a service session’s access when the mailbox is unpaired or the service is switched off', async () => {
      const acting = service.withToken((await openSession(ANNA)).body.accessToken);
      expect((await s.admin.patch('/api/v1/company', { syncService: null })).status).toBe(200);
      const off = await acting.get('/api/v1/activities/changes');
      expect([off.status, off.body.code]).toEqual([403, 'sync-service-off']);
      await s.admin.patch('/api/v1/company', { syncService: SERVICE_URL });
      expect((await acting.get('/api/v1/activities/changes')).status).toBe(200);
      expect((await anna.delete('/api/v1/pairing')).status).toBe(204);
      const unpaired = await acting.get('/api/v1/activities/changes');
      expect([unpaired.status, unpaired.body.code]).toEqual([403, 'mailbox-not-paired']);
      expect(
        (await service.get<{ mailboxes: unknown[] }>('/api/v1/sync-service/mailboxes')).body
          .mailboxes,
      ).toEqual([]);
    });
  });
}
