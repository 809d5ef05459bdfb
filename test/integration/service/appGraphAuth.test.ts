/**
 * Issue 17 item 2: the service's app-only Graph access with the real MSAL Node (unmodified)
 * against the emulator's Entra stand-in (https on loopback, a self-signed certificate made at
 * start-up and trusted explicitly), and the emulator's app-only rules: `roles` in the token,
 * `/users/{id|upn}/…` paths, `/me` refused, the application access policy.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import * as z from 'zod';
import { startGraphServer, DEMO_TENANT_ID } from '../../../sandbox/graph/index';
import { SyncError } from '../../../src/sync/core/errors';
import { GraphClient } from '../../../src/outlook/graphClient';
import { paths } from '../../../src/outlook/graphPaths';
import {
  createAppGraphAuth,
  createServiceGraphClient,
  type AppGraphAuthConfig,
} from '../../../src/service/graph';

const APP = {
  clientId: '11111111-2222-4333-8444-555555555555',
  clientSecret: 'test-secret-value',
  tenantId: DEMO_TENANT_ID,
  roles: ['Calendars.ReadWrite', 'Contacts.ReadWrite'],
  mailboxes: ['anna@contoso.example'],
};
const NARROW = {
  ...APP,
  clientId: 'aaaaaaaa-2222-4333-8444-555555555555',
  roles: ['Contacts.Read'],
  mailboxes: null,
};

let server: Awaited<ReturnType<typeof startGraphServer>>;
let authorityUrl = '';
let ca = '';

const config = (over: Partial<AppGraphAuthConfig> = {}): AppGraphAuthConfig => ({
  tenantId: APP.tenantId,
  clientId: APP.clientId,
  clientSecret: APP.clientSecret,
  authorityHost: authorityUrl,
  knownAuthorities: [new URL(authorityUrl).host],
  caCertificate: ca,
  ...over,
});

const listSchema = z.object({ value: z.array(z.object({ subject: z.string().optional() })) });
const subjects = (data: z.infer<typeof listSchema>) => data.value.map((e) => e.subject);

const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

beforeAll(async () => {
  server = await startGraphServer({
    port: 0,
    seedDemoData: false,
    authority: true,
    applications: [APP, NARROW],
  });
  authorityUrl = server.authority?.url ?? '';
  ca = server.authority?.caCertificate ?? '';
});
afterAll(() => server.close());

describe('MSAL Node against the emulated authority', () => {
  it('refuses an http authority: that is why the emulator serves it on https', async () => {
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        authority: `${server.url}/${APP.tenantId}`,
        knownAuthorities: [new URL(server.url).host],
      },
    });
    const err = await cca
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ errorCode: 'authority_uri_insecure' });
  });

  it('gets an app token with roles through knownAuthorities (metadata fetched over https)', async () => {
    const token = await createAppGraphAuth(config()).token();
    expect(claimsOf(token)).toMatchObject({
      roles: ['Calendars.ReadWrite', 'Contacts.ReadWrite'],
      appid: APP.clientId,
      tid: APP.tenantId,
      idtyp: 'app',
    });
    expect(claimsOf(token)).not.toHaveProperty('scp');
  });

  it('keeps the token in MSAL’s cache: a second call asks Entra nothing', async () => {
    const auth = createAppGraphAuth(config());
    const first = await auth.token();
    expect(await auth.token()).toBe(first); // every issued token has its own `uti`
  });

  it('works with authorityMetadata and cloudDiscoveryMetadata as Microsoft documents', async () => {
    const { request } = await import('node:https');
    const getJson = (url: string) =>
      new Promise<string>((resolve, reject) => {
        request(url, { ca }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
    const authority = `${authorityUrl}/${APP.tenantId}`;
    const authorityMetadata = await getJson(`${authority}/v2.0/.well-known/openid-configuration`);
    const cloudDiscoveryMetadata = await getJson(
      `${authorityUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${authority}/oauth2/v2.0/authorize`)}`,
    );
    expect(JSON.parse(authorityMetadata)).toMatchObject({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      issuer: `${authority}/v2.0`,
    });
    const { knownAuthorities: _k, ...rest } = config();
    const token = await createAppGraphAuth({
      ...rest,
      authorityMetadata,
      cloudDiscoveryMetadata,
    }).token();
    expect(claimsOf(token).appid).toBe(APP.clientId);
  });

  it('trusts only the certificate it is given: without it, TLS fails', async () => {
    const { caCertificate: _c, ...untrusted } = config();
    const err = await createAppGraphAuth(untrusted)
      .token()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).code).toBe('offline');
  });

  it('a wrong secret is Entra’s AADSTS7000215, and the message never holds the secret', async () => {
    const err = await createAppGraphAuth(config({ clientSecret: 'wrong-secret-value' }))
      .token()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).code).toBe('graphSignInFailed');
    expect((err as SyncError).message).toContain('AADSTS7000215');
    expect((err as SyncError).message).not.toContain('wrong-secret-value');
  });
});

describe('app-only Graph calls on the emulator', () => {
  const client = (mailbox: string, over: Partial<AppGraphAuthConfig> = {}) =>
    createServiceGraphClient(createAppGraphAuth(config(over)), {
      baseUrl: `${server.url}/v1.0`,
      mailbox,
      maxAttempts: 1,
    });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as SyncError,
    );

  it('serves /users/{upn}/… and /users/{id}/… for what /me/… serves (events, calendars, delta)', async () => {
    const anna = client('anna@contoso.example');
    const cals = await anna.request({ method: 'GET', path: paths.calendars, schema: null });
    expect(cals.status).toBe(200);
    const created = await anna.request({
      method: 'POST',
      path: '/me/events',
      body: {
        subject: 'app-made',
        start: { dateTime: '2025-03-21T09:00:00', timeZone: 'UTC' },
        end: { dateTime: '2025-03-21T10:00:00', timeZone: 'UTC' },
      },
      schema: null,
    });
    expect(created.status).toBe(201);
    const userId = Object.values(server.emulator.store.state.mailboxes).find(
      (m) => m.address === 'anna@contoso.example',
    )?.userId;
    const byId = client(userId ?? '');
    const list = await byId.request({ method: 'GET', path: '/me/events', schema: listSchema });
    expect(subjects(list.data)).toContain('app-made');
    const delta = await byId.request({
      method: 'GET',
      path: '/me/calendarView/delta?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-01T00:00:00Z',
      schema: listSchema,
    });
    expect(subjects(delta.data)).toContain('app-made');
  });

  it('answers /me with an app token as Graph does (400, delegated flow only)', async () => {
    const token = await createAppGraphAuth(config()).token();
    const me = new GraphClient({
      baseUrl: `${server.url}/v1.0`,
      tokens: { getToken: async () => token },
      maxAttempts: 1,
    });
    const err = await failure(me.request({ method: 'GET', path: '/me/events', schema: null }));
    expect(err).toBeInstanceOf(SyncError);
    const raw = await fetch(`${server.url}/v1.0/me/calendars`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({
      error: {
        code: 'BadRequest',
        message: '/me request is only valid with delegated authentication flow.',
      },
    });
  });

  it('refuses a mailbox outside the application access policy (403 ErrorAccessDenied)', async () => {
    const token = await createAppGraphAuth(config()).token();
    const raw = await fetch(`${server.url}/v1.0/users/ben@contoso.example/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(raw.status).toBe(403);
    expect(await raw.json()).toMatchObject({
      error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled.' },
    });
    const sub = await fetch(`${server.url}/v1.0/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'created',
        notificationUrl: 'http://127.0.0.1:9/none',
        resource: '/users/ben@contoso.example/events',
        expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
        clientState: 'x',
      }),
    });
    expect(sub.status).toBe(403);
    await sub.arrayBuffer(); // an unread body holds its connection past the test
  });

  it('refuses calendar calls to an app without a Calendars permission', async () => {
    const narrow = client('anna@contoso.example', { clientId: NARROW.clientId });
    const err = await failure(narrow.request({ method: 'GET', path: '/me/events', schema: null }));
    expect(err).toBeInstanceOf(SyncError);
    expect(err?.kind).toBe('forbidden');
  });
});

describe('every /me route answers under /users with an app token', () => {
  it('gives the same answers as the person’s own /me calls (GETs and $batch)', async () => {
    const appToken = await createAppGraphAuth(config()).token();
    const { tokenFor } = await import('../graph/helpers');
    const userToken = await tokenFor(server.url, 'anna@contoso.example');
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/v1.0${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    };
    const created = await call(userToken, 'POST', '/me/events', {
      subject: 'parity',
      start: { dateTime: '2025-03-24T09:00:00', timeZone: 'UTC' },
      end: { dateTime: '2025-03-24T10:00:00', timeZone: 'UTC' },
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: '2025-03-24', numberOfOccurrences: 3 },
      },
    });
    const eventId = String(created.body.id);
    const cal = (await call(userToken, 'GET', '/me/calendar')).body.id as string;
    const folder = await call(userToken, 'POST', '/me/contactFolders', { displayName: 'Parity' });
    const folderId = String(folder.body.id);
    const window = 'startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-30T00:00:00Z';
    const suffixes = [
      '/calendars',
      '/calendar',
      `/calendars/${cal}`,
      '/events',
      '/calendar/events',
      `/calendars/${cal}/events`,
      `/events/${eventId}`,
      `/calendar/events/${eventId}`,
      `/calendars/${cal}/events/${eventId}`,
      `/events/${eventId}/instances?${window}`,
      `/calendars/${cal}/events/${eventId}/instances?${window}`,
      `/calendarView?${window}`,
      `/calendar/calendarView?${window}`,
      `/calendars/${cal}/calendarView?${window}`,
      '/contactFolders',
      `/contactFolders/${folderId}`,
      `/contactFolders/${folderId}/contacts`,
    ];
    const ids = (b: Record<string, unknown>) =>
      Array.isArray(b.value) ? (b.value as { id?: string }[]).map((v) => v.id) : b.id;
    for (const suffix of suffixes) {
      const mine = await call(userToken, 'GET', `/me${suffix}`);
      const app = await call(appToken, 'GET', `/users/anna@contoso.example${suffix}`);
      expect([suffix, app.status]).toEqual([suffix, mine.status]);
      expect(mine.status).toBe(200);
      expect([suffix, ids(app.body)]).toEqual([suffix, ids(mine.body)]);
    }
    const batch = await call(appToken, 'POST', '/$batch', {
      requests: [{ id: '1', method: 'GET', url: `/users/anna@contoso.example/events/${eventId}` }],
    });
    expect(batch.body.responses).toMatchObject([{ id: '1', status: 200, body: { id: eventId } }]);
    const meInBatch = await call(appToken, 'POST', '/$batch', {
      requests: [{ id: '1', method: 'GET', url: '/me/events' }],
    });
    expect(meInBatch.body.responses).toMatchObject([{ id: '1', status: 400 }]);
  });
});
