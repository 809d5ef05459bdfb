/**
 * `npm run bench:scale` (and, through test/bench/engine.bench.ts, `npm run bench -- --json`):
 * issue 18's load test. BENCH_SCALE_MAILBOXES (default 1,000) mailboxes in the Graph emulator and
 * the CRM (users and pairings written straight into the CRM's SQLite file; a few demo-like events
 * each), the workers as child processes (`npm run worker`) over one PostgreSQL database, behind a
 * small round-robin proxy that stands for the load balancer Graph posts notifications to.
 *
 * Phase 1: one worker makes every mailbox's first sync and subscription, then a burst — one new
 * Outlook event in every mailbox at once — and the time until the CRM holds all of them. Phase 2:
 * that worker stops (SIGTERM), two start, and a second burst. Keys:
 * `scaleOut.mailboxes`, `scaleOut.{oneWorker,twoWorkers}.mailboxesPerMinute` (burst mailboxes
 * over the seconds from its first event to its last arrival in the CRM),
 * `scaleOut.{oneWorker,twoWorkers}.p95Seconds` (an event's creation to its activity in the CRM),
 * `scaleOut.duplicates` (burst activities beyond one per event), `scaleOut.overlappingRuns` (the
 * run log's pairs of runs of one mailbox at once), `scaleOut.{…}.cpuMsPerMailbox.{workers,
 * servers,other}` (the burst's CPU per mailbox: the workers' processes, this process's sandbox
 * servers, the rest of the machine — PostgreSQL). Not a test: nothing asserts.
 *
 * BENCH_SCALE_LATENCY_MS (default 100): every request to Graph and to the CRM is answered that
 * much later (both stand-ins' latency faults), as a service across a network answers; 0 measures
 * this machine's two cores shared by the servers, PostgreSQL and the workers instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startCrmServer } from '../../sandbox/crm';
import { startGraphServer } from '../../sandbox/graph';
import { TEST_CRM } from '../support/crmServer';

const ROOT = path.resolve(__dirname, '../..');
const JSON_ONLY = process.argv.includes('--json');
const say = (line: string) => (JSON_ONLY ? console.error(line) : console.log(line));

function mailboxCount(): number {
  const raw = process.env.BENCH_SCALE_MAILBOXES;
  const n = raw === undefined || raw === '' ? 1000 : Number(raw);
  if (!Number.isInteger(n) || n < 2) throw new Error('BENCH_SCALE_MAILBOXES must be ≥ 2');
  return n;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function until(what: string, probe: () => Promise<boolean>, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A pool of `n` promises at a time over `items`. */
async function pooled<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** The load balancer in front of the workers: each request to the next live worker in turn. */
function roundRobin(targets: () => string[]) {
  let turn = 0;
  const server = http.createServer((req, res) => {
    const live = targets();
    const target = live[turn++ % Math.max(1, live.length)];
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const forward = http.request(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

interface Worker {
  readonly proc: ChildProcess;
  url: string | null;
  readonly exited: Promise<void>;
}

/** Milliseconds each request to Graph and to the CRM waits (BENCH_SCALE_LATENCY_MS, default 100). */
function latencyMs(): number {
  const raw = process.env.BENCH_SCALE_LATENCY_MS;
  const ms = raw === undefined || raw === '' ? 100 : Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 10_000) {
    throw new Error('BENCH_SCALE_LATENCY_MS must be 0–10000');
  }
  return ms;
}

async function main(): Promise<void> {
  const n = mailboxCount();
  const latency = latencyMs();
  const dir = mkdtempSync(path.join(tmpdir(), 'scale-bench-'));
  const crmFile = path.join(dir, 'crm.db');
  const crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: crmFile });
  const graph = await startGraphServer({ port: 0, seedDemoData: false });
  const server =
    process.env.SYNC_TEST_DATABASE_URL || 'postgres://sync_test:sync_test@127.0.0.1:5432/postgres';
  const dbName = `scale_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(server);
  dbUrl.pathname = `/${dbName}`;
  const pgc = new Client({ connectionString: dbUrl.toString() });
  const workers: Worker[] = [];
  const lb = await roundRobin(() => workers.filter((w) => w.url).map((w) => w.url as string));
  try {
    // ─── N mailboxes on both sides ─────────────────────────────────────────────────────────
    const crmDb = new Database(crmFile);
    const anna = crmDb
      .prepare(`SELECT company_id, password_hash FROM users WHERE email = 'anna@contoso.example'`)
      .get() as { company_id: string; password_hash: string };
    const mailboxes = Array.from({ length: n }, (_, i) => `person${i}@contoso.example`);
    const store = graph.emulator.store;
    const template = store.state.mailboxes['anna@contoso.example'];
    if (!template) throw new Error('the emulator has no demo mailbox to copy');
    crmDb.transaction(() => {
      for (const email of mailboxes) {
        const id = `usr_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
        crmDb
          .prepare(
            `INSERT INTO users (id, company_id, email, display_name, language, time_zone, password_hash)
             VALUES (?, ?, ?, ?, 'en', 'UTC', ?)`,
          )
          .run(id, anna.company_id, email, email, anna.password_hash);
        crmDb.prepare('INSERT INTO pairings VALUES (?, ?, ?)').run(email, id, Date.now());
      }
      crmDb.prepare(`UPDATE pairings SET mailbox = mailbox`).run();
    })();
    for (const email of mailboxes) {
      store.state.mailboxes[email] = {
        ...template,
        address: email,
        displayName: email,
        userId: randomUUID(),
        calendars: template.calendars.map((c) => ({ ...c, id: `AAMkCAL${randomUUID()}` })),
        events: {},
      };
    }
    // The demo's own paired users are left out: only the bench's mailboxes are synced.
    crmDb.prepare(`DELETE FROM pairings WHERE mailbox NOT LIKE 'person%'`).run();
    const company = await fetch(`${crm.url}/api/v1/company`, {
      method: 'PATCH',
      headers: { 'x-api-key': 'sandbox-admin-key', 'content-type': 'application/json' },
      body: JSON.stringify({ syncService: { url: 'http://127.0.0.1:1/' } }),
    });
    if (!company.ok) throw new Error(`PATCH /company: ${company.status}`);

    const tokens = new Map<string, string>();
    await pooled(mailboxes, 16, async (mailbox) => {
      const res = await fetch(`${graph.url}/sandbox/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mailbox }),
      });
      tokens.set(mailbox, ((await res.json()) as { access_token: string }).access_token);
    });
    // A few events in each mailbox before the workers start (their first syncs carry them).
    await pooled(mailboxes, 16, async (mailbox) => {
      for (let i = 0; i < 3; i += 1) await createEvent(graph.url, tokens, mailbox, `Seed ${i}`, i);
    });
    await pgc.connect();
    // Graph and the CRM answer from across a network: every request to either waits `latency` ms
    // (both stand-ins' latency faults, until cleared). Without it the emulator answers in ~1 ms
    // and the bench measures this machine's two cores, shared by the servers, PostgreSQL and the
    // workers, not what a second worker adds (BENCH_SCALE_LATENCY_MS=0 measures exactly that).
    if (latency > 0) {
      graph.emulator.faults.add({ kind: 'latency', ms: latency, count: 0 });
      const armed = await fetch(`${crm.url}/sandbox/faults/latency`, {
        method: 'POST',
        headers: { 'x-api-key': 'sandbox-admin-key', 'content-type': 'application/json' },
        body: JSON.stringify({ ms: latency, count: 0, pathPrefix: '/api/' }),
      });
      if (armed.status !== 201) throw new Error(`POST /sandbox/faults/latency: ${armed.status}`);
    }

    const spawnWorker = (concurrency: number): Worker => {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          SYNC_SERVICE_SANDBOX: '1',
          SYNC_SERVICE_GRAPH_AUTH: 'sandbox',
          SYNC_SERVICE_CRM_URL: crm.url,
          SYNC_SERVICE_GRAPH_URL: `${graph.url}/v1.0`,
          SYNC_SERVICE_DATA_DIR: dir,
          SYNC_SERVICE_PORT: '0',
          SYNC_SERVICE_SIGNAL_WAIT_SECONDS: '20',
          SYNC_SERVICE_NOTIFICATION_URL: `${lb.url}/graph/notifications`,
          SYNC_SERVICE_STORE: 'postgres',
          SYNC_SERVICE_POSTGRES_URL: dbUrl.toString(),
          SYNC_SCALE_CONCURRENCY: String(concurrency),
        },
      });
      const worker: Worker = {
        proc,
        url: null,
        exited: new Promise((resolve) => proc.once('exit', () => resolve())),
      };
      let out = '';
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const lines = out.split('\n');
        out = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.includes('"started"')) continue;
          worker.url = (JSON.parse(line) as { url: string }).url;
        }
      });
      workers.push(worker);
      return worker;
    };
    const concurrency = Number(process.env.BENCH_SCALE_CONCURRENCY || 4);

    const burst = async (label: string) => {
      const made = new Map<string, number>();
      const started = Date.now();
      const cpuAt = () => ({
        workers: workers.reduce((sum, w) => sum + processCpuSeconds(w.proc.pid), 0),
        bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
        machine: machineCpuSeconds(),
      });
      const cpuBefore = cpuAt();
      await pooled(mailboxes, 16, async (mailbox) => {
        made.set(mailbox, Date.now());
        await createEvent(graph.url, tokens, mailbox, `${label} ${mailbox}`, 200);
      });
      const arrived = new Map<string, number>();
      await until(
        `${label}: every mailbox's event in the CRM`,
        async () => {
          const rows = crmDb
            .prepare(
              `SELECT json_extract(data, '$.subject') AS subject, created_at FROM activities
                WHERE json_extract(data, '$.subject') LIKE ?`,
            )
            .all(`${label} %`) as { subject: string; created_at: number }[];
          for (const r of rows) {
            const mailbox = r.subject.slice(label.length + 1);
            if (!arrived.has(mailbox)) arrived.set(mailbox, r.created_at);
          }
          return arrived.size >= n;
        },
        1800,
      );
      const last = Math.max(...arrived.values());
      const cpuAfter = cpuAt();
      // Per burst mailbox: the workers' CPU, the sandbox servers' (this process: the emulator,
      // the CRM and the proxy), and everything else on the machine (PostgreSQL, mostly).
      const perMailbox = (key: keyof typeof cpuAfter) =>
        round(((cpuAfter[key] - cpuBefore[key]) / n) * 1000, 1);
      const cpuMs = {
        workers: perMailbox('workers'),
        servers: perMailbox('bench'),
        other: round(perMailbox('machine') - perMailbox('workers') - perMailbox('bench'), 1),
      };
      const latencies = mailboxes.map(
        (m) => ((arrived.get(m) ?? last) - (made.get(m) ?? started)) / 1000,
      );
      return {
        mailboxesPerMinute: round((n / ((last - started) / 1000)) * 60, 1),
        p95Seconds: round(percentile(latencies, 95)),
        seconds: round((last - started) / 1000, 1),
        cpuMs,
      };
    };
    const initialSync = async () => {
      const t = Date.now();
      await until(
        'every mailbox first-synced and subscribed',
        () =>
          (async () => {
            const done = await pgc.query<{ n: string }>(
              `SELECT count(DISTINCT mailbox) AS n FROM sync_scale.runs WHERE outcome = 'done'`,
            );
            const subs = await pgc.query<{ n: string }>(
              `SELECT count(*) AS n FROM sync_scale.subscriptions`,
            );
            return Number(done.rows[0]?.n) >= n && Number(subs.rows[0]?.n) >= n;
          })().catch(() => false), // (the worker has not made its tables yet)
        3600,
      );
      return round((Date.now() - t) / 1000, 1);
    };

    say(
      `scaleOut: ${n} mailboxes, ${latency} ms per request; load ${JSON.stringify(await loadAverage())}`,
    );
    const first = spawnWorker(concurrency);
    const firstSyncSeconds = await initialSync();
    say(`  one worker: first syncs and subscriptions in ${firstSyncSeconds} s`);
    const one = await burst('BurstOne');
    say(`  one worker: ${JSON.stringify(one)}`);
    first.proc.kill('SIGTERM');
    await first.exited;
    workers.length = 0;
    spawnWorker(concurrency);
    spawnWorker(concurrency);
    const phaseTwo = new Date();
    await until('two workers listening', async () => workers.every((w) => w.url !== null), 120);
    // Their start-up poll visits every mailbox (and opens its engine) before the burst, as phase
    // one's first syncs did: the burst then measures the same steady state for both.
    await until(
      'the two workers polled every mailbox',
      async () => {
        const done = await pgc.query<{ n: string }>(
          `SELECT count(DISTINCT mailbox) AS n FROM sync_scale.runs
            WHERE outcome = 'done' AND started_at >= $1`,
          [phaseTwo],
        );
        return Number(done.rows[0]?.n) >= n;
      },
      3600,
    );
    const two = await burst('BurstTwo');
    say(`  two workers: ${JSON.stringify(two)}`);

    const duplicates = crmDb
      .prepare(
        `SELECT coalesce(sum(c - 1), 0) AS d FROM (
           SELECT count(*) AS c FROM activities
            WHERE json_extract(data, '$.subject') LIKE 'Burst%' OR json_extract(data, '$.subject') LIKE 'Seed %'
            GROUP BY owner_id, json_extract(data, '$.subject'))`,
      )
      .get() as { d: number };
    const overlaps = await pgc.query<{ n: string }>(
      `SELECT count(*) AS n FROM sync_scale.runs a JOIN sync_scale.runs b
         ON a.mailbox = b.mailbox AND a.id < b.id
        AND b.started_at < coalesce(a.ended_at, 'infinity')
        AND a.started_at < coalesce(b.ended_at, 'infinity')`,
    );
    const result: Record<string, number> = {
      'scaleOut.mailboxes': n,
      'scaleOut.concurrencyPerWorker': concurrency,
      'scaleOut.latencyMs': latency,
      'scaleOut.oneWorker.firstSyncSeconds': firstSyncSeconds,
      'scaleOut.oneWorker.mailboxesPerMinute': one.mailboxesPerMinute,
      'scaleOut.oneWorker.p95Seconds': one.p95Seconds,
      'scaleOut.twoWorkers.mailboxesPerMinute': two.mailboxesPerMinute,
      'scaleOut.twoWorkers.p95Seconds': two.p95Seconds,
      'scaleOut.twoWorkers.ratio': round(two.mailboxesPerMinute / one.mailboxesPerMinute),
      'scaleOut.oneWorker.cpuMsPerMailbox.workers': one.cpuMs.workers,
      'scaleOut.oneWorker.cpuMsPerMailbox.servers': one.cpuMs.servers,
      'scaleOut.oneWorker.cpuMsPerMailbox.other': one.cpuMs.other,
      'scaleOut.twoWorkers.cpuMsPerMailbox.workers': two.cpuMs.workers,
      'scaleOut.twoWorkers.cpuMsPerMailbox.servers': two.cpuMs.servers,
      'scaleOut.twoWorkers.cpuMsPerMailbox.other': two.cpuMs.other,
      'scaleOut.duplicates': duplicates.d,
      'scaleOut.overlappingRuns': Number(overlaps.rows[0]?.n ?? 0),
    };
    say(`  load after: ${JSON.stringify(await loadAverage())}`);
    if (!JSON_ONLY) console.table(result);
    console.log(JSON.stringify(result));
    crmDb.close();
  } finally {
    for (const w of workers) w.proc.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await lb.close();
    await pgc.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await crm.close();
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createEvent(
  graphUrl: string,
  tokens: Map<string, string>,
  mailbox: string,
  subject: string,
  minute: number,
): Promise<void> {
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const at = (m: number) =>
    `${day}T${String(8 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const res = await fetch(`${graphUrl}/v1.0/me/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.get(mailbox) ?? ''}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        subject,
        start: { dateTime: at(minute), timeZone: 'UTC' },
        end: { dateTime: at(minute + 30), timeZone: 'UTC' },
      }),
    });
    await res.text();
    if (res.ok) return;
    if (res.status !== 429) throw new Error(`POST event: ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('POST event: throttled 20 times');
}

/** CPU-seconds (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** The whole machine's busy CPU-seconds (every process: the servers, workers and PostgreSQL). */
function machineCpuSeconds(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
    const [user, nice, system, , , irq, softirq, steal] = cpu.slice(1).map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      CLOCK_TICKS
    );
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

async function loadAverage(): Promise<number[]> {
  const os = await import('node:os');
  return os.loadavg().map((l) => round(l));
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

export { main as scaleOutBench };
