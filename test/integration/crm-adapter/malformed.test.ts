/**
 * A CRM that answers with bodies outside the contract: every one becomes invalidResponse
 * (kind invalidData) and nothing is written — no token remembered, no partial change list.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCrmActivities } from '../../../src/crm/crmActivities';
import { CrmSession } from '../../../src/crm/session';
import { SyncError } from '../../../src/sync/core/errors';
import { MemoryTokenStore } from './harness';

const TOKENS = {
  accessToken: 'a1',
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshToken: 'r1',
  refreshExpiresIn: 86400,
  userId: 'usr_anna',
};

/** path → [status, body text]; unknown paths answer 404. */
function serve(routes: Record<string, [number, string]>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const [status, body] = routes[`${req.method} ${req.url?.split('?')[0]}`] ?? [404, ''];
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

async function errorOf(p: Promise<unknown>): Promise<SyncError> {
  const err = await p.catch((e: unknown) => e);
  if (!(err instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(err)}`);
  return err;
}

describe('malformed CRM answers', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  const signIn = (url: string, store = new MemoryTokenStore()) =>
    CrmSession.signIn({
      address: url,
      apiKey: 'k',
      username: 'anna@contoso.example',
      password: 'pw',
      remember: true,
      tokenStore: store,
    });

  it.each([
    ['not JSON', '<html>hello</html>'],
    ['a token missing', JSON.stringify({ ...TOKENS, accessToken: undefined })],
    ['a wrong token type', JSON.stringify({ ...TOKENS, tokenType: 'MAC' })],
  ])('sign-in answer %s → invalidResponse, nothing remembered', async (_name, body) => {
    const s = await serve({ 'POST /api/v1/sessions': [201, body] });
    server = s.server;
    const store = new MemoryTokenStore();
    const err = await errorOf(signIn(s.url, store));
    expect(err).toMatchObject({ code: 'invalidResponse', kind: 'invalidData' });
    expect(store.saves).toBe(0);
  });

  it.each([
    ['truncated JSON', '{"items": [{"id": "a1", "deleted": fal'],
    ['no cursor', JSON.stringify({ items: [], hasMore: false })],
  ])('change feed with %s → invalidResponse, no partial result', async (_name, body) => {
    const s = await serve({
      'POST /api/v1/sessions': [201, JSON.stringify(TOKENS)],
      'GET /api/v1/activities/changes': [200, body],
    });
    server = s.server;
    const crm = createCrmActivities(await signIn(s.url));
    const err = await errorOf(crm.changes(null));
    expect(err.code).toBe('invalidResponse');
    // The message names where, never the values (they would be appointment content).
    expect(err.message).not.toContain('Secret');
  });

  // Issue 14: a page is checked entry by entry. One entry outside the contract is set aside by
  // its id and the feed advances past it (it used to fail the whole page, for ever); nothing of
  // its content is kept.
  it('change feed with an activity without its etag → that entry set aside, the feed advances', async () => {
    const good = {
      id: 'good',
      deleted: false,
      changedAt: '2026-03-04T10:00:00Z',
      activity: {
        id: 'good',
        etag: '"1"',
        version: 1,
        subject: 'Fine',
        description: '',
        allDay: false,
        start: '2026-03-05T10:00:00Z',
        end: '2026-03-05T11:00:00Z',
        timeZone: 'Europe/Helsinki',
        location: null,
        private: false,
        showAs: 'busy',
        reminderMinutesBeforeStart: null,
        typeId: 'typ_meeting',
        completed: false,
        cancelled: false,
        ownerId: 'usr_anna',
        participants: [],
        recurrence: null,
        relations: { customerId: null, projectId: null, salesCaseId: null },
        outlookLinks: [],
        createdAt: '2026-03-04T10:00:00Z',
        updatedAt: '2026-03-04T10:00:00Z',
      },
    };
    const bad = {
      id: 'x',
      deleted: false,
      changedAt: 'now',
      activity: { id: 'x', subject: 'Secret merger talk' },
    };
    const s = await serve({
      'POST /api/v1/sessions': [201, JSON.stringify(TOKENS)],
      'GET /api/v1/activities/changes': [
        200,
        JSON.stringify({
          items: [bad, good, 'not even an object'],
          nextCursor: 'c',
          hasMore: false,
        }),
      ],
    });
    server = s.server;
    const crm = createCrmActivities(await signIn(s.url));
    const changes = await crm.changes(null);
    expect(changes.changed.map((a) => a.id)).toEqual(['good']);
    expect(changes).toMatchObject({ unreadable: ['x'], unidentified: 1, cursor: 'c', deleted: [] });
    expect(JSON.stringify(changes)).not.toContain('Secret');
  });

  it('an error answer that is not a problem still maps by status', async () => {
    const s = await serve({
      'POST /api/v1/sessions': [201, JSON.stringify(TOKENS)],
      'GET /api/v1/activities': [403, 'nope'],
    });
    server = s.server;
    const crm = createCrmActivities(await signIn(s.url));
    const err = await errorOf(
      crm.listWindow({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' }),
    );
    expect(err.kind).toBe('forbidden');
  });
});
