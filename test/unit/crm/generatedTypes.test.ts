/**
 * The generated contract types must match docs/crm-sync-api.yaml (`npm run openapi:types`).
 * The generator runs in a child process: openapi-typescript loads ESM-only packages that Jest's
 * CommonJS runtime cannot.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

describe('src/crm/generated/crm-sync-api.ts', () => {
  it('is what openapi-typescript generates from the committed contract', () => {
    const fresh = execFileSync(
      process.execPath,
      [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/gen-crm-types.ts', '--stdout'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(readFileSync(resolve(ROOT, 'src/crm/generated/crm-sync-api.ts'), 'utf8')).toBe(fresh);
  }, 30_000);
});
