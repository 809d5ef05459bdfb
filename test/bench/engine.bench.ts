/**
 * `npm run bench` (second part): the real engine — runSync over createEngineDeps, the same wiring
 * as the pane and `npm run sync` — against both sandbox servers in this process, over loopback
 * HTTP. Scenario (issue 4): a first sync of N CRM activities and N Outlook events of which N/2
 * exist on both sides (pairs to link), then one idle run, then 100 single-event pushes.
 *
 * Prints a table; with `--json` the last line is one JSON object of flat dotted keys. Not a test:
 * nothing here asserts, and the targets are only printed next to the measured figures.
 *
 * BENCH_ITEMS (default 5000) sets N; BENCH_PUSHES (default 100) the number of pushes.
 */
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { DEMO, startCrmServer } from '../../sandbox/crm';
import { TEST_CRM } from '../support/crmServer';
import { startGraphServer } from '../../sandbox/graph';
import { CrmSession } from '../../src/crm';
import type { CrmTokenStore } from '../../src/crm/tokenStore';
import { SandboxTokenProvider } from '../../src/outlook/auth/sandboxTokenProvider';
import { createEngineDeps } from '../../src/sync/compose';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../src/sync/core/settings';
import type { EngineDeps } from '../../src/sync/engine/context';
import { InProcessRunLock } from '../../src/sync/engine/lock';
import { runSync, type RunOutcome } from '../../src/sync/engine/run';
import { dbOf } from '../support/store';

const N = positiveInt('BENCH_ITEMS', 5000);
const PUSHES = positiveInt('BENCH_PUSHES', 100);
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
  bytes: number;
}
const counts = { graph: { requests: 0, bytes: 0 }, crm: { requests: 0, bytes: 0 } };
const prefixes: { graph: string; crm: string } = { graph: '\0', crm: '\0' };
let counting = false;

function resetCounts(): void {
  for (const side of [counts.graph, counts.crm]) Object.assign(side, { requests: 0, bytes: 0 });
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
  const response = await realFetch(input, init);
  if (!counting || side === null) return response;
  side.requests += 1;
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

// ---- Heap: sampled every 50 ms. The servers run in this process, so this is client + servers.

let peakHeap = 0;
function sampleHeap(): void {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const MB = 1024 * 1024;

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
function slot(i: number): { start: string; end: string } {
  const tomorrow = new Date();
  tomorrow.setUTCHours(0, 0, 0, 0);
  const day = 1 + Math.floor(i / 30);
  const start = tomorrow.getTime() + day * 86_400_000 + (7 * 60 + (i % 30) * 15) * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { start: iso(start), end: iso(start + 15 * 60_000) };
}

interface Sandbox {
  crmUrl: string;
  graphUrl: string;
  crmHeaders: Record<string, string>;
  graphHeaders: Record<string, string>;
  close(): Promise<void>;
}

async function startSandbox(): Promise<Sandbox> {
  // seedDemoData: the CRM has no users, company or activity types without it; its ~20 demo
  // activities come along and are part of what the first sync writes.
  const crm = await startCrmServer({
    ...TEST_CRM,
    port: 0,
    dbPath: ':memory:',
    seedDemoData: true,
  });
  const graph = await startGraphServer({ port: 0, seedDemoData: false });
  const key = { 'X-Api-Key': DEMO.apiKey, 'content-type': 'application/json' };
  const { accessToken } = await json<{ accessToken: string }>(
    await fetch(`${crm.url}/api/v1/sessions`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ username: MAILBOX, password: DEMO.password }),
    }),
  );
  const { access_token: graphToken } = await json<{ access_token: string }>(
    await fetch(`${graph.url}/sandbox/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: MAILBOX }),
    }),
  );
  return {
    crmUrl: crm.url,
    graphUrl: graph.url,
    crmHeaders: { ...key, authorization: `Bearer ${accessToken}` },
    graphHeaders: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
    close: async () => {
      await crm.close();
      await graph.close();
    },
  };
}

async function seed(sandbox: Sandbox): Promise<void> {
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

async function engineFor(sandbox: Sandbox): Promise<EngineDeps> {
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
    indexedDB: globalThis.indexedDB,
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
  try {
    const seedStarted = performance.now();
    await seed(sandbox);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const deps = await engineFor(sandbox);

    // First sync.
    resetCounts();
    counting = true;
    const heapBefore = process.memoryUsage().heapUsed;
    peakHeap = heapBefore;
    const sampler = setInterval(sampleHeap, 50);
    const firstStarted = performance.now();
    const first = await runSync(deps);
    const firstSeconds = (performance.now() - firstStarted) / 1000;
    clearInterval(sampler);
    sampleHeap();
    counting = false;
    const firstCounts = snapshot();
    const firstWritten = written(first);

    // Idle: nothing changed by anyone. The first such run still reads the first sync's own writes
    // back from both feeds (its cursors were taken before it wrote); the one after it is the
    // steady state a scheduler polls in. Both are measured and reported.
    const measureRun = async () => {
      resetCounts();
      counting = true;
      const started = performance.now();
      const outcome = await runSync(deps);
      const seconds = (performance.now() - started) / 1000;
      counting = false;
      return { seconds, counts: snapshot(), written: written(outcome) };
    };
    const idle = await measureRun();
    const steady = await measureRun();

    // Push: one Outlook edit, then a run (runSync-driven: no scheduler, no debounce), until the
    // CRM serves the new subject. Timed from just before the edit is sent.
    const links = (await dbOf(deps).links.toArray()).slice(0, PUSHES);
    const latencies: number[] = [];
    const pushRequests = { graph: 0, crm: 0 };
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
      const outcome = await runSync(deps);
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
    latencies.sort((a, b) => a - b);

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
      'firstSync.graphRequests': firstCounts.graph.requests,
      'firstSync.crmRequests': firstCounts.crm.requests,
      'firstSync.graphRequestsPerWrittenItem': round(firstCounts.graph.requests / firstItems),
      'firstSync.crmRequestsPerWrittenItem': round(firstCounts.crm.requests / firstItems),
      'firstSync.bytes': firstCounts.graph.bytes + firstCounts.crm.bytes,
      'firstSync.heapBeforeMB': round(heapBefore / MB, 1),
      'firstSync.peakHeapMB': round(peakHeap / MB, 1),
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
    };
    const targets: Record<string, string> = {
      'firstSync.wallSeconds': '≤ 60',
      'firstSync.graphRequestsPerWrittenItem': '≤ 0.1',
      'firstSync.peakHeapMB': '≤ 200',
      'idle.graphRequests': '1',
      'idle.crmRequests': '1',
      'idle.steady.graphRequests': '1',
      'idle.steady.crmRequests': '1',
      'pushLatency.p95Seconds': '≤ 3',
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
