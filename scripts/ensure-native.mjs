// better-sqlite3 is the one dependency this machine compiles from source (its prebuilt binaries
// are not downloadable here: ~70 CPU-seconds on one core). .ci/run installs with
// `npm ci --ignore-scripts` and leaves that build to this script, which `npm test` runs beside
// typecheck, lint and build (none of them loads better-sqlite3), so the compile no longer holds
// up the install while the second core idles (docs/BENCHMARKS.md, CI section). Where the module
// already loads — every ordinary `npm ci` — this is a check of a few milliseconds.
import { spawnSync } from 'node:child_process';

/** Whether better-sqlite3's native binding loads and opens a database (in a child process). */
function loads() {
  const probe = "const D = require('better-sqlite3'); new D(':memory:').close();";
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
}

if (!loads()) {
  console.log('better-sqlite3 is not built yet: npm rebuild better-sqlite3');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const rebuilt = spawnSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit' });
  if (rebuilt.status !== 0 || !loads()) {
    console.error('better-sqlite3 could not be built: see the output above');
    process.exit(1);
  }
}
