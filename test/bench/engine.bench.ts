/**
 * `npm run bench` (second part): the real engine — runSync over createEngineDeps, the same wiring
 * as the pane and `npm run sync` — against both sandbox servers, over loopback HTTP. Issue 16
 * item 6: the servers run in a child process (./sandboxServers.ts), so the heap measured here is
 * the engine's own. Scenario (issue 4): a first sync of N CRM activities and N Outlook events of
 * which N/2 exist on both sides (pairs to link), then idle runs, then 100 single-event pushes;
 * issue 16: a relink (an empty store, every item stamped), an idle run with contact sync and K1
 * on, and a first sync against a Graph budget scaled down so that it needs several windows.
 *
 * Prints a table; with `--json` the last line is one JSON object of flat dotted keys. Not a test:
 * nothing here asserts, and the targets are only printed next to the measured figures.
 *
 * BENCH_ITEMS (default 5000) sets N; BENCH_PUSHES (default 100) the number of pushes;
 * BENCH_BUDGET_ITEMS (default N) the budget scenario's N, BENCH_BUDGET_LIMIT (default 1000) and
 * BENCH_BUDGET_WINDOW_SECONDS (default 60) its budget. BENCH_FIRST_SYNC_ONLY=1 stops after the
 * first sync and prints its wall, CPU and heap alone.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { constants as perfConstants, performance, PerformanceObserver } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { writeFile, mkdir } from 'node:fs/promises';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DEMO } from '../../sandbox/crm';
import { CrmSession } from '../../src/crm';
import type { CrmTokenStore } from '../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../src/sync/compose';
import { GraphClient } from '../../src/outlook/graphClient';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../src/sync/core/settings';
import type { EngineDeps } from '../../src/sync/engine/context';
import { InProcessRunLock } from '../../src/sync/engine/lock';
import { runSync, type RunOutcome } from '../../src/sync/engine/run';
import { dbOf } from '../support/store';

const N = positiveInt('BENCH_ITEMS', 5000);
const PUSHES = positiveInt('BENCH_PUSHES', 100);
const BUDGET_ITEMS = positiveInt('BENCH_BUDGET_ITEMS', N);
const BUDGET_LIMIT = positiveInt('BENCH_BUDGET_LIMIT', 1000);
const BUDGET_WINDOW_SECONDS = positiveInt('BENCH_BUDGET_WINDOW_SECONDS', 60);
const JSON_ONLY = process.argv.includes('--json');
const MAILBOX = DEMO.users[0];
const ZONE = 'Europe/Helsinki';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 2) throw new Error(`${name} must be an integer ≥ 2`);
  return value;
}

// ---- Request counting: every adapter calls globalThis.fetch at request time, so wrapping it here
// counts what the engine really sends, per side, by URL prefix. Bytes are response bodies (what
// crosses the wire to the client), read fully here and handed on as a new Response.

interface SideCount {
  requests: number;
  /** As Graph counts them (issue 16): a $batch counts as its sub-requests. */
  subRequests: number;
  bytes: number;
}
const counts = {
  graph: { requests: 0, subRequests: 0, bytes: 0 },
  crm: { requests: 0, subRequests: 0, bytes: 0 },
};
const prefixes: { graph: string; crm: string } = { graph: '\0', crm: '\0' };
let counting = false;

function resetCounts(): void {
  for (const side of [counts.graph, counts.crm]) {
    Object.assign(side, { requests: 0, subRequests: 0, bytes: 0 });
  }
}

function snapshot(): { graph: SideCount; crm: SideCount } {
  return { graph: { ...counts.graph }, crm: { ...counts.crm } };
}

const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const side = url.startsWith(prefixes.graph)
    ? counts.graph
    : url.startsWith(prefixes.crm)
      ? counts.crm
      : null;
  const sent = performance.now();
  const response = await realFetch(input, init);
  if (!counting || side === null) return response;
  side.requests += 1;
  side.subRequests += url.endsWith('/$batch') ? subRequestsOf(init?.body) : 1;
  if (TRACE) traceRequest(side === counts.graph ? 'graph' : 'crm', url, init, sent);
  const body = await response.arrayBuffer();
  side.bytes += body.byteLength;
  // A null-body status (204, 304) must be rebuilt without a body.
  const nullBody = [101, 204, 205, 304].includes(response.status);
  return new Response(nullBody ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};

/**
 * BENCH_TRACE=1: every counted request on stderr — its side, method and path without the query
 * (and each sub-request of a $batch the same way) and the milliseconds until its answer's headers,
 * to see where a scenario's requests go.
 */
const TRACE = process.env.BENCH_TRACE === '1';
function traceRequest(
  side: string,
  url: string,
  init: RequestInit | undefined,
  sent: number,
): void {
  const path = (u: string) => u.split('?')[0]?.replace(/[A-Za-z0-9_=-]{20,}/g, '{id}') ?? '';
  const method = init?.method ?? 'GET';
  const inner: string[] = [];
  if (url.endsWith('/$batch') && typeof init?.body === 'string') {
    const parsed = JSON.parse(init.body) as { requests?: { method?: string; url?: string }[] };
    for (const r of parsed.requests ?? []) inner.push(`${r.method ?? '?'} ${path(r.url ?? '')}`);
  }
  const shown = new URL(url).pathname.replace(/[A-Za-z0-9_=-]{20,}/g, '{id}');
  process.stderr.write(
    `[trace] ${side} ${method} ${shown}${inner.length ? ` [${inner.join(', ')}]` : ''}` +
      ` ${Math.round(performance.now() - sent)} ms\n`,
  );
}

function subRequestsOf(body: unknown): number {
  if (typeof body !== 'string') return 1;
  const parsed = JSON.parse(body) as { requests?: unknown[] };
  return parsed.requests?.length ?? 1;
}

/**
 * BENCH_PROFILE=<dir>: a V8 CPU profile of each timed phase of this process (the engine's side:
 * first sync, idle, relink, the pushes together) written to <dir>/<phase>.cpuprofile — open it in
 * Chrome's DevTools or read it with scripts of your own. BENCH_HEAP_SNAPSHOT=<MB>: a heap snapshot
 * (written to the system temporary directory) the first time the first sync's heap passes that many MB, to
 * see what it holds near its peak. Off by default: both slow the engine down.
 */
const PROFILE_DIR = process.env.BENCH_PROFILE ?? '';
let profiler: Session | null = null;
/**
 * BENCH_PROFILE_ALLOCATIONS=1 (with BENCH_PROFILE): a sampling heap profile of each phase too,
 * <dir>/<phase>.heapprofile — every allocation sampled, collected ones included, so what the
 * engine allocates (not only what it keeps) is seen by the stack that allocated it.
 */
const PROFILE_ALLOCATIONS = process.env.BENCH_PROFILE_ALLOCATIONS === '1';
async function profileStart(): Promise<void> {
  if (PROFILE_DIR === '') return;
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
    if (PROFILE_ALLOCATIONS) await profiler.post('HeapProfiler.enable');
  }
  await profiler.post('Profiler.start');
  if (PROFILE_ALLOCATIONS) {
    await profiler.post('HeapProfiler.startSampling', {
      samplingInterval: 64 * 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
}
async function profileStop(phase: string): Promise<void> {
  if (!profiler) return;
  const { profile } = await profiler.post('Profiler.stop');
  await mkdir(PROFILE_DIR, { recursive: true });
  await writeFile(resolve(PROFILE_DIR, `${phase}.cpuprofile`), JSON.stringify(profile));
  if (PROFILE_ALLOCATIONS) {
    const sampled = await profiler.post('HeapProfiler.stopSampling');
    await writeFile(resolve(PROFILE_DIR, `${phase}.heapprofile`), JSON.stringify(sampled.profile));
  }
}

// ---- Heap: sampled every 50 ms. The servers run in a child process: this is the engine's own.

let peakHeap = 0;
const SNAPSHOT_AT_MB = Number(process.env.BENCH_HEAP_SNAPSHOT ?? 0);
let snapshotTaken = false;
function sampleHeap(): void {
  const used = process.memoryUsage().heapUsed;
  peakHeap = Math.max(peakHeap, used);
  if (SNAPSHOT_AT_MB > 0 && !snapshotTaken && used > SNAPSHOT_AT_MB * 1024 * 1024) {
    snapshotTaken = true;
    const file = resolve(tmpdir(), `engine-bench-${process.pid}.heapsnapshot`);
    process.stderr.write(`[bench] heap snapshot: ${writeHeapSnapshot(file)}\n`);
  }
}
const MB = 1024 * 1024;

/**
 * A full collection before the first sync is measured: the engine's heap starts from its live set,
 * not from the garbage the bench's own seeding left (10,000 items posted over HTTP: ~65 MB of it,
 * and V8's next limit sized from that phase). `gc` without `--expose-gc` on the command line: the
 * flag set at run time, a fresh context exposes the function.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The heap just after each major GC (observed when Node reports the GC, a moment later): close
 * to the live set, where `heapUsed` sampled every 50 ms also counts the garbage V8 has not yet
 * collected — and V8 lets that grow to a multiple of the live set when the engine allocates fast.
 */
let peakAfterMajorGc = 0;
const majorGcs = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
    if (detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
      peakAfterMajorGc = Math.max(peakAfterMajorGc, process.memoryUsage().heapUsed);
    }
  }
});

// ---- The sandbox, seeded through its own HTTP APIs before anything is timed.

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs `task(i)` for i < count with `width` in flight (the emulator allows 4 per mailbox). */
async function pool(count: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        await task(i);
      }
    }),
  );
}

/**
 * Slot i: 15-minute items from tomorrow 07:00 UTC, 30 a day, so 1.5·N slots stay inside the
 * default window (365 days ahead) up to N ≈ 7,000.
 */
/** Today's midnight UTC, taken once: a seeding that runs past midnight must not split pairs. */
const TODAY = (() => {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  return today;
})();

function slot(i: number): { start: string; end: string } {
  const day = 1 + Math.floor(i / 30);
  const start = TODAY.getTime() + day * 86_400_000 + (7 * 60 + (i % 30) * 15) * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { start: iso(start), end: iso(start + 15 * 60_000) };
}

interface Sandbox {
  crmUrl: string;
  graphUrl: string;
  crmHeaders: Record<string, string>;
  graphHeaders: Record<string, string>;
  /** CPU seconds (user + system) the servers' process has used so far; NaN where unknown. */
  serversCpuSeconds(): number;
  close(): Promise<void>;
}

/** CPU seconds of a process from /proc (Linux; NaN elsewhere): utime + stime at 100 ticks/s. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** `npm run bench` runs from the repository's root. */
const SERVERS = resolve('test/bench/sandboxServers.ts');
const SERVICE_BENCH = resolve('test/bench/service.bench.ts');

/**
 * Issue 17: the always-on service's latencies (test/bench/service.bench.ts) in a process of its
 * own, so its servers and service add nothing to this one's heap; its `service.*` keys join this
 * JSON. BENCH_SERVICE=0 leaves it out; `npm run bench:service` runs it alone.
 */
async function serviceKeys(): Promise<Record<string, number>> {
  if (process.env.BENCH_SERVICE === '0') return {};
  const child = spawn(process.execPath, [...process.execArgv, SERVICE_BENCH, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`the service bench failed (${code})`);
  return JSON.parse(last) as Record<string, number>;
}

const SCALE_BENCH = resolve('test/bench/scaleOut.bench.ts');

/**
 * Issue 18: the scale-out load test (test/bench/scaleOut.bench.ts) in a process of its own; its
 * `scaleOut.*` keys join this JSON. BENCH_SCALE=0 leaves it out; `npm run bench:scale` runs it
 * alone (BENCH_SCALE_MAILBOXES, default 1,000).
 */
async function scaleKeys(): Promise<Record<string, number>> {
  if (process.env.BENCH_SCALE === '0') return {};
  const child = spawn(process.execPath, [...process.execArgv, SCALE_BENCH, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`the scale-out bench failed (${code})`);
  return JSON.parse(last) as Record<string, number>;
}

/** Starts both servers in a child process (the same loader as this one: tsx's). */
async function startServers(): Promise<{ crmUrl: string; graphUrl: string; child: ChildProcess }> {
  // BENCH_SERVERS_PROFILE=<dir>: a CPU profile of the servers' process, written when it ends.
  const profile = process.env.BENCH_SERVERS_PROFILE;
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...profiling, SERVERS], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the sandbox servers ended (${code})`)));
  });
  lines.close();
  const urls = JSON.parse(first) as { crmUrl: string; graphUrl: string };
  return { ...urls, child };
}

async function startSandbox(): Promise<Sandbox> {
  const { crmUrl, graphUrl, child } = await startServers();
  const key = { 'X-Api-Key': DEMO.apiKey, 'content-type': 'application/json' };
  const { accessToken } = await json<{ accessToken: string }>(
    await fetch(`${crmUrl}/api/v1/sessions`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ username: MAILBOX, password: DEMO.password }),
    }),
  );
  const { access_token: graphToken } = await json<{ access_token: string }>(
    await fetch(`${graphUrl}/sandbox/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: MAILBOX }),
    }),
  );
  return {
    crmUrl,
    graphUrl,
    crmHeaders: { ...key, authorization: `Bearer ${accessToken}` },
    graphHeaders: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
    serversCpuSeconds: () => cpuSecondsOf(child.pid),
    close: async () => {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.end();
      await ended;
    },
  };
}

/**
 * Issue 16: the seeding went through Graph's own API; the mailbox's budget starts again after it
 * (setting the budget restarts its count), so what the engine meets is its own spending.
 */
async function restartBudget(sandbox: Sandbox): Promise<void> {
  const reset = await fetch(`${sandbox.graphUrl}/sandbox/budget`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!reset.ok) throw new Error(`POST /sandbox/budget answered ${reset.status}`);
}

async function seed(sandbox: Sandbox, N: number): Promise<void> {
  const half = Math.floor(N / 2);
  // CRM: N activities — slots [0, half) are the pairs, [half, N) CRM-only.
  await pool(N, 4, async (i) => {
    const { start, end } = slot(i);
    await json(
      await fetch(`${sandbox.crmUrl}/api/v1/activities`, {
        method: 'POST',
        headers: { ...sandbox.crmHeaders, 'idempotency-key': `bench-crm-${i}` },
        body: JSON.stringify({
          subject: i < half ? `Bench pair ${i}` : `Bench CRM ${i}`,
          start,
          end,
          // The same zone as the Outlook copies: a pair that differed in its zone would be a
          // pair to reconcile (an update and a trash entry), not the plain link measured here.
          timeZone: 'UTC',
          typeId: 'typ_meeting',
        }),
      }),
    );
  });
  // Outlook: N events — the same pairs, then Outlook-only ones in slots [N, N + N - half).
  await pool(N, 4, async (i) => {
    const index = i < half ? i : N + (i - half);
    const { start, end } = slot(index);
    await json(
      await fetch(`${sandbox.graphUrl}/v1.0/me/events`, {
        method: 'POST',
        headers: sandbox.graphHeaders,
        body: JSON.stringify({
          subject: i < half ? `Bench pair ${i}` : `Bench Outlook ${index}`,
          start: { dateTime: start.slice(0, -1), timeZone: 'UTC' },
          end: { dateTime: end.slice(0, -1), timeZone: 'UTC' },
        }),
      }),
    );
  });
}

interface EngineOptions {
  /** A fresh IndexedDB: an empty store. */
  readonly indexedDB?: IDBFactory;
  /** Contact sync two-way with K1 on. */
  readonly contacts?: boolean;
  readonly budget?: { readonly limit: number; readonly windowMs: number };
}

/**
 * One Graph client per sandbox, as the runtime root gives one per mailbox (issue 16 item 4):
 * every engine of the bench on that mailbox shares its gate and its pacer.
 */
const clients = new Map<string, GraphClient>();
function clientFor(sandbox: Sandbox, budget?: EngineOptions['budget']): GraphClient {
  const known = clients.get(sandbox.graphUrl);
  if (known) return known;
  const client = new GraphClient({
    baseUrl: `${sandbox.graphUrl}/v1.0`,
    tokens: new SandboxTokenProvider({
      tokenUrl: `${sandbox.graphUrl}/sandbox/token`,
      mailbox: () => MAILBOX,
    }),
    ...(budget ? { budget } : {}),
  });
  clients.set(sandbox.graphUrl, client);
  return client;
}

async function engineFor(sandbox: Sandbox, options: EngineOptions = {}): Promise<EngineDeps> {
  let refresh: string | null = null;
  const tokenStore: CrmTokenStore = {
    load: async () => refresh,
    save: async (t) => void (refresh = t),
    clear: async () => void (refresh = null),
  };
  const crmSession = await CrmSession.signIn({
    address: sandbox.crmUrl,
    apiKey: DEMO.apiKey,
    username: MAILBOX,
    password: DEMO.password,
    remember: false,
    tokenStore,
  });
  const calendars = await json<{ value: { id: string; isDefaultCalendar: boolean }[] }>(
    await fetch(`${sandbox.graphUrl}/v1.0/me/calendars`, { headers: sandbox.graphHeaders }),
  );
  const settings: SyncSettings = {
    outlookToCrm: DEFAULT_DIRECTION,
    crmToOutlook: DEFAULT_DIRECTION,
    defaultTypeId: 'typ_meeting',
    personalTypeId: 'typ_personal',
    privateMode: 'full',
    busySubject: 'Busy',
    conflictPolicy: 'newest-wins',
    timeZone: ZONE,
    mailbox: MAILBOX,
    crmUserId: crmSession.userId,
    ...(options.contacts
      ? {
          contacts: {
            mode: 'twoWay' as const,
            addActivityContacts: true,
            conflictPolicy: 'newest-wins' as const,
          },
        }
      : {}),
  };
  return createEngineDeps({
    graphBaseUrl: `${sandbox.graphUrl}/v1.0`,
    graphTokens: new SandboxTokenProvider({
      tokenUrl: `${sandbox.graphUrl}/sandbox/token`,
      mailbox: () => MAILBOX,
    }),
    crmSession,
    settings,
    calendarId: calendars.value.find((c) => c.isDefaultCalendar)?.id ?? '',
    holderId: 'engine-bench',
    lock: new InProcessRunLock(),
    indexedDB: options.indexedDB ?? globalThis.indexedDB,
    graph: clientFor(sandbox, options.budget),
  });
}

function written(outcome: RunOutcome): { total: number; byOp: Record<string, number> } {
  if (outcome.state !== 'done') throw new Error(`run ended ${outcome.state}: ${describe(outcome)}`);
  // rebase only moves local bases (no request); every other op writes to at least one side.
  const byOp = { ...outcome.counts } as Record<string, number>;
  const total = Object.entries(byOp)
    .filter(([op]) => op !== 'rebase')
    .reduce((sum, [, n]) => sum + n, 0);
  return { total, byOp };
}

function describe(outcome: RunOutcome): string {
  if (outcome.state === 'failed') return `${outcome.error.code} ${outcome.error.message}`;
  if (outcome.state === 'braked') return outcome.brake.kind;
  return outcome.state;
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  prefixes.graph = sandbox.graphUrl;
  prefixes.crm = sandbox.crmUrl;
  let closed = false;
  try {
    const seedStarted = performance.now();
    await seed(sandbox, N);
    await restartBudget(sandbox);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const deps = await engineFor(sandbox);

    // First sync.
    resetCounts();
    counting = true;
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    peakHeap = heapBefore;
    const sampler = setInterval(sampleHeap, 50);
    peakAfterMajorGc = 0;
    majorGcs.observe({ entryTypes: ['gc'] });
    await profileStart();
    const firstCpu = { engine: ownCpuSeconds(), servers: sandbox.serversCpuSeconds() };
    const firstStarted = performance.now();
    const first = await runSync(deps);
    const firstSeconds = (performance.now() - firstStarted) / 1000;
    firstCpu.engine = ownCpuSeconds() - firstCpu.engine;
    firstCpu.servers = sandbox.serversCpuSeconds() - firstCpu.servers;
    await profileStop('firstSync');
    clearInterval(sampler);
    sampleHeap();
    majorGcs.disconnect();
    counting = false;
    if (TRACE) process.stderr.write('[trace] --- first sync ended\n');
    const firstCounts = snapshot();
    const firstWritten = written(first);
    if (process.env.BENCH_FIRST_SYNC_ONLY === '1') {
      // A developer's loop (the heap, the first sync's cost): the first sync's figures alone.
      console.log(
        JSON.stringify({
          n: N,
          'firstSync.items': firstWritten.total,
          'firstSync.wallSeconds': round(firstSeconds, 2),
          'firstSync.engineCpuSeconds': round(firstCpu.engine, 1),
          'firstSync.heapBeforeMB': round(heapBefore / MB, 1),
          'firstSync.peakHeapMB': round(peakHeap / MB, 1),
          'firstSync.peakHeapAfterMajorGcMB': round(peakAfterMajorGc / MB, 1),
        }),
      );
      return;
    }

    // Idle: nothing changed by anyone. The first such run still reads the first sync's own writes
    // back from both feeds (its cursors were taken before it wrote); the one after it is the
    // steady state a scheduler polls in. Both are measured and reported.
    const measureRun = async (engine: EngineDeps = deps, phase = 'idle') => {
      if (TRACE) process.stderr.write('[trace] --- a run\n');
      resetCounts();
      counting = true;
      await profileStart();
      const cpu = { engine: ownCpuSeconds(), servers: sandbox.serversCpuSeconds() };
      const started = performance.now();
      const outcome = await runSync(engine);
      const seconds = (performance.now() - started) / 1000;
      cpu.engine = ownCpuSeconds() - cpu.engine;
      cpu.servers = sandbox.serversCpuSeconds() - cpu.servers;
      await profileStop(phase);
      counting = false;
      return { seconds, cpu, counts: snapshot(), written: written(outcome) };
      // (each run's counts are its own: resetCounts above)
    };
    const idle = await measureRun();
    const steady = await measureRun();

    // Push: one Outlook edit, then a run (runSync-driven: no scheduler, no debounce), until the
    // CRM serves the new subject. Timed from just before the edit is sent.
    const links = (await dbOf(deps).links.toArray()).slice(0, PUSHES);
    await profileStart();
    const latencies: number[] = [];
    const pushRequests = { graph: 0, crm: 0 };
    /** The engine's CPU seconds in the pushes' runs (the latency's share that is not waiting). */
    let pushCpu = 0;
    let missed = 0;
    for (const [k, link] of links.entries()) {
      const subject = `Pushed ${k}`;
      const started = performance.now();
      await json(
        await fetch(`${sandbox.graphUrl}/v1.0/me/events/${link.outlookId}`, {
          method: 'PATCH',
          headers: sandbox.graphHeaders,
          body: JSON.stringify({ subject }),
        }),
      );
      resetCounts();
      counting = true;
      const cpuBefore = ownCpuSeconds();
      const outcome = await runSync(deps);
      pushCpu += ownCpuSeconds() - cpuBefore;
      counting = false;
      pushRequests.graph += counts.graph.requests;
      pushRequests.crm += counts.crm.requests;
      written(outcome);
      const activity = await json<{ subject: string }>(
        await fetch(`${sandbox.crmUrl}/api/v1/activities/${link.crmId}`, {
          headers: sandbox.crmHeaders,
        }),
      );
      if (activity.subject === subject) latencies.push((performance.now() - started) / 1000);
      else missed += 1;
    }
    await profileStop('push');
    latencies.sort((a, b) => a - b);

    // Relink (issue 16): an empty store against two sides whose items are all stamped — the
    // store rebuilt, or a second device — links every pair from its stamp.
    const relinkDeps = await engineFor(sandbox, { indexedDB: new IDBFactory() });
    const relink = await measureRun(relinkDeps, 'relink');

    // Idle with contact sync and K1 on (issue 16 item 5): the first two runs set the contact
    // folder up and copy what K1 asks for; the third is the idle one measured.
    const contactDeps = await engineFor(sandbox, { contacts: true });
    written(await runSync(contactDeps));
    written(await runSync(contactDeps));
    const idleContacts = await measureRun(contactDeps);
    await sandbox.close();
    closed = true;

    // A first sync that needs several budget windows (issue 16, "Done when"): the emulator's
    // budget scaled down (the same rule), the engine's pacer told the same budget.
    const budget = await budgetScenario();

    const firstItems = firstWritten.total;
    const result: Record<string, number | string> = {
      bench: 'engine',
      node: process.version,
      n: N,
      seedSeconds: round(seedSeconds, 1),
      'firstSync.items': firstItems,
      ...Object.fromEntries(
        Object.entries(firstWritten.byOp).map(([op, n]) => [`firstSync.ops.${op}`, n]),
      ),
      'firstSync.wallSeconds': round(firstSeconds, 2),
      'firstSync.engineCpuSeconds': round(firstCpu.engine, 1),
      'firstSync.serversCpuSeconds': round(firstCpu.servers, 1),
      'firstSync.graphRequests': firstCounts.graph.requests,
      'firstSync.crmRequests': firstCounts.crm.requests,
      'firstSync.graphRequestsPerWrittenItem': round(firstCounts.graph.requests / firstItems),
      'firstSync.graphSubRequests': firstCounts.graph.subRequests,
      'firstSync.graphSubRequestsPerWrittenItem': round(firstCounts.graph.subRequests / firstItems),
      'firstSync.crmRequestsPerWrittenItem': round(firstCounts.crm.requests / firstItems),
      'firstSync.bytes': firstCounts.graph.bytes + firstCounts.crm.bytes,
      'firstSync.heapBeforeMB': round(heapBefore / MB, 1),
      'firstSync.peakHeapMB': round(peakHeap / MB, 1),
      'firstSync.peakHeapAfterMajorGcMB': round(peakAfterMajorGc / MB, 1),
      'idle.items': idle.written.total,
      'idle.rebased': idle.written.byOp.rebase ?? 0,
      'idle.wallSeconds': round(idle.seconds, 3),
      'idle.graphRequests': idle.counts.graph.requests,
      'idle.crmRequests': idle.counts.crm.requests,
      'idle.bytes': idle.counts.graph.bytes + idle.counts.crm.bytes,
      'idle.steady.items': steady.written.total,
      'idle.steady.wallSeconds': round(steady.seconds, 3),
      'idle.steady.graphRequests': steady.counts.graph.requests,
      'idle.steady.crmRequests': steady.counts.crm.requests,
      'idle.steady.bytes': steady.counts.graph.bytes + steady.counts.crm.bytes,
      'pushLatency.samples': latencies.length,
      'pushLatency.missed': missed,
      'pushLatency.p50Seconds': round(percentile(latencies, 50)),
      'pushLatency.p95Seconds': round(percentile(latencies, 95)),
      'pushLatency.maxSeconds': round(latencies.at(-1) ?? Number.NaN),
      'push.graphRequestsPerRun': round(pushRequests.graph / Math.max(1, links.length), 1),
      'push.crmRequestsPerRun': round(pushRequests.crm / Math.max(1, links.length), 1),
      'push.engineCpuSecondsPerRun': round(pushCpu / Math.max(1, links.length)),
      'relink.items': relink.written.total,
      'relink.wallSeconds': round(relink.seconds, 2),
      'relink.engineCpuSeconds': round(relink.cpu.engine, 1),
      'relink.serversCpuSeconds': round(relink.cpu.servers, 1),
      'relink.graphRequests': relink.counts.graph.requests,
      'relink.crmRequests': relink.counts.crm.requests,
      'idle.withContacts.graphRequests': idleContacts.counts.graph.requests,
      'idle.withContacts.crmRequests': idleContacts.counts.crm.requests,
      'budget.n': BUDGET_ITEMS,
      'budget.limit': BUDGET_LIMIT,
      'budget.windowSeconds': BUDGET_WINDOW_SECONDS,
      'budget.items': budget.items,
      'budget.wallSeconds': round(budget.seconds, 1),
      'budget.subRequests': budget.subRequests,
      'budget.throttled': budget.throttled,
      'budget.maxSubRequestsPerWindow': budget.peakInWindow,
    };
    Object.assign(result, await serviceKeys());
    Object.assign(result, await scaleKeys());
    const targets: Record<string, string> = {
      'service.pushLatency.p95Seconds': '≤ 5',
      'service.pullLatency.p95Seconds': '≤ 10',
      'firstSync.wallSeconds': '≤ 30',
      'firstSync.graphRequestsPerWrittenItem': '≤ 0.1',
      'firstSync.graphSubRequestsPerWrittenItem': '≤ 1.1',
      'firstSync.crmRequestsPerWrittenItem': '≤ 0.1',
      'firstSync.peakHeapMB': '≤ 150',
      'relink.wallSeconds': '≤ 20',
      'idle.withContacts.graphRequests': '1',
      'idle.withContacts.crmRequests': '1',
      'budget.throttled': '0',
      'budget.maxSubRequestsPerWindow': `≤ ${BUDGET_LIMIT}`,
      'idle.graphRequests': '1',
      'idle.crmRequests': '1',
      'idle.steady.graphRequests': '1',
      'idle.steady.crmRequests': '1',
      'pushLatency.p95Seconds': '≤ 1',
      'scaleOut.duplicates': '0',
      'scaleOut.overlappingRuns': '0',
      'scaleOut.twoWorkers.ratio': '≥ 1.6',
    };
    const table = Object.entries(result).map(([metric, value]) => ({
      metric,
      value,
      target: targets[metric] ?? '',
    }));
    // With --json the table goes to stderr, so stdout's last line is the one JSON object.
    if (JSON_ONLY) console.error(tableText(table));
    else console.table(table);
    console.log(JSON.stringify(result));
  } finally {
    if (!closed) await sandbox.close();
  }
}

/** The budget scenario on servers of its own: seeded, then the budget set (which restarts it). */
async function budgetScenario(): Promise<{
  items: number;
  seconds: number;
  subRequests: number;
  throttled: number;
  peakInWindow: number;
}> {
  const sandbox = await startSandbox();
  prefixes.graph = sandbox.graphUrl;
  prefixes.crm = sandbox.crmUrl;
  try {
    await seed(sandbox, BUDGET_ITEMS);
    const deps = await engineFor(sandbox, {
      indexedDB: new IDBFactory(),
      budget: { limit: BUDGET_LIMIT, windowMs: BUDGET_WINDOW_SECONDS * 1000 },
    });
    const set = await fetch(`${sandbox.graphUrl}/sandbox/budget`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limit: BUDGET_LIMIT, windowSeconds: BUDGET_WINDOW_SECONDS }),
    });
    if (!set.ok) throw new Error(`POST /sandbox/budget answered ${set.status}`);
    resetCounts();
    counting = true;
    const started = performance.now();
    const outcome = await runSync(deps);
    const seconds = (performance.now() - started) / 1000;
    counting = false;
    const { subRequests } = counts.graph;
    const stats = await json<{ throttled: number; peakInWindow: number }>(
      await fetch(`${sandbox.graphUrl}/sandbox/budget`),
    );
    return { items: written(outcome).total, seconds, subRequests, ...stats };
  } finally {
    await sandbox.close();
  }
}

function tableText(rows: readonly { metric: string; value: unknown; target: string }[]): string {
  return rows
    .map((r) => `${r.metric.padEnd(42)} ${String(r.value).padEnd(14)} ${r.target}`)
    .join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
