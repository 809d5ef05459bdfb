/**
 * Issue 14 item 8: the reference CRM as a vendor should build it. Sandbox controls and demo data
 * only in the sandbox configuration; sign-in throttled per user name and per address (429 +
 * Retry-After); password hashing off the event loop at OWASP's work factor; extranet sharing only
 * by the project's owners and members; one-time passwords single-use and expiring; a
 * Content-Security-Policy on the server's own pages.
 */
import { buildCrmApp, DEMO } from '../../../../sandbox/crm/index';
import { DEFAULT_SCRYPT_COST } from '../../../../sandbox/crm/domain/secrets';
import { PAGE_CSP } from '../../../../sandbox/crm/webApp';
import { type Api, Api as Client, startTestServer, type TestServer } from '../harness';

type Outbox = {
  items: Array<{ contactId: string; oneTimePassword: string; expiresAt: string; sentAt: string }>;
};

const SHARE = '/api/v1/projects/prj_fabrikam_crm/extranet-shares/con_fabrikam_liisa';
const none = {
  rights: { approveHours: false, comment: false, addFilesAndLinks: false },
  sections: {
    financials: { invoicing: false, billable: false },
    phases: { gantt: false, tree: false, hoursWithTimes: false, estimates: false },
    other: { status: false, changeStatus: false, filesAndLinks: false },
  },
};

/** Posts the extranet sign-in form as a browser would. */
async function redeem(url: string, password: string): Promise<Response> {
  return fetch(`${url}/app/extranet/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({
      project: 'prj_fabrikam_crm',
      contact: 'con_fabrikam_liisa',
      password,
    }),
  });
}

async function lastPassword(s: TestServer): Promise<string> {
  const outbox = await s.admin.get<Outbox>('/sandbox/extranet-outbox');
  const last = outbox.body.items.at(-1)?.oneTimePassword;
  if (!last) throw new Error('no invitation in the outbox');
  return last;
}

export function hardeningSuite(): void {
  describe('reference server hardening (issue 14 item 8)', () => {
    it('sandbox routes absent by default: no /sandbox controls, no demo keys or users', async () => {
      const app = await buildCrmApp({ dbPath: ':memory:' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      try {
        const admin = new Client(url, DEMO.adminApiKey);
        const reset = await admin.post('/sandbox/reset');
        expect([reset.status, reset.body.code]).toEqual([404, 'route-not-found']);
        const outbox = await admin.get('/sandbox/extranet-outbox');
        expect([outbox.status, outbox.body.code]).toEqual([404, 'route-not-found']);
        expect((await admin.post('/sandbox/faults', { status: 503 })).status).toBe(404);
        // The public demo keys open nothing: there is no demo company.
        const company = await new Client(url, DEMO.apiKey).get('/api/v1/company');
        expect([company.status, company.body.code]).toEqual([401, 'invalid-api-key']);
      } finally {
        await app.close();
      }
      await expect(buildCrmApp({ dbPath: ':memory:', seedDemoData: true })).rejects.toThrow(
        /sandbox/,
      );
    });

    describe('sign-in throttling', () => {
      let s: TestServer;
      beforeEach(async () => {
        s = await startTestServer({
          signInLimits: { perUser: 5, perAddress: 8, windowSeconds: 900 },
        });
      });
      afterEach(() => s.close());
      const signIn = (username: string, password: string) =>
        s.api.post('/api/v1/sessions', { username, password });

      it('sign-in 429 after N failures with Retry-After, per user name, until the window ends', async () => {
        for (let i = 0; i < 5; i++) {
          expect((await signIn(DEMO.users[0], `wrong-${i}`)).status).toBe(401);
        }
        // The sixth attempt is refused before the password is checked, right or wrong.
        const limited = await signIn(DEMO.users[0], DEMO.password);
        expect([limited.status, limited.body.code]).toEqual([429, 'too-many-sign-in-attempts']);
        expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(limited.headers.get('retry-after')).toBe('900');
        // Another user name from the same address is not locked out by the first one's count.
        expect((await signIn(DEMO.users[1], DEMO.password)).status).toBe(201);
        s.clock.advance(600);
        const later = await signIn(DEMO.users[0], DEMO.password);
        expect([later.status, later.headers.get('retry-after')]).toEqual([429, '300']);
        s.clock.advance(300);
        expect((await signIn(DEMO.users[0], DEMO.password)).status).toBe(201);
      });

      it('sign-in 429 after N failures from one address across user names', async () => {
        for (let i = 0; i < 8; i++) {
          expect((await signIn(`nobody${i}@contoso.example`, 'guess')).status).toBe(401);
        }
        const limited = await signIn(DEMO.users[2], DEMO.password);
        expect([limited.status, limited.body.code]).toEqual([429, 'too-many-sign-in-attempts']);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      });

      it('counts parallel attempts before their hashes finish', async () => {
        const burst = await Promise.all(
          Array.from({ length: 12 }, (_, i) => signIn(DEMO.users[0], `wrong-${i}`)),
        );
        const statuses = burst.map((r) => r.status).sort();
        expect(statuses.filter((x) => x === 401)).toHaveLength(5);
        expect(statuses.filter((x) => x === 429)).toHaveLength(7);
      });

      it('a successful sign-in clears the count', async () => {
        for (let i = 0; i < 4; i++) await signIn(DEMO.users[0], 'wrong');
        expect((await signIn(DEMO.users[0], DEMO.password)).status).toBe(201);
        for (let i = 0; i < 4; i++) {
          expect((await signIn(DEMO.users[0], 'wrong')).status).toBe(401);
        }
      });
    });

    it('hashing does not block the event loop: a request is served while a sign-in hashes', async () => {
      let hashing = 0;
      let hashStarted: () => void = () => undefined;
      const started = new Promise<void>((resolve) => {
        hashStarted = resolve;
      });
      let watching = false;
      const s = await startTestServer({
        passwordCost: DEFAULT_SCRYPT_COST,
        onPasswordHash: (phase) => {
          hashing += phase === 'start' ? 1 : -1;
          if (phase === 'start' && watching) hashStarted();
        },
      });
      try {
        watching = true;
        let signedIn = false;
        const signIn = s.api
          .post<{ accessToken: string }>('/api/v1/sessions', {
            username: DEMO.users[0],
            password: DEMO.password,
          })
          .then((res) => {
            signedIn = true;
            return res;
          });
        await started;
        const company = await s.api.get('/api/v1/company');
        // Served while the sign-in's scrypt (OWASP cost) was still running on the thread pool.
        expect(company.status).toBe(200);
        expect(hashing).toBeGreaterThan(0);
        expect(signedIn).toBe(false);
        const res = await signIn;
        expect(res.status).toBe(201);
        expect(hashing).toBe(0);
      } finally {
        await s.close();
      }
      // Two scrypt runs at 128 MiB each (the seed's, the sign-in's): seconds on a busy machine.
      // A generous bound, not a timing target: the assertions above are about order only.
    }, 60_000);

    describe('extranet sharing', () => {
      let s: TestServer;
      let anna: Api;
      beforeEach(async () => {
        s = await startTestServer();
        anna = await s.signIn();
      });
      afterEach(() => s.close());

      it('sharing by a non-member refused with 403 problem+json', async () => {
        const carla = await s.signIn(DEMO.users[2]);
        const put = await carla.put(SHARE, none);
        expect([put.status, put.body.code]).toEqual([403, 'not-a-project-member']);
        expect(put.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect((await s.admin.get<Outbox>('/sandbox/extranet-outbox')).body.items).toEqual([]);
        // A member may share; the non-member can then neither invite again nor stop it.
        const ben = await s.signIn(DEMO.users[1]);
        expect((await ben.put(SHARE, none)).status).toBe(201);
        const resend = await carla.post(`${SHARE}/invitation`);
        expect([resend.status, resend.body.code]).toEqual([403, 'not-a-project-member']);
        const stop = await carla.delete(SHARE);
        expect([stop.status, stop.body.code]).toEqual([403, 'not-a-project-member']);
        expect((await anna.get(SHARE)).status).toBe(200);
      });

      it('OTP used twice refused', async () => {
        expect((await anna.put(SHARE, none)).status).toBe(201);
        const password = await lastPassword(s);
        expect((await redeem(s.url, 'not-the-password')).status).toBe(401);
        const first = await redeem(s.url, password);
        expect(first.status).toBe(200);
        expect(await first.text()).toContain('accepted');
        const second = await redeem(s.url, password);
        expect(second.status).toBe(401);
        expect(await second.text()).not.toContain(password);
      });

      it('expired OTP refused; a new invitation replaces it', async () => {
        expect((await anna.put(SHARE, none)).status).toBe(201);
        const old = await lastPassword(s);
        const outbox = await s.admin.get<Outbox>('/sandbox/extranet-outbox');
        const sent = outbox.body.items.at(-1);
        expect(Date.parse(sent?.expiresAt ?? '') - Date.parse(sent?.sentAt ?? '')).toBe(900_000);
        s.clock.advance(15 * 60 + 1);
        expect((await redeem(s.url, old)).status).toBe(401);
        anna = await s.signIn(); // the access token expired too

        const again = await anna.post<{ expiresAt: string }>(`${SHARE}/invitation`);
        expect(again.status).toBe(202);
        expect(Date.parse(again.body.expiresAt)).toBe(s.clock.now() + 15 * 60_000);
        const fresh = await lastPassword(s);
        expect(fresh).not.toBe(old);
        expect(again.text).not.toContain(fresh);
        s.clock.advance(14 * 60);
        expect((await redeem(s.url, fresh)).status).toBe(200);
        // Stopping the sharing also ends any password sent for it.
        expect((await anna.post(`${SHARE}/invitation`)).status).toBe(202);
        const unused = await lastPassword(s);
        expect((await anna.delete(SHARE)).status).toBe(204);
        expect((await redeem(s.url, unused)).status).toBe(401);
        expect((await anna.post(`${SHARE}/invitation`)).status).toBe(404);
      });

      it('throttles one-time password guesses per share with 429 + Retry-After', async () => {
        expect((await anna.put(SHARE, none)).status).toBe(201);
        const password = await lastPassword(s);
        for (let i = 0; i < 5; i++) expect((await redeem(s.url, `guess-${i}`)).status).toBe(401);
        const limited = await redeem(s.url, password);
        expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '900']);
        expect(limited.headers.get('content-security-policy')).toBe(PAGE_CSP);
        s.clock.advance(900);
        anna = await s.signIn();
        expect((await anna.post(`${SHARE}/invitation`)).status).toBe(202);
        expect((await redeem(s.url, await lastPassword(s))).status).toBe(200);
      });
    });

    it("CSP header on the server's pages: nothing but its own form posts", async () => {
      const s = await startTestServer();
      try {
        const pages = [
          await fetch(`${s.url}/app/activities/act_%3Cscript%3E`),
          await fetch(`${s.url}/app/extranet/sign-in?project=prj_fabrikam_crm&contact=con_x`),
          await redeem(s.url, 'wrong'),
        ];
        for (const res of pages) {
          expect(res.headers.get('content-type')).toMatch(/^text\/html/);
          const csp = res.headers.get('content-security-policy') ?? '';
          expect(csp).toBe(PAGE_CSP);
          expect(csp).toContain("default-src 'none'");
          expect(csp).toContain("frame-ancestors 'none'");
          expect(res.headers.get('x-content-type-options')).toBe('nosniff');
          expect(await res.text()).not.toContain('<script');
        }
      } finally {
        await s.close();
      }
    });
  });
}
