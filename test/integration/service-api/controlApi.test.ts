/**
 * The service's control API (issue 17, item 6) over real HTTP on loopback: the reference CRM
 * vouches for the caller (GET /pairing with the pane's own CRM credential), a ServiceControl reads
 * a real SQLite SyncStore, and every answer is held to the API's zod schemas.
 */
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { listenControlApi, InsecureListenError } from '../../../src/service/api/controlApi';
import {
  BrakeResponse,
  HistoryResponse,
  ProblemSchema,
  ServiceStatusSchema,
  SetAsideResponse,
  TrashResponse,
} from '../../../src/shared/serviceApi';
import { crmVerifier } from '../../../src/service/api/verifyCaller';
import type { AskedBrake } from '../../../src/service/control';
import { TEST_CRM } from '../../support/crmServer';
import { SqliteServiceControl } from '../../support/sqliteServiceControl';

const PANE_ORIGIN = 'https://pane.example';
const ANNA = DEMO.users[0];
const BEN = DEMO.users[1];
const CARLA = DEMO.users[2];

let crm: Awaited<ReturnType<typeof startCrmServer>>;
let api: Awaited<ReturnType<typeof listenControlApi>>;
let control: SqliteServiceControl;
let crmCalls = 0;
const tokens: Record<string, string> = {};

async function signIn(username: string): Promise<string> {
  const res = await fetch(`${crm.url}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': DEMO.apiKey },
    body: JSON.stringify({ username, password: DEMO.password }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function pair(token: string, mailbox: string): Promise<void> {
  const res = await fetch(`${crm.url}/api/v1/pairing`, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/json',
      'X-Api-Key': DEMO.apiKey,
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ mailbox }),
  });
  expect(res.status).toBeLessThan(300);
}

function call(
  path: string,
  options: {
    as?: string | null;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
) {
  const who = options.as === undefined ? ANNA : options.as;
  return fetch(`${api.url}/v1/me${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(who === null ? {} : { 'X-Api-Key': DEMO.apiKey, Authorization: `Bearer ${tokens[who]}` }),
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return ProblemSchema.parse(await res.json());
}

const ASKED: AskedBrake[] = [
  {
    brake: { kind: 'massDelete', destructive: 12, linked: 20, ids: ['o-1', 'o-2'] },
    items: [
      { id: 'o-1', subject: '<b>Board</b>', start: '2026-12-07T09:00:00Z' },
      { id: 'o-2', subject: '', start: null },
    ],
  },
];

beforeAll(async () => {
  crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  for (const user of [ANNA, BEN, CARLA]) tokens[user] = await signIn(user);
  await pair(tokens[ANNA]!, ANNA);
  await pair(tokens[CARLA]!, CARLA);
  // Ben signs in but pairs nothing.
  control = new SqliteServiceControl(() => '2026-12-05T12:00:00Z');
  const store = control.add(ANNA);
  // Carla is paired in the CRM, but this service does not sync her mailbox.
  const counting: typeof fetch = (input, init) => {
    crmCalls += 1;
    return fetch(input, init);
  };
  api = await listenControlApi({
    control,
    verify: crmVerifier({ crmAddress: crm.url, fetch: counting }),
    paneOrigins: [PANE_ORIGIN],
    host: '127.0.0.1',
    port: 0,
  });
  // What runs of the engine leave in Anna's store: one quiet run, one with a failure, a trash row.
  const first = await store.startRun({
    startedAt: '2026-12-05T10:00:00Z',
    state: 'running',
    counts: {},
    failures: [],
  });
  await store.finishRun({
    id: first,
    startedAt: '2026-12-05T10:00:00Z',
    finishedAt: '2026-12-05T10:00:02Z',
    state: 'done',
    counts: { updateCrm: 2, rebase: 5 },
    failures: [{ itemKey: 'o:AAA', code: 'editConflict' }],
  });
  await store.addTrash({
    at: '2026-12-05T10:00:01Z',
    outlookId: 'AAA',
    crmId: 'act_1',
    lost: { field: 'subject', side: 'crm', value: 'Quarterly <script>' },
  });
  await store.setAside('o:BBB', 'invalidRequest', '2026-12-05T10:00:01Z');
});

afterAll(async () => {
  await api?.close();
  await crm?.close();
  control?.close();
});

test('answers the caller only after the CRM vouched for their credential', async () => {
  const none = await call('/status', { as: null });
  expect(none.status).toBe(401);
  expect((await problemOf(none)).code).toBe('unauthorized');

  const forged = await fetch(`${api.url}/v1/me/status`, {
    headers: { 'X-Api-Key': DEMO.apiKey, Authorization: 'Bearer not-a-token' },
  });
  expect(forged.status).toBe(401);
  expect((await problemOf(forged)).code).toBe('unauthorized');

  const wrongKey = await fetch(`${api.url}/v1/me/status`, {
    headers: { 'X-Api-Key': 'not-a-key', Authorization: `Bearer ${tokens[ANNA]}` },
  });
  expect(wrongKey.status).toBe(401);
});

test('a person with no pairing, or one the service does not sync, sees nothing of anyone', async () => {
  const ben = await call('/status', { as: BEN });
  expect(ben.status).toBe(403);
  expect((await problemOf(ben)).code).toBe('not-paired');
  // Carla is paired, but not synced here: 404, not Anna's answer or an empty "all is well".
  for (const path of ['/status', '/history', '/trash', '/set-aside', '/brake']) {
    const res = await call(path, { as: CARLA });
    expect([path, res.status]).toEqual([path, 404]);
    expect((await problemOf(res)).code).toBe('mailbox-not-synced');
  }
  const restore = await call('/trash/1/restore', { as: CARLA, method: 'POST' });
  expect(restore.status).toBe(404);
  expect(control.syncNowCount(ANNA)).toBe(0);
});

test('status, history, set-aside items and trash come from the mailbox store, as the views show them', async () => {
  const status = ServiceStatusSchema.parse(await (await call('/status')).json());
  expect(status).toMatchObject({ mailboxId: ANNA, state: 'idle', lastTrigger: 'start' });

  const history = HistoryResponse.parse(await (await call('/history?limit=5')).json());
  expect(history.items).toEqual([
    {
      id: expect.any(Number),
      startedAt: '2026-12-05T10:00:00Z',
      finishedAt: '2026-12-05T10:00:02Z',
      state: 'done',
      changes: 2,
      failures: [{ itemKey: 'o:AAA', code: 'editConflict', subject: null, unresolved: false }],
      brake: null,
    },
  ]);
  const trash = TrashResponse.parse(await (await call('/trash')).json());
  expect(trash.items).toEqual([
    expect.objectContaining({
      kind: 'overwritten',
      lost: { field: 'subject', side: 'crm', value: 'Quarterly <script>' },
      restore: null,
    }),
  ]);
  const setAside = SetAsideResponse.parse(await (await call('/set-aside')).json());
  expect(setAside.items).toEqual([
    expect.objectContaining({ itemKey: 'o:BBB', lastCode: 'invalidRequest', unlinked: true }),
  ]);
  expect((await call('/history?limit=0')).status).toBe(400);
  expect((await call('/history?limit=1000')).status).toBe(400);
});

test('restore asks the store once; a second press is not accepted', async () => {
  const [row] = TrashResponse.parse(await (await call('/trash')).json()).items;
  const first = await call(`/trash/${row!.id}/restore`, { method: 'POST' });
  expect(await first.json()).toEqual({ accepted: true });
  const again = await call(`/trash/${row!.id}/restore`, { method: 'POST' });
  expect(await again.json()).toEqual({ accepted: false });
  const [after] = TrashResponse.parse(await (await call('/trash')).json()).items;
  expect(after!.restore).toEqual({ state: 'requested', requestedAt: '2026-12-05T12:00:00Z' });
  expect((await call('/trash/x/restore', { method: 'POST' })).status).toBe(400);
});

test('"Sync now" and retry reach the service', async () => {
  const res = await call('/sync', { method: 'POST' });
  expect(await res.json()).toEqual({ accepted: true });
  expect(control.syncNowCount(ANNA)).toBe(1);
  const retry = await call('/set-aside/retry', { method: 'POST', body: { itemKey: 'o:BBB' } });
  expect(await retry.json()).toEqual({ accepted: true });
  expect(SetAsideResponse.parse(await (await call('/set-aside')).json()).items).toEqual([]);
  const bad = await call('/set-aside/retry', { method: 'POST', body: { itemKey: 'o:BBB', x: 1 } });
  expect(bad.status).toBe(400);
  expect((await problemOf(bad)).code).toBe('validation-failed');
});

test("the brake's question and its answer: exactly the confirmation sent, once", async () => {
  expect(BrakeResponse.parse(await (await call('/brake')).json())).toEqual({ asked: null });
  control.brake(ANNA, ASKED);
  const status = ServiceStatusSchema.parse(await (await call('/status')).json());
  expect(status.state).toBe('braked');
  expect(BrakeResponse.parse(await (await call('/brake')).json())).toEqual({ asked: ASKED });
  const confirmation = [{ items: 'calendar', ids: ['o-1', 'o-2'] }];
  const answer = await call('/brake/answer', { method: 'POST', body: { confirmation } });
  expect(await answer.json()).toEqual({ accepted: true });
  expect(control.answers(ANNA)).toEqual([confirmation]);
  const stale = await call('/brake/answer', { method: 'POST', body: { confirmation } });
  expect(await stale.json()).toEqual({ accepted: false });
  const blanket = await call('/brake/answer', { method: 'POST', body: { confirmation: true } });
  expect(blanket.status).toBe(400);
});

test('CORS admits the pane origin only', async () => {
  const preflight = (origin: string) =>
    fetch(`${api.url}/v1/me/sync`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,x-api-key',
      },
    });
  const ok = await preflight(PANE_ORIGIN);
  expect(ok.headers.get('access-control-allow-origin')).toBe(PANE_ORIGIN);
  expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
  const other = await preflight('https://evil.example');
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const read = await call('/status', { headers: { Origin: 'https://evil.example' } });
  expect(read.headers.get('access-control-allow-origin')).toBeNull();
  expect(read.headers.get('cache-control')).toBe('no-store');
});

test('a verified credential is not checked with the CRM on every poll', async () => {
  const before = crmCalls;
  for (let i = 0; i < 5; i += 1) expect((await call('/status')).status).toBe(200);
  expect(crmCalls - before).toBe(0);
});

test('an answer that breaks its schema is a 500 problem, not sent', async () => {
  control.setStatus(ANNA, { state: 'exploded' as 'idle' });
  const res = await call('/status');
  expect(res.status).toBe(500);
  expect((await problemOf(res)).code).toBe('internal');
  control.setStatus(ANNA, { state: 'idle' });
});

test('off loopback the API listens only over https', async () => {
  await expect(
    listenControlApi({
      control,
      verify: async () => ({ mailboxId: ANNA }),
      paneOrigins: [PANE_ORIGIN],
      host: '0.0.0.0',
      port: 0,
    }),
  ).rejects.toBeInstanceOf(InsecureListenError);
});
