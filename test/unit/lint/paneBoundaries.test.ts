/**
 * @jest-environment node
 *
 * Pane components import no adapter, store or engine (issue 13, Build 5): the ESLint block
 * "pane components" in eslint.config.mjs is what holds it. This runs the real ESLint on code
 * placed (virtually) in src/taskpane/components and, for contrast, in the services beside them.
 */
import { snippetLinter, type Snippet } from '../../support/lintSnippets';

const forbidden: [string, string][] = [
  [
    'the CRM adapter',
    "import type { ActivityType } from '../../crm';\nexport type T = ActivityType;\n",
  ],
  [
    'a CRM module',
    "import { CrmSession } from '../../crm/session';\nexport const s = CrmSession;\n",
  ],
  ['the Graph adapter', "import { x } from '../../outlook/graphClient';\nexport const y = x;\n"],
  [
    'the store',
    "import { openSyncDb } from '../../sync/store/schema';\nexport const o = openSyncDb;\n",
  ],
  ['Dexie', "import Dexie from 'dexie';\nexport const d = Dexie;\n"],
  ['the engine', "import { runSync } from '../../sync/engine/run';\nexport const r = runSync;\n"],
  [
    'the scheduler',
    "import type { SchedulerSnapshot } from '../../sync/scheduler';\nexport type S = SchedulerSnapshot;\n",
  ],
  [
    'the composition',
    "import { createEngineDeps } from '../../sync/compose';\nexport const c = createEngineDeps;\n",
  ],
];

const nestedForbidden = forbidden[0]![1].replace("'../../crm'", "'../../../crm'");
const modelImport =
  "import type { ActivityType } from '../model';\nexport type T = ActivityType;\n";

const snippets: Snippet[] = [
  ...forbidden.map(([, code]) => ({ code, file: 'src/taskpane/components/Example.tsx' })),
  { code: nestedForbidden, file: 'src/taskpane/components/item/Example.tsx' },
  { code: modelImport, file: 'src/taskpane/components/Example.tsx' },
  { code: forbidden[1]![1], file: 'src/taskpane/item/example.ts' },
];
const { load, lint } = snippetLinter(snippets);
beforeAll(load, 120_000);

describe('pane components import no adapter, store or engine', () => {
  it.each(forbidden)('rejects %s in a component', (_what, code) => {
    const rules = lint(code, 'src/taskpane/components/Example.tsx');
    expect(rules).toContain('no-restricted-imports');
  });

  it('rejects it in a nested component folder too', () => {
    expect(lint(nestedForbidden, 'src/taskpane/components/item/Example.tsx')).toContain(
      'no-restricted-imports',
    );
  });

  it('accepts the model in a component and the adapters in a service', () => {
    expect(lint(modelImport, 'src/taskpane/components/Example.tsx')).toEqual([]);
    expect(lint(forbidden[1]![1], 'src/taskpane/item/example.ts')).toEqual([]);
  });
});
