/**
 * The pane is built once per test run (issue 13): `npm test` and `npm run test:e2e` build dist/
 * before jest, and this global setup of the e2e project builds only when dist/ is missing, was
 * built for another configuration, or a source file is newer than its build stamp (so
 * `npx jest --selectProjects e2e` after an edit still tests the edit). The browser suites then
 * serve dist/ with their own addin-config.js (./distServer.ts): the endpoints are data at load
 * time, not compiled in.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import webpack from 'webpack';
import * as z from 'zod';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const DIST = path.join(ROOT, 'dist');
/** What the build reads: a change in any of these makes dist/ stale. */
const INPUTS = ['src', 'config', 'assets', 'webpack.config.js', 'package-lock.json'];

const stampSchema = z.object({
  configName: z.string(),
  mode: z.string(),
  builtAt: z.number(),
});

function newestMtime(entry: string): number {
  const stats = statSync(entry, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce(
    (newest, name) => Math.max(newest, newestMtime(path.join(entry, name))),
    stats.mtimeMs,
  );
}

/** Why dist/ cannot be used as it is, or null when it can. */
export function staleReason(): string | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(DIST, 'build-stamp.json'), 'utf8'));
  } catch {
    return 'dist/ has no build stamp';
  }
  const stamp = stampSchema.safeParse(raw);
  if (!stamp.success) return 'dist/build-stamp.json is not a build stamp';
  if (stamp.data.configName !== 'sandbox') return `dist/ holds the ${stamp.data.configName} build`;
  const newest = Math.max(...INPUTS.map((input) => newestMtime(path.join(ROOT, input))));
  return newest > stamp.data.builtAt ? 'a source file is newer than dist/' : null;
}

// webpack.config.js is CommonJS so webpack-cli can load it without a TypeScript loader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createWebpackConfig } = require('../../../webpack.config.js') as {
  createWebpackConfig: (options: {
    mode: 'development' | 'production';
    env?: Record<string, string | undefined>;
  }) => webpack.Configuration;
};

/** `npm run build` in-process, with the sandbox configuration. */
export function buildPane(): Promise<void> {
  const config = createWebpackConfig({
    mode: 'production',
    env: { ...process.env, ADDIN_ENV: 'sandbox' },
  });
  return new Promise((resolve, reject) => {
    webpack(config, (error, stats) => {
      if (error) reject(error);
      else if (!stats || stats.hasErrors())
        reject(new Error(`Pane build failed:\n${stats?.toString('errors-only') ?? ''}`));
      else resolve();
    });
  });
}
