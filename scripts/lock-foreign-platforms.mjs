// The npm registry reachable on our build machines serves only some platform builds of native
// packages (e.g. @swc/core-darwin-arm64 answers 404). `npm install` then leaves those optional
// dependencies out of package-lock.json, and `npm ci` refuses the lock ("Missing: … from lock
// file"). This script records every such optional dependency in the lock with the os/cpu/libc its
// name declares, so `npm ci` skips it on Linux x64 and still installs it on the platform it is for.
// Run it after any `npm install` that changes the lock: `node scripts/lock-foreign-platforms.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const osNames = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony'];
const cpuNames = [
  ['arm64', 'arm64'],
  ['x64', 'x64'],
  ['ia32', 'ia32'],
  ['arm-', 'arm'],
  ['ppc64', 'ppc64'],
  ['s390x', 's390x'],
  ['loong64', 'loong64'],
  ['riscv64', 'riscv64'],
];

function platformOf(name) {
  const base = name.split('/').pop();
  const os = osNames.find((o) => base.includes(`-${o}-`) || base.startsWith(`${o}-`));
  const cpu = cpuNames.find(([needle]) => base.includes(needle))?.[1];
  if (!os || !cpu) return undefined;
  const libc = base.includes('musl') ? ['musl'] : os === 'linux' ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${dep}`;
    if (packages[nested] || packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) {
      console.warn(`left alone: ${dep} (no platform in its name)`);
      continue;
    }
    packages[`node_modules/${dep}`] = { version, optional: true, ...platform };
    added += 1;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`recorded ${added} optional platform package(s) in package-lock.json`);
