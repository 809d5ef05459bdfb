/**
 * Jest projects — unit (jsdom + fake IndexedDB), integration (real HTTP on loopback), manifest
 * (manifest.xml against the build in dist/), e2e (Chromium).
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
// ESM-only packages that Jest (CommonJS) must transform.
// content-disposition: ESM-only dependency of @fastify/static (swagger UI of the CRM sandbox).
const esmPackages = [
  'rrule-temporal',
  'temporal-polyfill',
  'temporal-utils',
  'windows-iana',
  'content-disposition',
  // cookie, set-cookie-parser: ESM-only dependencies of light-my-request (fastify inject(), used
  // by the Graph emulator's $batch).
  'cookie',
  'set-cookie-parser',
];
// The two Fluent UI barrels, made lazy for Jest only (test/support/lazyFluentBarrels.cjs): each
// suite that renders the pane otherwise loads every component package and every icon.
const fluentBarrels = '@fluentui/react-(?:components/lib-commonjs|icons/lib-cjs)/index\\.cjs$';
const common = {
  transform: {
    '^.+\\.(t|j|mj)sx?$': swc,
    [fluentBarrels]: '<rootDir>/test/support/lazyFluentBarrels.cjs',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/|${fluentBarrels})`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  // Jest 30 "soft"-deletes what a test file left on its global scope when the file ends. After
  // the contact model test's random-seed runs (1,500 histories, ~600 of them on fake-indexeddb)
  // that teardown alone took the worker from 0.8 GB past its 4 GB heap and ended it — every
  // history had passed (measured 2026-12-05: dexie-only, 600 runs: "soft" past 7 GB and still
  // growing after the last history; "off" and "on" done in 90 s). Off: the file's context is
  // dropped whole anyway, as before Jest 30.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};

/** @type {import('jest').Config} */
module.exports = {
  // Two cores: the integration servers, webpack and Chromium compete for them.
  maxWorkers: 2,
  // Slowest suites first, from Jest's timing cache or, on a fresh clone, the committed
  // test/support/suiteSeconds.json: the two workers then finish together (issue 13).
  testSequencer: '<rootDir>/test/support/testSequencer.cjs',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testEnvironment: 'jest-fixed-jsdom',
      setupFiles: ['fake-indexeddb/auto', '<rootDir>/test/setup/unit.ts'],
      // Rendering Fluent UI in jsdom takes seconds on two cores shared with the integration
      // servers, webpack and Chromium: a 5 s limit fails tests under load, not defects.
      setupFilesAfterEnv: ['<rootDir>/test/setup/timeouts.ts'],
      testMatch: ['<rootDir>/test/unit/**/*.test.ts?(x)'],
    },
    {
      ...common,
      displayName: 'integration',
      testEnvironment: 'node',
      setupFiles: ['fake-indexeddb/auto'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/integrationTimeouts.ts'],
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/corpus/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'manifest',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/manifest/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: 'node',
      // Builds the pane once per run, and only when dist/ is not current (test/e2e/support/);
      // starts the run's one Chromium, which every browser suite connects to.
      globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
      globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
  ],
};
