/**
 * `npm run bench:service` (and, through test/bench/engine.bench.ts, `npm run bench -- --json`):
 * issue 17's latencies with no pane open — the service as `npm start` runs it (its listener
 * receiving Graph's notifications, MSAL Node's app path, the CRM's long-poll signal), in this
 * process; both sandbox servers in a child process (./serviceServers.ts).
 *
 * - `service.pushLatency.*`: an event made in the Graph emulator until the CRM holds it
 *   (notification-driven). Target p95 ≤ 5 s.
 * - `service.pullLatency.*`: an activity made in the CRM until the emulator's calendar holds it
 *   (the CRM's change signal). Target p95 ≤ 10 s.
 *
 * BENCH_SERVICE_CHANGES (default 50) changes each way, made one after another. With `--json` the
 * last line is one JSON object of flat dotted keys. Not a test: nothing asserts; the targets are
 * printed beside the figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  Person,
  percentile,
  pullChanges,
  pushChanges,
  startLiveService,
  type LiveServers,
} from './serviceScenario';

const SERVERS = path.resolve(__dirname, 'serviceServers.ts');

function changes(): number {
  const raw = process.env.BENCH_SERVICE_CHANGES;
  const value = raw === undefined || raw === '' ? 50 : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error('BENCH_SERVICE_CHANGES must be ≥ 1');
  return value;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export const SERVICE_TARGETS: Readonly<Record<string, string>> = {
  'service.pushLatency.p95Seconds': '≤ 5',
  'service.pullLatency.p95Seconds': '≤ 10',
};

/** Runs the scenario; the figures as flat dotted keys. */
export async function serviceBench(): Promise<Record<string, number>> {
  const n = changes();
  const child = spawn(process.execPath, [...process.execArgv, SERVERS], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'service-bench-'));
  try {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the sandbox servers ended (${code})`)));
    });
    lines.close();
    const servers = JSON.parse(first) as LiveServers;
    const live = await startLiveService(servers, dir);
    try {
      const person = await Person.signIn(servers);
      const push = (await pushChanges(person, n, 'Bench')).seconds;
      const pull = (await pullChanges(person, n, 'Bench')).seconds;
      const triggers = live.events.filter((e) => e.event === 'run').map((e) => e.trigger);
      return {
        'service.changes': n,
        'service.pushLatency.p50Seconds': round(percentile(push, 50)),
        'service.pushLatency.p95Seconds': round(percentile(push, 95)),
        'service.pushLatency.maxSeconds': round(Math.max(...push)),
        'service.pullLatency.p50Seconds': round(percentile(pull, 50)),
        'service.pullLatency.p95Seconds': round(percentile(pull, 95)),
        'service.pullLatency.maxSeconds': round(Math.max(...pull)),
        'service.runs.byNotification': triggers.filter((t) => t === 'notification').length,
        'service.runs.byCrmSignal': triggers.filter((t) => t === 'crmChange').length,
        'service.runs.byPoll': triggers.filter((t) => t === 'poll').length,
      };
    } finally {
      await live.close();
    }
  } finally {
    const ended = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end();
    await ended;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const result = await serviceBench();
  const rows = Object.entries(result).map(
    ([metric, value]) =>
      `${metric.padEnd(42)} ${String(value).padEnd(14)} ${SERVICE_TARGETS[metric] ?? ''}`,
  );
  // With --json the table goes to stderr, so stdout's last line is the one JSON object.
  if (process.argv.includes('--json')) console.error(rows.join('\n'));
  else console.log(rows.join('\n'));
  console.log(JSON.stringify(result));
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
