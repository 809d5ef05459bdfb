/** Session lifecycle: sign-in, keys, expiry with the injected clock, refresh rotation, revoke. */
import { DEMO } from '../../../../sandbox/crm/index';
import { startTestServer, type TestServer } from '../harness';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export function sessionsSuite(): void {
  describe('sessions', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ accessTokenTtlSeconds: 900 });
    });
    afterAll(() => s.close());

    const signIn = (username: string = DEMO.users[0], password: string = DEMO.password) =>
      s.api.post<Tokens>('/api/v1/sessions', { username, password });

    it('signs in with e-mail or alias and rejects wrong credentials alike', async () => {
      const ok = await signIn();
      expect(ok.status).toBe(201);
      expect(ok.body.expiresIn).toBe(900);
      expect((await signIn('anna.andersson@contoso.example')).status).toBe(201);
      const wrong = await signIn(DEMO.users[0], 'nope');
      const unknown = await signIn('nobody@contoso.example');
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect(wrong.body).toMatchObject({ code: 'invalid-credentials' });
      expect(unknown.body).toMatchObject({ code: 'invalid-credentials' });
    });

    it('needs a known API key of type outlook', async () => {
      const body = { username: DEMO.users[0], password: DEMO.password };
      const none = await s.api.withKey(null).post('/api/v1/sessions', body);
      const bad = await s.api.withKey('not-a-key').post('/api/v1/sessions', body);
      const admin = await s.admin.post('/api/v1/sessions', body);
      expect([none.status, none.body.code]).toEqual([401, 'missing-api-key']);
      expect([bad.status, bad.body.code]).toEqual([401, 'invalid-api-key']);
      expect([admin.status, admin.body.code]).toEqual([403, 'wrong-api-key-type']);
    });

    it('rejects a missing or unknown bearer token', async () => {
      expect((await s.api.get('/api/v1/me')).body.code).toBe('unauthorized');
      expect((await s.api.withToken('at_forged').get('/api/v1/me')).body.code).toBe(
        'invalid-token',
      );
    });

    it('expires the access token with a distinguishable code, then refreshes with rotation', async () => {
      const first = (await signIn()).body;
      const api = s.api.withToken(first.accessToken);
      expect((await api.get('/api/v1/me')).status).toBe(200);
      s.clock.advance(901);
      const expired = await api.get('/api/v1/me');
      expect([expired.status, expired.body.code]).toEqual([401, 'token-expired']);
      expect(expired.body.type).toMatch(/token-expired$/);

      const second = await s.api.post<Tokens>('/api/v1/sessions/refresh', {
        refreshToken: first.refreshToken,
      });
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect((await s.api.withToken(second.body.accessToken).get('/api/v1/me')).status).toBe(200);

      // Reusing the rotated token revokes the whole session, the new tokens included — once the
      // retry grace of a lost answer (issue 14, REFRESH_RETRY_GRACE_MS = 60 s) is over.
      s.clock.advance(61);
      const reuse = await s.api.post('/api/v1/sessions/refresh', {
        refreshToken: first.refreshToken,
      });
      expect([reuse.status, reuse.body.code]).toEqual([401, 'refresh-token-reused']);
      const after = await s.api.withToken(second.body.accessToken).get('/api/v1/me');
      expect([after.status, after.body.code]).toEqual([401, 'invalid-token']);
      const again = await s.api.post('/api/v1/sessions/refresh', {
        refreshToken: second.body.refreshToken,
      });
      expect(again.status).toBe(401);
    });

    it('revokes a session', async () => {
      const t = (await signIn()).body;
      expect(
        (await s.api.post('/api/v1/sessions/revoke', { refreshToken: t.refreshToken })).status,
      ).toBe(204);
      expect((await s.api.withToken(t.accessToken).get('/api/v1/me')).body.code).toBe(
        'invalid-token',
      );
      const refresh = await s.api.post('/api/v1/sessions/refresh', {
        refreshToken: t.refreshToken,
      });
      expect([refresh.status, refresh.body.code]).toEqual([401, 'invalid-token']);
      // Unknown tokens are accepted silently (RFC 7009).
      expect((await s.api.post('/api/v1/sessions/revoke', { refreshToken: 'rt_x' })).status).toBe(
        204,
      );
    });

    it('ends the session when the refresh token expires', async () => {
      const t = (await signIn()).body;
      s.clock.advance(31 * 86_400);
      const res = await s.api.post('/api/v1/sessions/refresh', { refreshToken: t.refreshToken });
      expect([res.status, res.body.code]).toEqual([401, 'session-expired']);
    });
  });
}
