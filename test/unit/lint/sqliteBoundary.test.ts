/**
 * @jest-environment node
 *
 * The SQLite store is the sync service's (issue 17, item 5): better-sqlite3 is a native Node
 * module and must never reach the pane bundle. The ESLint block "SQLite store" in
 * eslint.config.mjs is what holds it. This runs the real ESLint on code placed (virtually) in the
 * pane, the function file, the engine, the core and the store port, and, for contrast, inside the
 * SQLite store's own folder.
 */
import { snippetLinter, type Snippet } from '../../support/lintSnippets';

const driver = "import Database from 'better-sqlite3';\nexport const D = Database;\n";
const pgDriver = "import pg from 'pg';\nexport const P = pg;\n";
const storeFrom = (path: string) =>
  `import { SqliteSyncStore } from '${path}';\nexport const S = SqliteSyncStore;\n`;

/** [where, the file it pretends to be, code]: every one must be refused. */
const refused: [string, string, string][] = [
  ['the driver in the pane', 'src/taskpane/example.ts', driver],
  [
    'the store in a pane component',
    'src/taskpane/components/Example.tsx',
    storeFrom('../../sync/store/sqlite/sqliteSyncStore'),
  ],
  ['the store in the function file', 'src/commands/example.ts', storeFrom('../sync/store/sqlite')],
  [
    'the store in the core',
    'src/sync/core/example.ts',
    storeFrom('../store/sqlite/sqliteSyncStore'),
  ],
  ['the driver in the core', 'src/sync/core/example.ts', driver],
  [
    'the store in the engine',
    'src/sync/engine/example.ts',
    storeFrom('../store/sqlite/sqliteSyncStore'),
  ],
  ['the store beside the port', 'src/sync/store/example.ts', storeFrom('./sqlite/sqliteSyncStore')],
  ['the driver in the composition root', 'src/sync/compose.ts', driver],
  // Issue 18: the PostgreSQL store and its driver are held the same way.
  ['the PostgreSQL driver in the pane', 'src/taskpane/example.ts', pgDriver],
  [
    'the PostgreSQL store in the engine',
    'src/sync/engine/example.ts',
    storeFrom('../store/postgres/postgresSyncStore'),
  ],
];

const inside = { file: 'src/sync/store/sqlite/example.ts', code: driver };
const pgInside = { file: 'src/sync/store/postgres/example.ts', code: pgDriver };
const sibling = { file: 'src/sync/store/sqlite/example.ts', code: storeFrom('./sqliteSyncStore') };
/** The core's own rules still hold beside this one (a separate rule name, not an override). */
const coreDexie = "import Dexie from 'dexie';\nexport const d = Dexie;\n";

const snippets: Snippet[] = [
  ...refused.map(([, file, code]) => ({ file, code })),
  inside,
  pgInside,
  sibling,
  { file: 'src/sync/core/example.ts', code: coreDexie },
];
const { load, lint } = snippetLinter(snippets);
beforeAll(load, 120_000);

describe('the SQLite store stays in the service (issue 17)', () => {
  it.each(refused)('refuses %s', (_what, file, code) => {
    expect(lint(code, file)).toContain('@typescript-eslint/no-restricted-imports');
  });

  it('accepts the driver and the store inside the store’s own folder', () => {
    expect(lint(inside.code, inside.file)).toEqual([]);
    expect(lint(pgInside.code, pgInside.file)).toEqual([]);
    expect(lint(sibling.code, sibling.file)).toEqual([]);
  });

  it('leaves the core’s own purity rules in force', () => {
    expect(lint(coreDexie, 'src/sync/core/example.ts')).toEqual(['no-restricted-imports']);
  });
});
