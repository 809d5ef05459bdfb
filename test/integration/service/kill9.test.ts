/**
 * Issue 17: the one real `kill -9` — the service as a child process (`npm run service`, the
 * sandbox configuration) killed with SIGKILL in the middle of its first run, and started again on
 * the same data directory: the restarted process converges with no duplicate and nothing missing.
 * The hundreds of random kills are in process (test/unit/service/killedRuns.property.test.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO, startCrmServer } from '../../../sandbox/crm';
import { startGraphServer } from '../../../sandbox/graph';
import { TEST_CRM } from '../../support/crmServer';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const ANNA = DEMO.users[0];
const MADE = 30;

let crm: Awaited<ReturnType<typeof startCrmServer>>;
let graph: Awaited<ReturnType<typeof startGraphServer>>;
let dir: string;
/** Every service process this file started: afterAll kills whichever still runs. */
const children: ChildProcess[] = [];

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  // The test reads the mailbox beside the service: it is one more client of the same mailbox and
  // gets Graph's 429 (MailboxConcurrency) like any, so it waits as Retry-After says, a few times.
  for (let attempt = 1; ; attempt += 1) {
    const res = await fetch(url, init);
    const text = await res.text();
    if (res.status === 429 && attempt < 10) {
      const seconds = Math.min(Number(res.headers.get('retry-after') ?? 1) || 1, 5);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

async function until(what: string, probe: () => Promise<boolean> | boolean, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function startService(): { process: ChildProcess; lines: () => Record<string, unknown>[] } {
  // tsx as a loader in the one process (its CLI would run the script in a second, child process,
  // which a SIGKILL of the first would not reach): the pid is the service's own.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/service.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      SYNC_SERVICE_SANDBOX: '1',
      SYNC_SERVICE_GRAPH_AUTH: 'sandbox',
      SYNC_SERVICE_CRM_URL: crm.url,
      SYNC_SERVICE_GRAPH_URL: `${graph.url}/v1.0`,
      SYNC_SERVICE_DATA_DIR: dir,
      SYNC_SERVICE_SIGNAL_WAIT_SECONDS: '5',
      // Its listener (control API + notifications) on a free port: never a fixed one.
      SYNC_SERVICE_PORT: '0',
    },
  });
  let out = '';
  proc.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  children.push(proc);
  return {
    process: proc,
    lines: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

let graphToken = '';
async function outlookSubjects(): Promise<string[]> {
  const subjects: string[] = [];
  let url: string | undefined = `${graph.url}/v1.0/me/events?$top=100&$select=subject`;
  while (url) {
    const page: { value: { subject: string }[]; '@odata.nextLink'?: string } = await json(url, {
      headers: { authorization: `Bearer ${graphToken}` },
    });
    subjects.push(...page.value.map((e) => e.subject));
    url = page['@odata.nextLink'];
  }
  return subjects;
}

beforeAll(async () => {
  crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  graph = await startGraphServer({ port: 0, seedDemoData: false });
  dir = mkdtempSync(path.join(tmpdir(), 'kill9-'));
  const token = (
    await json<{ accessToken: string }>(`${crm.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ username: ANNA, password: DEMO.password }),
    })
  ).accessToken;
  const anna = { 'x-api-key': DEMO.apiKey, authorization: `Bearer ${token}` };
  await json(`${crm.url}/api/v1/pairing`, {
    method: 'PUT',
    headers: { ...anna, 'content-type': 'application/json' },
    body: JSON.stringify({ mailbox: ANNA }),
  });
  await json(`${crm.url}/api/v1/company`, {
    method: 'PATCH',
    headers: { 'x-api-key': DEMO.adminApiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ syncService: { url: 'http://127.0.0.1:1/' } }),
  });
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < MADE; i += 1) {
    const minute = String(i).padStart(2, '0');
    await json(`${crm.url}/api/v1/activities`, {
      method: 'POST',
      headers: { ...anna, 'content-type': 'application/json', 'idempotency-key': `k9-${i}` },
      body: JSON.stringify({
        subject: `Kill test ${i}`,
        start: `${day}T08:${minute}:00Z`,
        end: `${day}T09:${minute}:00Z`,
        timeZone: 'UTC',
        typeId: 'typ_meeting',
      }),
    });
  }
  graphToken = (
    await json<{ access_token: string }>(`${graph.url}/sandbox/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: ANNA }),
    })
  ).access_token;
});

/** Kills a child by its pid and waits for its exit, at most 10 s. */
async function killChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    process.kill(proc.pid, 'SIGKILL');
    await Promise.race([
      exited,
      new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
    ]);
  }
  proc.stdout?.destroy(); // its pipe no longer holds this process open
}

afterAll(async () => {
  // Run alone or failing half-way, the test must not leave a service behind.
  await Promise.all(children.map(killChild));
  await crm?.close();
  await graph?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('a service killed with SIGKILL mid-run converges after a restart: no duplicate, nothing missing', async () => {
  // Slow Graph's writes so the first run is surely under way when the kill comes.
  graph.faults.add({ kind: 'latency', ms: 150, count: 0, method: 'POST' });
  const first = startService();
  await until('some events written', async () => (await outlookSubjects()).length >= 3);
  const exited = new Promise((resolve) => first.process.once('exit', resolve));
  first.process.kill('SIGKILL');
  await exited;
  const atKill = (await outlookSubjects()).length;
  // It died mid-run: its first run never said it was done.
  expect(first.lines().some((l) => l.event === 'run')).toBe(false);
  graph.faults.clear();

  const second = startService();
  await until('the restarted run', () =>
    second.lines().some((l) => l.event === 'run' && l.state === 'done'),
  );
  const subjects = await outlookSubjects();
  const ours = subjects.filter((s) => s.startsWith('Kill test '));
  expect(atKill).toBeLessThan(subjects.length);
  expect(new Set(subjects).size).toBe(subjects.length); // no duplicate
  expect(ours.sort()).toEqual(
    Array.from({ length: MADE }, (_, i) => `Kill test ${i}`).sort(), // nothing missing
  );
  second.process.kill('SIGTERM');
  await until('a clean stop', () => second.lines().some((l) => l.event === 'stopped'), 30);
});
