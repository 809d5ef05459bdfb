/**
 * Runs the real ESLint (eslint.config.mjs) on snippets placed virtually in the tree, all in one
 * child process — the boundary tests ask dozens of questions and each ESLint start costs seconds.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';

const root = path.join(__dirname, '..', '..');
const script = path.join(__dirname, 'lintSnippets.mjs');
const Reply = z.array(z.array(z.string()));

export interface Snippet {
  code: string;
  /** Where the snippet pretends to live, relative to the repository root. */
  file: string;
}

/** The rule ids each snippet breaks, in the order given. */
export function lintSnippets(snippets: readonly Snippet[]): string[][] {
  const result = spawnSync(process.execPath, [script], {
    cwd: root,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`ESLint failed: ${result.stderr}`);
  return Reply.parse(JSON.parse(result.stdout));
}

/**
 * Declares every snippet a test file will ask about, lints them all in `load` (call it in
 * beforeAll) and answers `lint` from the results; asking about an undeclared snippet is an error.
 */
export function snippetLinter(snippets: readonly Snippet[]): {
  load: () => void;
  lint: (code: string, file: string) => string[];
} {
  const key = (code: string, file: string): string => `${file}\n${code}`;
  const answers = new Map<string, string[]>();
  return {
    load: () => {
      const results = lintSnippets(snippets);
      snippets.forEach((snippet, index) => {
        answers.set(key(snippet.code, snippet.file), results[index] ?? []);
      });
    },
    lint: (code, file) => {
      const answer = answers.get(key(code, file));
      if (!answer) throw new Error(`Snippet for ${file} was not declared to snippetLinter`);
      return answer;
    },
  };
}
