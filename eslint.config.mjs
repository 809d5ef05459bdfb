// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Imports with effects that src/sync/core must never reach (DESIGN.md: the core is pure). */
const impureModules = [
  { name: 'dexie', message: 'src/sync/core is pure: no storage.' },
  { name: 'react', message: 'src/sync/core is pure: no UI.' },
  { name: '@azure/msal-browser', message: 'src/sync/core is pure: no auth.' },
  { name: 'node:fs', message: 'src/sync/core is pure: no I/O.' },
  { name: 'fs', message: 'src/sync/core is pure: no I/O.' },
  { name: 'node:http', message: 'src/sync/core is pure: no I/O.' },
  { name: 'http', message: 'src/sync/core is pure: no I/O.' },
  { name: 'undici', message: 'src/sync/core is pure: no I/O.' },
];

/** Issue 17: the sync service's code and its Node-only libraries stay out of every bundle. */
const serviceOnlyPaths = [
  {
    name: '@azure/msal-node',
    message: 'MSAL Node is the sync service’s (client secret, Node only): keep it in src/service.',
  },
];
const serviceOnlyPatterns = [
  {
    group: ['**/service', '**/service/**'],
    message:
      'src/service is the sync service (Node only, secrets): the pane, function file, engine and adapters never import it.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.tsx', 'src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['src/sync/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impureModules,
          patterns: [
            {
              group: [
                '**/store/**',
                '**/outlook/**',
                '**/crm/**',
                '**/taskpane/**',
                '**/commands/**',
              ],
              message: 'src/sync/core depends on nothing outside itself.',
            },
            // Issue 13 (core boundaries): no port, engine or composition root — the core takes
            // its records from core/sides.ts, and whoever calls it does the I/O.
            {
              group: [
                '**/ports',
                '**/ports.ts',
                '**/itemPorts',
                '**/itemPorts.ts',
                '**/engine/**',
                '**/engine',
                '**/compose',
              ],
              message: 'src/sync/core imports no port, engine or composition root.',
            },
            { group: ['node:*'], message: 'src/sync/core is pure: no Node built-ins.' },
            { group: ['crypto'], message: 'src/sync/core is pure: randomness is an argument.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'src/sync/core is pure: no I/O.' },
        { name: 'indexedDB', message: 'src/sync/core is pure: no storage.' },
        { name: 'localStorage', message: 'src/sync/core is pure: no storage.' },
        { name: 'Office', message: 'src/sync/core is pure: no Office.js.' },
        { name: 'setTimeout', message: 'src/sync/core is pure: no timers.' },
        { name: 'crypto', message: 'src/sync/core is pure: randomness is an argument.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'src/sync/core is pure: the clock is an argument.',
        },
        {
          object: 'globalThis',
          property: 'crypto',
          message: 'src/sync/core is pure: randomness is an argument.',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'src/sync/core is pure: randomness is an argument.',
        },
      ],
      // Issue 13 (core boundaries): no clock, randomness or system zone in any other spelling.
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Temporal'][property.name='Now']",
          message: 'src/sync/core is pure: the clock is an argument (no Temporal.Now).',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/sync/core is pure: the clock is an argument (no new Date()).',
        },
        {
          selector: "CallExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/sync/core is pure: the clock is an argument (no Date()).',
        },
        {
          selector:
            "CallExpression[callee.property.name='resolvedOptions'][callee.object.type='CallExpression'][callee.object.arguments.length=0]",
          message: 'src/sync/core is pure: the time zone is an argument (no system zone).',
        },
      ],
    },
  },
  // Issue 13 (store port): the engine keeps its state only through SyncStore
  // (src/sync/store/syncStore.ts), so a store that is not IndexedDB can take Dexie's place.
  {
    files: ['src/sync/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'dexie', message: 'src/sync/engine talks to the store port only.' }],
          patterns: [
            {
              group: ['**/store/schema', '**/store/records', '**/store/actions', '**/store/dexie*'],
              message: 'src/sync/engine talks to the store port (store/syncStore.ts) only.',
            },
          ],
        },
      ],
    },
  },
  // Pane components (issue 13): views get their data from the services (src/taskpane/services.tsx)
  // and their types from src/taskpane/model.ts — never from an adapter, the store or the engine.
  {
    files: ['src/taskpane/components/**/*.ts', 'src/taskpane/components/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'dexie', message: 'Pane components reach the store through a service.' },
            {
              name: '@azure/msal-browser',
              message: 'Pane components reach sign-in through a service.',
            },
          ],
          patterns: [
            {
              group: ['**/crm', '**/crm/**', '**/outlook', '**/outlook/**'],
              message:
                'Pane components import no adapter: take the types from src/taskpane/model.ts and the calls from a service.',
            },
            {
              group: ['**/sync/store', '**/sync/store/**', '**/sync/compose'],
              message: 'Pane components import no store: use a service.',
            },
            {
              group: [
                '**/sync/engine',
                '**/sync/engine/**',
                '**/sync/scheduler',
                '**/sync/scheduler/**',
              ],
              message:
                'Pane components import no engine: take the types from src/taskpane/model.ts and the loop from the services.',
            },
          ],
        },
      ],
    },
  },
  // Issue 17, item 5: the SQLite store (better-sqlite3, a native Node module) is the sync
  // service's. Nothing else in src/ imports it — not the pane, the function file, the engine, the
  // core or the store port — so it never reaches a browser bundle. A separate rule name
  // (typescript-eslint's twin of no-restricted-imports) so the blocks above keep their own lists.
  // The service (src/service/**) is the composition root that may use it. Issue 18: the same for
  // the PostgreSQL store (pg, src/sync/store/postgres).
  // Issue 17: the service itself (src/service/**: MSAL Node, the notification receiver, the
  // service's runtime) is Node only and never reaches the pane or function-file bundles: nothing
  // outside src/service imports it or @azure/msal-node. Same rule name, so both lists live in
  // the blocks below, split by folder (a later block's options replace an earlier one's).
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/sync/store/sqlite/**', 'src/sync/store/postgres/**', 'src/service/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'better-sqlite3',
              message:
                'SQLite is the sync service’s (Node only): keep it in src/sync/store/sqlite.',
            },
            {
              name: 'pg',
              message:
                'PostgreSQL is the sync service’s (Node only, issue 18): keep it in src/sync/store/postgres.',
            },
            ...serviceOnlyPaths,
          ],
          patterns: [
            {
              group: ['**/sqlite', '**/sqlite/**', '**/postgres', '**/postgres/**'],
              message:
                'The SQLite and PostgreSQL stores are Node only (issues 17, 18): the pane, engine and core use the SyncStore port.',
            },
            ...serviceOnlyPatterns,
          ],
        },
      ],
    },
  },
  {
    files: ['src/sync/store/sqlite/**/*.ts', 'src/sync/store/postgres/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: serviceOnlyPaths, patterns: serviceOnlyPatterns },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
