/**
 * @jest-environment node
 *
 * src/sync/core must stay pure (DESIGN.md): the ESLint rules in eslint.config.mjs are what keep
 * it so. This runs the real ESLint on code placed (virtually) in src/sync/core and elsewhere.
 */
import { snippetLinter, type Snippet } from '../../support/lintSnippets';

const impure: [string, string][] = [
  ['storage', "import Dexie from 'dexie';\nexport const d = Dexie;\n"],
  ['node I/O', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
  ['an adapter', "import { x } from '../../outlook/graph';\nexport const y = x;\n"],
  ['the clock', 'export const now = (): number => Date.now();\n'],
  ['randomness', 'export const r = (): number => Math.random();\n'],
  ['fetch', "export const f = (): Promise<Response> => fetch('/x');\n"],
  ['timers', 'export const t = (): void => void setTimeout(() => undefined, 1);\n'],
  // Issue 13: the core imports no port, engine or composition root …
  ['a port', "import type { OutlookEvent } from '../ports';\nexport type E = OutlookEvent;\n"],
  [
    "the ports' shared shapes",
    "import type { ItemOutcome } from '../itemPorts';\nexport type O = ItemOutcome<string>;\n",
  ],
  ['the engine', "import { runSync } from '../engine/run';\nexport const r = runSync;\n"],
  [
    'a composition root',
    "import { createEngineDeps } from '../compose';\nexport const c = createEngineDeps;\n",
  ],
  // … and reads no clock, randomness or system zone in any spelling.
  [
    'Temporal.Now',
    "import { Temporal } from 'temporal-polyfill';\nexport const n = () => Temporal.Now.instant();\n",
  ],
  ['new Date()', 'export const n = (): Date => new Date();\n'],
  ['Date()', 'export const n = (): string => Date();\n'],
  ['crypto', 'export const id = (): string => crypto.randomUUID();\n'],
  ['globalThis.crypto', 'export const id = (): string => globalThis.crypto.randomUUID();\n'],
  ["node's crypto", "import { randomUUID } from 'crypto';\nexport const id = randomUUID;\n"],
  [
    'the system zone',
    'export const z = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;\n',
  ],
];

const engineForbidden: [string, string][] = [
  ['Dexie', "import Dexie from 'dexie';\nexport const d = Dexie;\n"],
  [
    'the Dexie schema',
    "import { openSyncDb } from '../store/schema';\nexport const o = openSyncDb;\n",
  ],
];
const storePort =
  "import type { SyncStore } from '../store/syncStore';\nexport type S = SyncStore;\n";
const pureAdd = 'export const add = (a: number, b: number): number => a + b;\n';
const dateFromValue = 'export const d = (iso: string): number => new Date(iso).getTime();\n';

const snippets: Snippet[] = [
  ...impure.map(([, code]) => ({ code, file: 'src/sync/core/example.ts' })),
  ...engineForbidden.map(([, code]) => ({ code, file: 'src/sync/engine/example.ts' })),
  { code: storePort, file: 'src/sync/engine/example.ts' },
  { code: pureAdd, file: 'src/sync/core/example.ts' },
  { code: impure[0]![1], file: 'src/sync/store/example.ts' },
  { code: dateFromValue, file: 'src/sync/core/example.ts' },
];
const { load, lint } = snippetLinter(snippets);
beforeAll(load, 120_000);

describe('src/sync/core stays pure', () => {
  it.each(impure)('rejects %s in src/sync/core', (_what, code) => {
    const rules = lint(code, 'src/sync/core/example.ts');
    expect(rules.some((rule) => rule.startsWith('no-restricted-'))).toBe(true);
  });

  it.each(engineForbidden)(
    'rejects %s in src/sync/engine, which talks to the store port only',
    (_what, code) => {
      expect(lint(code, 'src/sync/engine/example.ts')).toContain('no-restricted-imports');
      expect(lint(storePort, 'src/sync/engine/example.ts')).toEqual([]);
    },
  );

  it('accepts pure code in src/sync/core and the same imports outside it', () => {
    expect(lint(pureAdd, 'src/sync/core/example.ts')).toEqual([]);
    expect(lint(impure[0]![1], 'src/sync/store/example.ts')).toEqual([]);
    // A date made from a value is no clock: the core parses and formats dates all the time.
    expect(lint(dateFromValue, 'src/sync/core/example.ts')).toEqual([]);
  });
});
