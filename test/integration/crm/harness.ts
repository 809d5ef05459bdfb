/**
 * Test harness for the reference CRM: a real server on 127.0.0.1:0 with an injected clock,
 * and a fetch client that holds every /api/v1 response against the OpenAPI contract.
 */
import { buildCrmApp, type CrmServerOptions, DEMO } from '../../../sandbox/crm/index';
import { TEST_CRM } from '../../support/crmServer';
import { Contract } from '../contract/openapi';

/** One contract per test module: crm-api.test.ts asserts its coverage at the end. */
export const contract = Contract.load();

/** 2026-03-04 10:00 UTC: a Wednesday, so "this week" and "2nd Wednesday" are exercised. */
export const T0 = Date.parse('2026-03-04T10:00:00Z');

export class TestClock {
  constructor(public ms = T0) {}
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface Res<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ in: string; path: string; message: string }>;
  [extension: string]: unknown;
}

export interface CallOptions {
  body?: unknown;
  /** Sent verbatim (malformed JSON, oversized bodies). */
  raw?: string;
  headers?: Record<string, string>;
  contentType?: string;
}

export class Api {
  constructor(
    readonly url: string,
    private readonly key: string | null = DEMO.apiKey,
    private readonly token: string | null = null,
  ) {}

  withKey(key: string | null): Api {
    return new Api(this.url, key, this.token);
  }

  withToken(token: string | null): Api {
    return new Api(this.url, this.key, token);
  }

  async call<T = Problem>(method: string, path: string, opts: CallOptions = {}): Promise<Res<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.key !== null) headers['x-api-key'] = this.key;
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(this.url + path, { method, headers, body: payload });
    const text = await res.text();
    const type = res.headers.get('content-type');
    const body: unknown = text.length > 0 && type?.includes('json') ? JSON.parse(text) : undefined;
    if (path.startsWith('/api/v1/')) {
      if (contract.find(method, path)) contract.check(method, path, res.status, type, body);
      else expectProblemShape(res.status, type, body);
    }
    return { status: res.status, headers: res.headers, body: body as T, text };
  }

  get<T = Problem>(path: string, opts?: CallOptions) {
    return this.call<T>('GET', path, opts);
  }
  post<T = Problem>(path: string, body?: unknown, opts?: CallOptions) {
    return this.call<T>('POST', path, { ...opts, body });
  }
  put<T = Problem>(path: string, body?: unknown, opts?: CallOptions) {
    return this.call<T>('PUT', path, { ...opts, body });
  }
  patch<T = Problem>(path: string, body?: unknown, opts?: CallOptions) {
    return this.call<T>('PATCH', path, { ...opts, body });
  }
  delete<T = Problem>(path: string, opts?: CallOptions) {
    return this.call<T>('DELETE', path, opts);
  }
}

/** Responses outside the contract (unknown routes) must still be problem documents. */
function expectProblemShape(status: number, type: string | null, body: unknown): void {
  const ok =
    status >= 400 &&
    type?.startsWith('application/problem+json') &&
    typeof body === 'object' &&
    body !== null &&
    'code' in body;
  if (!ok) throw new Error(`undocumented response ${status} ${type ?? ''} is not a problem`);
}

export interface TestServer {
  url: string;
  clock: TestClock;
  api: Api;
  admin: Api;
  close(): Promise<void>;
  /** Signs a demo user in and returns a client that carries the access token. */
  signIn(user?: string): Promise<Api>;
}

export async function startTestServer(opts: Partial<CrmServerOptions> = {}): Promise<TestServer> {
  const clock = new TestClock();
  const app = await buildCrmApp({ ...TEST_CRM, dbPath: ':memory:', now: clock.now, ...opts });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const api = new Api(url);
  return {
    url,
    clock,
    api,
    admin: api.withKey(DEMO.adminApiKey),
    close: () => app.close(),
    async signIn(user = DEMO.users[0]) {
      const res = await api.post<{ accessToken: string }>('/api/v1/sessions', {
        username: user,
        password: DEMO.password,
      });
      if (res.status !== 201) throw new Error(`sign-in failed: ${res.text}`);
      return api.withToken(res.body.accessToken);
    },
  };
}
