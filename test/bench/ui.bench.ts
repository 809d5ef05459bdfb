/**
 * `npm run bench` (third part) and `npm run bench:ui`: the pane's bundle sizes and its time to
 * interactive in Chromium (issue 6). Targets: pane JS ≤ 250 KB gzip, commands JS ≤ 50 KB gzip,
 * interactive ≤ 500 ms.
 *
 * 1. Builds the production bundle (`npm run build`, sandbox configuration, into dist/) — always,
 *    unless `--no-build` (or BENCH_UI_BUILD=0) is given: webpack leaves unchanged files untouched, so mtimes cannot tell
 *    a fresh dist/ from a stale one. dist/ (without source maps) is then read into memory once, so
 *    another build in the same tree cannot change what is measured half-way.
 * 2. Sizes: every script taskpane.html and commands.html load, gzip level 9 (node:zlib), 1 KB =
 *    1024 bytes. Our bundles count against the targets; office.js (Microsoft's CDN in production)
 *    is listed apart. JS files in dist/ no page references are webpack's async chunks (loaded on
 *    demand: MSAL, the connection, the engine and store, the views not shown first, languages
 *    other than English), reported apart with their total; the scripts the pane really fetched
 *    before it was interactive are listed too (an async chunk there would be a regression).
 * 3. Time to interactive: dist/ served from memory by a node:http server on loopback, the pane
 *    opened in Debian's Chromium (playwright-core, one browser, a fresh context per run). TTI is
 *    performance.now() (ms since navigation start, performance.timeOrigin) at the first moment the
 *    sign-in form's first control is in the DOM, visible, enabled and takes focus — checked by a
 *    MutationObserver and on every animation frame, from a script installed before the page's own.
 *    One warm-up run, then BENCH_UI_RUNS (default 20, at least 15) measured: median and p95.
 *
 * Not a test: prints a table (stdout) and exits 0 even when a target is missed (MISS); exits
 * non-zero only when it cannot measure. `--json` ends with one JSON object of the figures.
 * `npm run bench` runs this between the sandbox and the engine bench, so that
 * `npm run bench -- --json` still hands --json to the engine bench, which ends the output.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../e2e/support/browser';

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const KB = 1024;
const TARGET = { paneKb: 250, commandsKb: 50, ttiMs: 500 };
const BUILD = !process.argv.includes('--no-build') && process.env.BENCH_UI_BUILD !== '0';
const JSON_OUT = process.argv.includes('--json');
const RUNS = runsFromEnv();
const RUN_TIMEOUT_MS = 30_000;

function runsFromEnv(): number {
  const raw = process.env.BENCH_UI_RUNS;
  if (raw === undefined || raw === '') return 20;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 15)
    throw new Error('BENCH_UI_RUNS must be an integer ≥ 15');
  return value;
}

/** Something the bench cannot measure: exit 1 with this message. */
class CannotMeasure extends Error {}

const log = (text: string) => process.stderr.write(`${text}\n`);

// ---- 1. The build, and dist/ in memory.

function build(): number {
  log('ui bench: npm run build (production, ADDIN_ENV=sandbox) …');
  const started = performance.now();
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: ROOT,
    env: { ...process.env, ADDIN_ENV: 'sandbox' },
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    throw new CannotMeasure(`npm run build failed (${result.status ?? result.signal})`);
  }
  return performance.now() - started;
}

/** Every file under dist/ but source maps, by URL path ('/taskpane.js'). */
function snapshotDist(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.map')) {
        files.set(`/${path.relative(DIST, full).split(path.sep).join('/')}`, readFileSync(full));
      }
    }
  };
  try {
    statSync(DIST);
  } catch {
    throw new CannotMeasure('dist/ does not exist: run without --no-build');
  }
  walk(DIST);
  return files;
}

// ---- 2. Sizes.

interface Sized {
  readonly file: string;
  readonly bytes: number;
  readonly gzip: number;
}

function sized(files: Map<string, Buffer>, file: string): Sized {
  const body = files.get(file);
  if (!body) throw new CannotMeasure(`${file} is referenced but not in dist/`);
  return { file, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

/** The scripts a page's HTML loads, as URL paths, in document order. */
function scriptsOf(files: Map<string, Buffer>, page: string): string[] {
  const html = files.get(page);
  if (!html) throw new CannotMeasure(`dist${page} is missing`);
  const srcs: string[] = [];
  for (const match of html
    .toString('utf8')
    .matchAll(/<script\b[^>]*?\bsrc=("[^"]*"|'[^']*'|[^\s>]+)/gi)) {
    const raw = match[1] ?? '';
    const src = raw.replace(/^["']|["']$/g, '');
    const url = new URL(src, 'http://dist.invalid/');
    if (url.host !== 'dist.invalid') throw new CannotMeasure(`${page} loads ${src} from elsewhere`);
    srcs.push(url.pathname);
  }
  if (srcs.length === 0) throw new CannotMeasure(`${page} loads no script`);
  return srcs;
}

const isOfficeJs = (file: string) => file.startsWith('/office-js/');
const sum = (list: readonly Sized[], key: 'bytes' | 'gzip') =>
  list.reduce((total, s) => total + s[key], 0);
const kb = (bytes: number) => (bytes / KB).toFixed(1);

// ---- 3. Time to interactive.

/**
 * Installed before the page's own scripts (plain JS: functions tsx compiled would not survive
 * serialisation). Records window.__uiBench = { tti, control } once the first control of the
 * first form is visible, enabled and focusable.
 */
const PROBE = String.raw`(() => {
  const state = { tti: 0, element: null };
  window.__uiBench = state;
  const check = () => {
    if (state.tti) return;
    const form = document.querySelector('form');
    if (!form) return;
    const control = form.querySelector('input:not([type=hidden]), select, textarea, button');
    if (!control) return;
    if (control.disabled || control.matches(':disabled') || control.getAttribute('aria-disabled') === 'true') return;
    if (control.closest('[inert]')) return;
    const rect = control.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    if (control.checkVisibility && !control.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return;
    control.focus({ preventScroll: true });
    if (document.activeElement !== control) return;
    state.tti = performance.now();
    state.element = control;
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  const frame = () => { check(); if (!state.tti) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();`;

interface Run {
  readonly tti: number;
  readonly fcp: number;
  readonly domContentLoaded: number;
  readonly control: string;
  readonly scripts: string[];
  readonly problems: string[];
}

async function measureOnce(browser: Browser, url: string, origin: string): Promise<Run> {
  const context = await browser.newContext({
    viewport: { width: 320, height: 720 },
    locale: 'en-US',
  });
  try {
    await context.addInitScript({ content: PROBE });
    const page = await context.newPage();
    const scripts: string[] = [];
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      if (response.request().resourceType() === 'script' && response.url().startsWith(origin)) {
        scripts.push(new URL(response.url()).pathname);
      }
    });
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
    await page.goto(url, { waitUntil: 'commit' });
    let figures: { tti: number; fcp: number; dcl: number; control: string };
    try {
      const handle = await page.waitForFunction(
        `(() => {
          const s = window.__uiBench;
          if (!s || !s.tti) return false;
          // The form can be ready before the first paint: wait for that paint too (context only).
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          if (!fcp && performance.now() - s.tti < 2000) return false;
          const nav = performance.getEntriesByType('navigation')[0];
          const el = s.element;
          const by = (el.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id)).filter(Boolean);
          const label = (el.labels && el.labels[0] && el.labels[0].textContent) || by.map((e) => e.textContent).join(' ') || el.getAttribute('aria-label') || el.id;
          const control = el.tagName.toLowerCase() + '[type=' + (el.type || '') + '] labelled "' + label + '"';
          return { tti: s.tti, control, fcp: fcp ? fcp.startTime : -1, dcl: nav ? nav.domContentLoadedEventEnd : -1 };
        })()`,
        undefined,
        { timeout: RUN_TIMEOUT_MS, polling: 50 },
      );
      figures = (await handle.jsonValue()) as typeof figures;
    } catch (error) {
      throw new CannotMeasure(
        `the sign-in form did not become interactive within ${RUN_TIMEOUT_MS} ms: ${problems.join('; ') || String(error)}`,
      );
    }
    return {
      tti: figures.tti,
      fcp: figures.fcp,
      domContentLoaded: figures.dcl,
      control: figures.control,
      scripts,
      problems,
    };
  } finally {
    await context.close();
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** dist/ from memory over loopback: no compression (loopback), no caching (fresh runs). */
function serve(files: Map<string, Buffer>): Promise<Server> {
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const body = files.get(pathname);
    if (!body) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response
      .writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(pathname)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
      })
      .end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

const verdict = (value: number, target: number) => (value <= target ? 'PASS' : 'MISS');

// ---- Main.

async function main(): Promise<void> {
  const buildMs = BUILD ? build() : null;
  if (!BUILD) log('ui bench: --no-build, measuring dist/ as it is');
  const files = snapshotDist();

  const paneScripts = scriptsOf(files, '/taskpane.html');
  const commandsScripts = scriptsOf(files, '/commands.html');
  const referenced = new Set<string>();
  for (const page of [...files.keys()].filter((f) => f.endsWith('.html'))) {
    for (const src of scriptsOf(files, page)) referenced.add(src);
  }
  const pane = paneScripts.filter((f) => !isOfficeJs(f)).map((f) => sized(files, f));
  const commands = commandsScripts.filter((f) => !isOfficeJs(f)).map((f) => sized(files, f));
  const officeJs = [...new Set([...paneScripts, ...commandsScripts].filter(isOfficeJs))].map((f) =>
    sized(files, f),
  );
  const asyncChunks = [...files.keys()]
    .filter((f) => f.endsWith('.js') && !isOfficeJs(f) && !referenced.has(f))
    .map((f) => sized(files, f));
  const paneGzip = sum(pane, 'gzip');
  const commandsGzip = sum(commands, 'gzip');

  // Time to interactive.
  const server = await serve(files);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/taskpane.html`;
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    server.close();
    throw new CannotMeasure(`Chromium did not start: ${String(error)}`);
  }
  const loadBefore = loadavg()[0] ?? 0;
  const runs: Run[] = [];
  try {
    for (let i = 0; i <= RUNS; i += 1) {
      const run = await measureOnce(browser, url, origin);
      log(`ui bench: run ${i === 0 ? 'warm-up' : i}: ${run.tti.toFixed(0)} ms`);
      runs.push(run);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const loadAfter = loadavg()[0] ?? 0;
  const [warmUp, ...measured] = runs as [Run, ...Run[]];
  const sorted = (pick: (r: Run) => number) => measured.map(pick).sort((a, b) => a - b);
  const tti = sorted((r) => r.tti);
  const fcp = sorted((r) => r.fcp);
  const dcl = sorted((r) => r.domContentLoaded);
  const ttiMedian = percentile(tti, 50);
  const ttiP95 = percentile(tti, 95);
  const fetched = [...new Set(measured.flatMap((r) => r.scripts))].map((f) =>
    files.has(f) ? sized(files, f) : { file: f, bytes: 0, gzip: 0 },
  );
  const problems = [...new Set(runs.flatMap((r) => r.problems))];

  // Report.
  const sizeRows: Record<string, string>[] = [];
  const sizeRow = (what: string, s: Sized, target = '', result = '') =>
    sizeRows.push({
      what,
      file: s.file,
      'raw KB': kb(s.bytes),
      'gzip KB': kb(s.gzip),
      target,
      result,
    });
  for (const s of pane) sizeRow('pane: initial JS', s);
  sizeRow(
    'pane: initial JS, total',
    { file: `${pane.length} file(s)`, bytes: sum(pane, 'bytes'), gzip: paneGzip },
    `≤ ${TARGET.paneKb} KB`,
    verdict(paneGzip / KB, TARGET.paneKb),
  );
  for (const s of commands) sizeRow('commands: JS', s);
  sizeRow(
    'commands: JS, total',
    { file: `${commands.length} file(s)`, bytes: sum(commands, 'bytes'), gzip: commandsGzip },
    `≤ ${TARGET.commandsKb} KB`,
    verdict(commandsGzip / KB, TARGET.commandsKb),
  );
  for (const s of asyncChunks) sizeRow('async chunk (not initial)', s);
  if (asyncChunks.length === 0) sizeRows.push({ what: 'async chunks', file: 'none' });
  else {
    sizeRow('async chunks, total (on demand)', {
      file: `${asyncChunks.length} file(s)`,
      bytes: sum(asyncChunks, 'bytes'),
      gzip: sum(asyncChunks, 'gzip'),
    });
  }
  for (const s of officeJs) sizeRow('office.js (CDN in production; not counted)', s);
  for (const s of fetched) sizeRow('pane fetched before interactive', s);
  console.table(sizeRows);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.table([
    {
      metric: 'TTI median',
      N: measured.length,
      value: ms(ttiMedian),
      target: `≤ ${TARGET.ttiMs} ms`,
      result: verdict(ttiMedian, TARGET.ttiMs),
    },
    {
      metric: 'TTI p95',
      N: measured.length,
      value: ms(ttiP95),
      target: `≤ ${TARGET.ttiMs} ms`,
      result: verdict(ttiP95, TARGET.ttiMs),
    },
    { metric: 'first contentful paint median', N: measured.length, value: ms(percentile(fcp, 50)) },
    { metric: 'DOMContentLoaded median', N: measured.length, value: ms(percentile(dcl, 50)) },
  ]);
  console.log(
    [
      `TTI: ms from navigation start until the first control of the sign-in form (${warmUp.control}) was visible, enabled and focused;`,
      `  runs (ms): ${measured.map((r) => r.tti.toFixed(0)).join(' ')}; min ${tti[0]?.toFixed(0)}, max ${tti.at(-1)?.toFixed(0)}; warm-up ${warmUp.tti.toFixed(0)} (not counted)`,
      `machine: ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, Node ${process.version}, load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}` +
        (buildMs === null
          ? ', dist/ not rebuilt (--no-build)'
          : `, build ${(buildMs / 1000).toFixed(1)} s`),
      problems.length > 0
        ? `page problems seen (not fatal): ${problems.join('; ')}`
        : 'page problems seen: none',
      `pane ≤ ${TARGET.paneKb} KB: ${verdict(paneGzip / KB, TARGET.paneKb)}; commands ≤ ${TARGET.commandsKb} KB: ${verdict(commandsGzip / KB, TARGET.commandsKb)}; TTI median ≤ ${TARGET.ttiMs} ms: ${verdict(ttiMedian, TARGET.ttiMs)}, p95: ${verdict(ttiP95, TARGET.ttiMs)}`,
    ].join('\n'),
  );
  if (JSON_OUT) {
    console.log(
      JSON.stringify({
        'pane.gzipBytes': paneGzip,
        'pane.files': pane.map((s) => s.file),
        'commands.gzipBytes': commandsGzip,
        'async.gzipBytes': sum(asyncChunks, 'gzip'),
        'officeJs.gzipBytes': sum(officeJs, 'gzip'),
        'tti.n': measured.length,
        'tti.medianMs': ttiMedian,
        'tti.p95Ms': ttiP95,
        'fcp.medianMs': percentile(fcp, 50),
        'dcl.medianMs': percentile(dcl, 50),
      }),
    );
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof CannotMeasure ? `ui bench: cannot measure: ${error.message}` : error,
  );
  process.exit(1);
});
