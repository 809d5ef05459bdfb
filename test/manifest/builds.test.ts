/**
 * Every ADDIN_ENV builds pages that load Office.js and a manifest whose AppDomains hold the
 * pane's origin (issue 11). The environment's real webpack configuration is compiled; only the
 * three bundles are swapped for empty modules to keep four builds fast, since what is checked
 * here are the pages and the manifest the configuration produces, not the bundles. The last test
 * compiles the real function file in development mode: no build of it may contain eval.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import webpack, { type Configuration } from 'webpack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createWebpackConfig, officeJsUrlOf } = require('../../webpack.config.js') as {
  officeJsUrlOf: (name: string, config: Record<string, unknown>) => string;
  createWebpackConfig: (options: {
    mode: 'production' | 'development';
    env?: Record<string, string | undefined>;
  }) => Configuration;
};

// Webpack on two shared cores: a limit for a hung build, not a timing target.
jest.setTimeout(300_000);

const work = mkdtempSync(path.join(tmpdir(), 'addin-builds-'));
const stub = path.join(work, 'stub.js');
writeFileSync(stub, 'export {};\n');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function compile(config: Configuration): Promise<webpack.Stats> {
  return new Promise((resolve, reject) => {
    webpack(config, (error, stats) => {
      if (error) reject(error);
      else if (!stats) reject(new Error('webpack returned no stats'));
      else if (stats.hasErrors()) reject(new Error(stats.toString('errors-only')));
      else resolve(stats);
    });
  });
}

const origin = 'https://addin.contoso.example';
const environments = [
  ['sandbox', 'https://localhost:3000', '/office-js/office.js'],
  [
    'sideload',
    'https://localhost:3000',
    'https://appsforoffice.microsoft.com/lib/1/hosted/office.js',
  ],
  ['production', origin, 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js'],
] as const;

test.each(environments)(
  'ADDIN_ENV=%s: every page loads Office.js and the manifest names the origin %s',
  async (name, expectedOrigin, officeJs) => {
    const out = path.join(work, name);
    const env = { ADDIN_ENV: name, MSAL_CLIENT_ID: 'b6c9e0f1-client', ADDIN_ORIGIN: origin };
    const config = createWebpackConfig({ mode: 'production', env });
    await compile({
      ...config,
      entry: { taskpane: stub, commands: stub, 'auth-dialog': stub },
      output: { ...config.output, path: out },
      devtool: false,
    });
    for (const page of ['taskpane.html', 'commands.html', 'auth-dialog.html']) {
      const html = readFileSync(path.join(out, page), 'utf8');
      const scripts = [...html.matchAll(/<script[^>]*\ssrc="?([^"\s>]*)"?[^>]*>/g)].map(
        (m) => m[1],
      );
      // Office.js first, non-empty, then the page's own bundle.
      expect({ page, first: scripts[0] }).toEqual({ page, first: officeJs });
    }
    const manifest = readFileSync(path.join(out, 'manifest.xml'), 'utf8');
    expect(manifest).toContain(`<AppDomain>${expectedOrigin}</AppDomain>`);
    expect(manifest).not.toContain('${ADDIN_ORIGIN}');
    const urls = [...manifest.matchAll(/DefaultValue="(https:[^"]+)"/g)].map((m) => new URL(m[1]!));
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) expect(url.origin).toBe(expectedOrigin);
  },
);

test('a configuration without Office.js or with no https origin fails the build', () => {
  expect(() => officeJsUrlOf('x', {})).toThrow(/officeJsUrl is empty/);
  expect(() => officeJsUrlOf('x', { officeJsUrl: ' ' })).toThrow(/officeJsUrl is empty/);
  expect(officeJsUrlOf('x', { officeJsUrl: '/office-js/office.js' })).toBe('/office-js/office.js');
  // production without ADDIN_ORIGIN: the origin placeholder is empty.
  expect(() =>
    createWebpackConfig({
      mode: 'production',
      env: { ADDIN_ENV: 'production', MSAL_CLIENT_ID: 'x' },
    }),
  ).toThrow(/addinOrigin must be an https origin/);
  expect(() =>
    createWebpackConfig({
      mode: 'production',
      env: { ADDIN_ENV: 'production', MSAL_CLIENT_ID: 'x', ADDIN_ORIGIN: 'http://plain.example' },
    }),
  ).toThrow(/addinOrigin must be an https origin/);
});

test('the development build of the function file contains no eval', async () => {
  const out = path.join(work, 'dev-commands');
  const config = createWebpackConfig({ mode: 'development', env: { ADDIN_ENV: 'sandbox' } });
  const full = config.entry as Record<string, string>;
  await compile({
    ...config,
    entry: { taskpane: stub, commands: full.commands!, 'auth-dialog': stub },
    output: { ...config.output, path: out },
    plugins: (config.plugins ?? []).filter((p) => p?.constructor.name !== 'CopyPlugin'),
  });
  const commands = readFileSync(path.join(out, 'commands.js'), 'utf8');
  expect(commands.length).toBeGreaterThan(1000);
  expect(commands).not.toMatch(/\beval\(/);
  expect(commands).toContain('syncNow');
});
