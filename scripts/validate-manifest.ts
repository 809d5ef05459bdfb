/**
 * Checks manifest.xml offline: well-formed, schema order, unique ids, resolvable resids, function
 * names that commands.js registers, URLs the build serves, icons at their declared sizes.
 * Run `npm run build` first for the URL and icon checks.
 *
 *   npm run validate [-- path/to/manifest.xml]
 */
import path from 'node:path';
import { checkManifest } from './manifest/checks';

const root = path.join(__dirname, '..');
const manifest = path.resolve(process.argv[2] ?? path.join(root, 'manifest.xml'));
const report = checkManifest(manifest, path.join(root, 'dist'));

const counts = Object.entries(report.counts)
  .map(([what, n]) => `${n} ${what}`)
  .join(', ');
console.log(`${path.relative(root, manifest)}: ${counts}`);
if (report.problems.length === 0) {
  console.log('OK: no problems found');
} else {
  for (const problem of report.problems) console.error(`  ✗ ${problem}`);
  console.error(`${report.problems.length} problem(s)`);
  process.exitCode = 1;
}
