/**
 * Rewrites test/support/suiteSeconds.json (what test/support/testSequencer.cjs expects of each
 * suite on a fresh clone) from Jest's own timing cache of this checkout: run the whole suite
 * (`npm test`, ideally on a quiet machine), then `node test/support/suiteSeconds.mjs`. A suite
 * missing from the cache keeps its committed time; a suite that no longer exists is dropped.
 * Usage: node test/support/suiteSeconds.mjs [jest cache directory]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const target = path.join(here, 'suiteSeconds.json');
const cacheDirectory = process.argv[2] ?? require('jest-config').defaults.cacheDirectory;

/** @type {Record<string, number>} */
const seconds = JSON.parse(readFileSync(target, 'utf8'));
let fromCache = 0;
for (const name of readdirSync(cacheDirectory)) {
  if (!name.startsWith('perf-cache-')) continue;
  /** @type {Record<string, [number, number]>} Jest's format: path → [failed?, milliseconds] */
  const cache = JSON.parse(readFileSync(path.join(cacheDirectory, name), 'utf8'));
  for (const [file, [, ms]] of Object.entries(cache)) {
    if (!file.startsWith(root + path.sep)) continue;
    seconds[path.relative(root, file).split(path.sep).join('/')] = Math.round(ms / 100) / 10;
    fromCache += 1;
  }
}
const kept = Object.fromEntries(
  Object.entries(seconds)
    .filter(([file]) => existsSync(path.join(root, file)))
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
writeFileSync(target, `${JSON.stringify(kept, null, 2)}\n`);
console.log(
  `${target}: ${Object.keys(kept).length} suites, ${fromCache} times from ${cacheDirectory}`,
);
