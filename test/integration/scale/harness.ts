/**
 * Issue 18's worker tests: both sandbox servers in this process (loopback, ephemeral ports), a
 * PostgreSQL database of their own, and the workers as CHILD PROCESSES (`node --import tsx
 * scripts/worker.ts`, the pid the worker's own, so SIGKILL and SIGTERM reach it), each read from
 * its JSON lines on stdout. No fixed sleeps: everything waits by polling with a deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { startGraphServer } from '../../../sandbox/graph';
import { TEST_CRM } from '../../support/crmServer';
import { createTestDatabase } from '../../support/postgres';

const ROOT = path.resolve(__dirname, '../../..');

export async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  // A test reading a mailbox beside the workers is one more client of it: Graph's 429
  // (MailboxConcurrency) comes to it like to any, so it waits as Retry-After says, a few times.
  for (let attempt = 1; ; attempt += 1) {
    const res = await fetch(url, init);
    const text = await res.text();
    if (res.status === 429 && attempt < 20) {
      const seconds = Math.min(Number(res.headers.get('retry-after') ?? 1) || 1, 2);
      await new Promise((resolve) => setTimeout(resolve, seconds * 200));
      continue;
    }
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

export async function until(
  what: string,
  probe: () => Promise<boolean> | boolean,
  seconds = 60,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// ─── PostgreSQL ──────────────────────────────────────────────────────────────────────────────

export interface TestDb {
  readonly url: string;
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A database of its own for a test file (test/support/postgres.ts), and one client on it. */
export async function createDb(prefix: string): Promise<TestDb> {
  const database = await createTestDatabase(prefix);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  return {
    url: database.url,
    query: async (sql, params) => (await client.query(sql, params)).rows,
    drop: async () => {
      await client.end();
      await database.drop();
    },
  };
}

// ─── The sandbox ─────────────────────────────────────────────────────────────────────────────

export interface Sandbox {
  readonly crm: Awaited<ReturnType<typeof startCrmServer>>;
  readonly graph: Awaited<ReturnType<typeof startGraphServer>>;
  close(): Promise<void>;
}

/** Both servers, the demo users paired, the company's sync service on. */
export async function startSandbox(users: readonly string[] = DEMO.users): Promise<Sandbox> {
  const crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  const graph = await startGraphServer({ port: 0, seedDemoData: false });
  for (const user of users) {
    const person = await Person.signIn(crm.url, graph.url, user);
    await json(`${crm.url}/api/v1/pairing`, {
      method: 'PUT',
      headers: { ...person.crmHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: user }),
    });
  }
  await json(`${crm.url}/api/v1/company`, {
    method: 'PATCH',
    headers: { 'x-api-key': DEMO.adminApiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ syncService: { url: 'http://127.0.0.1:1/' } }),
  });
  return {
    crm,
    graph,
    close: async () => {
      await crm.close();
      await graph.close();
    },
  };
}

const dayPlus = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const clock = (minute: number) =>
  `${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;

/** One person's own credentials, to make and read their items on both sides. */
export class Person {
  private constructor(
    private readonly crmUrl: string,
    private readonly graphUrl: string,
    private readonly crmToken: string,
    private readonly graphToken: string,
  ) {}

  static async signIn(crmUrl: string, graphUrl: string, user: string): Promise<Person> {
    const { accessToken } = await json<{ accessToken: string }>(`${crmUrl}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: DEMO.password }),
    });
    const { access_token: graphToken } = await json<{ access_token: string }>(
      `${graphUrl}/sandbox/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mailbox: user }),
      },
    );
    return new Person(crmUrl, graphUrl, accessToken, graphToken);
  }

  crmHeaders(): Record<string, string> {
    return { 'x-api-key': DEMO.apiKey, authorization: `Bearer ${this.crmToken}` };
  }

  async createCrmActivity(subject: string, minute: number): Promise<void> {
    await json(`${this.crmUrl}/api/v1/activities`, {
      method: 'POST',
      headers: {
        ...this.crmHeaders(),
        'content-type': 'application/json',
        'idempotency-key': `scale-${randomBytes(6).toString('hex')}`,
      },
      body: JSON.stringify({
        subject,
        start: `${dayPlus(2)}T${clock(minute)}Z`,
        end: `${dayPlus(2)}T${clock(minute + 30)}Z`,
        timeZone: 'UTC',
        typeId: 'typ_meeting',
      }),
    });
  }

  async createOutlookEvent(subject: string, minute: number): Promise<void> {
    await json(`${this.graphUrl}/v1.0/me/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.graphToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject,
        start: { dateTime: `${dayPlus(1)}T${clock(minute)}`, timeZone: 'UTC' },
        end: { dateTime: `${dayPlus(1)}T${clock(minute + 30)}`, timeZone: 'UTC' },
      }),
    });
  }

  /** The subjects of the person's CRM activities in the next week. */
  async crmSubjects(): Promise<string[]> {
    const from = `${dayPlus(-1)}T00:00:00Z`;
    const to = `${dayPlus(7)}T00:00:00Z`;
    const body = await json<{ items: { subject: string }[] } | { subject: string }[]>(
      `${this.crmUrl}/api/v1/activities?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      { headers: this.crmHeaders() },
    );
    const items = Array.isArray(body) ? body : body.items;
    return items.map((a) => a.subject);
  }

  /** Every subject in the person's calendar now. */
  async outlookSubjects(): Promise<string[]> {
    const subjects: string[] = [];
    let url: string | undefined = `${this.graphUrl}/v1.0/me/events?$top=500&$select=subject`;
    for (let page = 0; url && page < 100; page += 1) {
      const body: { value: { subject: string }[]; '@odata.nextLink'?: string } = await json(url, {
        headers: { authorization: `Bearer ${this.graphToken}` },
      });
      subjects.push(...body.value.map((e) => e.subject));
      url = body['@odata.nextLink'];
    }
    return subjects;
  }
}

// ─── Workers ─────────────────────────────────────────────────────────────────────────────────

export interface ChildWorker {
  readonly process: ChildProcess;
  lines(): Record<string, unknown>[];
  /** The listener's URL, once it said `started`. */
  url(): Promise<string>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A worker as a child process; afterAll must `killAll(children)`. */
export function spawnWorker(
  sandbox: Sandbox,
  db: TestDb,
  dataDir: string,
  env: Record<string, string> = {},
): ChildWorker {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      SYNC_SERVICE_SANDBOX: '1',
      SYNC_SERVICE_GRAPH_AUTH: 'sandbox',
      SYNC_SERVICE_CRM_URL: sandbox.crm.url,
      SYNC_SERVICE_GRAPH_URL: `${sandbox.graph.url}/v1.0`,
      SYNC_SERVICE_DATA_DIR: dataDir,
      SYNC_SERVICE_SIGNAL_WAIT_SECONDS: '5',
      SYNC_SERVICE_PORT: '0',
      SYNC_SERVICE_STORE: 'postgres',
      SYNC_SERVICE_POSTGRES_URL: db.url,
      SYNC_SCALE_SWEEP_MS: '500',
      SYNC_SCALE_DEBOUNCE_MS: '100',
      ...env,
    },
  });
  let out = '';
  proc.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const lines = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    process: proc,
    lines,
    exited: () => exit,
    url: async () => {
      await until('the worker started', () => lines().some((l) => l.event === 'started'), 60);
      return String(lines().find((l) => l.event === 'started')?.url);
    },
  };
}

/**
 * The mailbox's runs under way (the run log), the process of the first and the worker that is
 * that process — the worker a test then stops or kills mid-run.
 */
export async function runUnderWay(db: TestDb, workers: readonly ChildWorker[], mailbox: string) {
  const open = await db.query<{ process_id: string }>(
    `SELECT process_id FROM sync_scale.runs WHERE mailbox = $1 AND ended_at IS NULL`,
    [mailbox],
  );
  const processId = open[0]?.process_id;
  const holder = workers.find((w) =>
    w.lines().some((l) => l.event === 'workerStarted' && l.process === processId),
  );
  return { open, processId, holder };
}

/** SIGTERM, then the exit — or, past `seconds`, a sentence saying there was none. */
export function terminate(child: ChildWorker, seconds: number): Promise<unknown> {
  child.process.kill('SIGTERM');
  return Promise.race([
    child.exited(),
    new Promise((resolve) =>
      setTimeout(() => resolve(`no exit within ${seconds} s`), seconds * 1000).unref(),
    ),
  ]);
}

/** Kills every child still running (SIGKILL by pid) and waits for each, at most 10 s. */
export async function killAll(children: readonly ChildWorker[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      const proc = child.process;
      if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
        process.kill(proc.pid, 'SIGKILL');
        await Promise.race([
          child.exited(),
          new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
        ]);
      }
      proc.stdout?.destroy();
    }),
  );
}

/** The run log's pairs of overlapping runs of one mailbox (should be none). */
export async function overlaps(db: TestDb): Promise<unknown[]> {
  return db.query(
    `SELECT a.mailbox, a.id, b.id AS other FROM sync_scale.runs a JOIN sync_scale.runs b
       ON a.mailbox = b.mailbox AND a.id < b.id
      AND b.started_at < coalesce(a.ended_at, 'infinity')
      AND a.started_at < coalesce(b.ended_at, 'infinity')`,
  );
}

/** Parses Prometheus's text format (exposition format 0.0.4): samples by name and labels. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const value = Number(match[3]);
    if (Number.isNaN(value) && match[3] !== 'NaN') throw new Error(`bad value: ${line}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, value);
  }
  return samples;
}

/** What a scale suite works in: the servers, its own database, a folder, its workers. */
export interface ScaleSetUp {
  sandbox: Sandbox;
  db: TestDb;
  dir: string;
  readonly children: ChildWorker[];
}

/**
 * Starts the servers (for `users`) and a database of its own before the file's tests, and after
 * them kills every worker the tests pushed onto `children`, closes the servers and drops the
 * database. The returned object is filled in by beforeAll: read it inside a test.
 */
export function useScaleSetUp(name: string, users?: readonly string[]): ScaleSetUp {
  const setUp = { children: [] as ChildWorker[] } as unknown as ScaleSetUp;
  beforeAll(async () => {
    [setUp.sandbox, setUp.db] = await Promise.all([startSandbox(users), createDb(name)]);
    setUp.dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
  });
  afterAll(async () => {
    await killAll(setUp.children);
    await setUp.sandbox?.close();
    await setUp.db?.drop();
    if (setUp.dir) rmSync(setUp.dir, { recursive: true, force: true });
  });
  return setUp;
}
