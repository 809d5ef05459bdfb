/**
 * CrmHttp with an injected fetch: headers, problem → ErrorCode table, bounded retries with
 * Retry-After and jittered backoff, network failure classes, refresh-once on token-expired,
 * and no console output (keys, tokens and content must never be logged).
 */
import * as z from 'zod';
import { type CrmAuth, CrmHttp } from '../../../src/crm/http';
import { ConflictError, SyncError } from '../../../src/sync/core/errors';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return {
    status,
    body: {
      type: `urn:problem:${code}`,
      title: 't',
      status,
      detail: 'd',
      instance: '/x',
      code,
      ...extra,
    },
  };
}

function setup(replies: Reply[], auth: CrmAuth | null = null) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const waits: number[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    const r = replies.shift() ?? { status: 200, body: { ok: true } };
    if (r instanceof Error) throw r;
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: r.headers,
    });
  };
  const http = new CrmHttp({
    address: 'https://crm.example.com',
    apiKey: 'KEY-123',
    fetch: fetchFn,
    sleep: async (ms) => void waits.push(ms),
    random: () => 1,
  });
  const get = () =>
    http.call({ method: 'GET', path: '/me', schema: z.object({ ok: z.boolean() }), auth });
  return { http, calls, waits, get };
}

const netError = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

async function errorOf(p: Promise<unknown>): Promise<SyncError> {
  const err = await p.catch((e: unknown) => e);
  if (!(err instanceof SyncError)) throw new Error(`expected SyncError, got ${String(err)}`);
  return err;
}

describe('CrmHttp', () => {
  it('sends the API key and bearer token to ${address}/api/v1', async () => {
    const auth = { accessToken: async () => 'TOKEN-1', refreshAfterExpiry: async () => 'TOKEN-2' };
    const { calls, get } = setup([{ status: 200, body: { ok: true } }], auth);
    await get();
    expect(calls[0]).toEqual({
      url: 'https://crm.example.com/api/v1/me',
      headers: { 'X-Api-Key': 'KEY-123', Authorization: 'Bearer TOKEN-1' },
    });
  });

  it.each([
    [problem(401, 'missing-api-key'), 'wrongApiKey'],
    [problem(401, 'invalid-api-key'), 'wrongApiKey'],
    [problem(403, 'wrong-api-key-type'), 'wrongApiKeyType'],
    [problem(401, 'invalid-credentials'), 'wrongCredentials'],
    [problem(401, 'password-expired'), 'passwordExpired'],
    [problem(403, 'sync-disabled'), 'syncDisabledForCompany'],
    [problem(409, 'mailbox-paired-elsewhere'), 'mailboxPairedElsewhere'],
    [
      problem(422, 'mailbox-mismatch', {
        mailbox: 'a@x.example',
        userEmails: ['b@y.example', 'c@y.example'],
      }),
      'mailboxMismatch',
    ],
    [problem(404, 'not-found'), 'itemNotFound'],
    [problem(404, 'route-not-found'), 'serviceNotFound'],
    [problem(410, 'cursor-expired'), 'cursorExpired'],
    [problem(403, 'not-owner'), 'roleMissing'],
    [problem(422, 'validation-failed'), 'invalidRequest'],
    [{ status: 418, body: 'teapot' }, 'invalidRequest'],
  ])('maps %j to %s', async (reply, code) => {
    expect((await errorOf(setup([reply]).get())).code).toBe(code);
  });

  it('names both addresses on mailboxMismatch (SPEC C6)', async () => {
    const reply = problem(422, 'mailbox-mismatch', {
      mailbox: 'a@x.example',
      userEmails: ['b@y.example', 'c@y.example'],
    });
    expect((await errorOf(setup([reply]).get())).params).toEqual({
      mailbox: 'a@x.example',
      crmEmail: 'b@y.example',
      crmEmails: 'b@y.example, c@y.example',
    });
  });

  it('412 is a ConflictError carrying the validated current record', async () => {
    const err = await errorOf(
      setup([problem(412, 'precondition-failed', { current: { id: 'x' } })]).get(),
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.kind).toBe('conflict');
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    const { waits, get } = setup([
      { ...problem(429, 'rate-limited'), headers: { 'Retry-After': '2' } },
      { ...problem(503, 'service-unavailable'), headers: { 'Retry-After': date } },
    ]);
    await get();
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThan(1000);
    expect(waits[1]).toBeLessThanOrEqual(3000);
  });

  it('backs off exponentially with jitter on 5xx, then gives up as serverError', async () => {
    const { waits, get } = setup([
      problem(500, 'internal-error'),
      problem(502, 'x'),
      problem(500, 'x'),
      problem(500, 'x'),
    ]);
    const err = await errorOf(get());
    expect(err.code).toBe('serverError');
    expect(waits).toEqual([250, 500, 1000]); // random() = 1: the top of each jitter range
  });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tlsFailure'],
    ['CERT_HAS_EXPIRED', 'tlsFailure'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tlsFailure'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tlsFailure'],
    ['ENOTFOUND', 'crmUnreachable'],
    ['ECONNREFUSED', 'crmUnreachable'],
    ['ECONNRESET', 'offline'],
  ])('a network error with cause %s → %s', async (cause, code) => {
    const { get } = setup([netError(cause), netError(cause), netError(cause), netError(cause)]);
    expect((await errorOf(get())).code).toBe(code);
  });

  it('a browser-style TypeError without a cause → crmUnreachable', async () => {
    expect((await errorOf(setup([new TypeError('Failed to fetch')]).get())).code).toBe(
      'crmUnreachable',
    );
  });

  it('on token-expired refreshes once and repeats; a second 401 is sessionExpired', async () => {
    const refreshAfterExpiry = jest.fn(async () => 'NEW');
    const auth = { accessToken: async () => 'OLD', refreshAfterExpiry };
    const ok = setup([problem(401, 'token-expired'), { status: 200, body: { ok: true } }], auth);
    await ok.get();
    expect(refreshAfterExpiry).toHaveBeenCalledWith('OLD');
    expect(ok.calls[1]?.headers.Authorization).toBe('Bearer NEW');
    const twice = setup([problem(401, 'token-expired'), problem(401, 'token-expired')], auth);
    expect((await errorOf(twice.get())).code).toBe('sessionExpired');
  });

  it('never writes to the console, whatever happens', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation(() => undefined),
    );
    await setup([{ status: 200, body: { bad: 'Secret subject' } }])
      .get()
      .catch(() => undefined);
    await setup([netError('ECONNREFUSED')])
      .get()
      .catch(() => undefined);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    for (const spy of spies) spy.mockRestore();
  });
});
