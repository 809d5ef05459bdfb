/**
 * Checks the built manifest offline: Microsoft's XSDs (test/manifest/xsd), well-formed, schema
 * order, unique ids, resolvable resids, function names that commands.js registers, URLs the build
 * serves, icons at their declared sizes. Run `npm run build` first (it writes dist/manifest.xml).
 *
 *   npm run validate [-- path/to/manifest.xml]
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { checkManifest } from './manifest/checks';
import { validateManifestXsd } from './manifest/xsd';

const root = path.join(__dirname, '..');
const manifest = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'manifest.xml'));
const report = checkManifest(manifest, path.join(root, 'dist'));

async function main(): Promise<void> {
  const schemaErrors = await validateManifestXsd(readFileSync(manifest, 'utf8'));
  const problems = [...schemaErrors.map((e) => `XSD ${e}`), ...report.problems];

  const counts = Object.entries(report.counts)
    .map(([what, n]) => `${n} ${what}`)
    .join(', ');
  console.log(`${path.relative(root, manifest)}: ${counts}`);
  if (problems.length === 0) {
    console.log('OK: no problems found');
  } else {
    for (const problem of problems) console.error(`  ✗ ${problem}`);
    console.error(`${problems.length} problem(s)`);
    process.exitCode = 1;
  }
}

void main();
