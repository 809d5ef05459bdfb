/**
 * Writes one environment's manifest from manifest.template.xml, as the build does
 * (dist/manifest.xml), for sideloading or deployment without a build:
 *
 *   npm run manifest -- <sandbox|sideload|production>   → manifests/<env>.xml
 *
 * The environment's `${NAME}` placeholders come from the environment (config/README.md);
 * production needs ADDIN_ORIGIN.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadAddinConfig, renderManifest } = require('../webpack.config.js') as {
  loadAddinConfig: (
    name: string,
    env: Record<string, string | undefined>,
  ) => { config: Record<string, unknown> };
  renderManifest: (name: string, config: Record<string, unknown>) => string;
};

const name = process.argv[2] ?? process.env.ADDIN_ENV ?? 'sideload';
if (!/^[a-z]+$/.test(name)) throw new Error(`Not an environment name: "${name}"`);
const root = path.join(__dirname, '..');
const out = path.join(root, 'manifests', `${name}.xml`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, renderManifest(name, loadAddinConfig(name, process.env).config));
console.log(`Wrote ${path.relative(root, out)}`);
