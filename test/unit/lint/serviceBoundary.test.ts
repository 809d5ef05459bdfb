/**
 * @jest-environment node
 *
 * The sync service (src/service/**: MSAL Node with a client secret, the notification webhook) is
 * Node only and must never reach the pane or function-file bundles (issue 17). The ESLint blocks
 * after "SQLite store" in eslint.config.mjs hold it. This runs the real ESLint on code placed
 * (virtually) across src/ and, for contrast, inside src/service.
 */
import { snippetLinter, type Snippet } from '../../support/lintSnippets';

const msal =
  "import { ConfidentialClientApplication } from '@azure/msal-node';\nexport const C = ConfidentialClientApplication;\n";
const serviceFrom = (path: string) =>
  `import { NotificationReceiver } from '${path}';\nexport const R = NotificationReceiver;\n`;

/** [where, the file it pretends to be, code]: every one must be refused. */
const refused: [string, string, string][] = [
  ['the service in the pane', 'src/taskpane/example.ts', serviceFrom('../service/graph')],
  [
    'the service in a pane component',
    'src/taskpane/components/Example.tsx',
    serviceFrom('../../service/graph/notificationReceiver'),
  ],
  ['MSAL Node in the pane', 'src/taskpane/example.ts', msal],
  ['the service in the function file', 'src/commands/example.ts', serviceFrom('../service/graph')],
  ['MSAL Node in the Graph adapter', 'src/outlook/auth/example.ts', msal],
  ['the service in the engine', 'src/sync/engine/example.ts', serviceFrom('../../service/graph')],
  [
    'the service in the SQLite store',
    'src/sync/store/sqlite/example.ts',
    serviceFrom('../../../service/graph'),
  ],
];

const inside = { file: 'src/service/graph/example.ts', code: msal };
const sibling = { file: 'src/service/example.ts', code: serviceFrom('./graph') };
/** The SQLite rule still holds outside the service, and the service may use the store. */
const sqliteInPane = {
  file: 'src/taskpane/example.ts',
  code: "import Database from 'better-sqlite3';\nexport const D = Database;\n",
};
const sqliteInService = {
  file: 'src/service/example.ts',
  code: "import { SqliteSyncStore } from '../sync/store/sqlite';\nexport const S = SqliteSyncStore;\n",
};

const snippets: Snippet[] = [
  ...refused.map(([, file, code]) => ({ file, code })),
  inside,
  sibling,
  sqliteInPane,
  sqliteInService,
];
const { load, lint } = snippetLinter(snippets);
beforeAll(load, 120_000);

describe('the sync service stays out of the bundles (issue 17)', () => {
  it.each(refused)('refuses %s', (_what, file, code) => {
    expect(lint(code, file)).toContain('@typescript-eslint/no-restricted-imports');
  });

  it('accepts MSAL Node and the service’s own modules inside src/service', () => {
    expect(lint(inside.code, inside.file)).toEqual([]);
    expect(lint(sibling.code, sibling.file)).toEqual([]);
  });

  it('keeps the SQLite rule outside the service and lets the service use the store', () => {
    expect(lint(sqliteInPane.code, sqliteInPane.file)).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(lint(sqliteInService.code, sqliteInService.file)).toEqual([]);
  });
});
