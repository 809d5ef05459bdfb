/**
 * @jest-environment node
 *
 * A clone explains itself (issue 13): every requirement number the source cites (`SPEC K2`,
 * `SPEC K1–K3`, `SPEC E1, R3`) is stated in docs/REQUIREMENTS.md, and no source file points at a
 * design document that is not in the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|html|css)$/.test(name) ? [full] : [];
  });
}

/** The ids after each "SPEC": `SPEC E1, R3 and K1–K3` gives E1, R3, K1, K3. */
export function citedIds(text: string): string[] {
  const lists = text.match(/SPEC\s+[A-Z]\d+(?:\s*(?:,|–|-|and|or|\/)\s*[A-Z]?\d+)*/g) ?? [];
  return lists.flatMap((list) => {
    const ids: string[] = [];
    let letter = '';
    for (const [, l, n] of list.slice(4).matchAll(/([A-Z]?)(\d+)/g)) {
      letter = l || letter;
      ids.push(`${letter}${n}`);
    }
    return ids;
  });
}

const requirements = readFileSync(path.join(root, 'docs', 'REQUIREMENTS.md'), 'utf8');
const stated = new Set([...requirements.matchAll(/^- ([A-Z]\d+) /gm)].map((m) => m[1]));
const files = sourceFiles(path.join(root, 'src'));

describe('docs/REQUIREMENTS.md', () => {
  it('reads the ids out of the ways the source cites them', () => {
    expect(citedIds('(SPEC E1, R3) and SPEC K1–K3; SPEC W1/2')).toEqual([
      'E1',
      'R3',
      'K1',
      'K3',
      'W1',
      'W2',
    ]);
  });

  it('states every requirement the source cites', () => {
    const missing = new Map<string, string>();
    for (const file of files) {
      for (const id of citedIds(readFileSync(file, 'utf8'))) {
        if (!stated.has(id)) missing.set(id, path.relative(root, file));
      }
    }
    expect(Object.fromEntries(missing)).toEqual({});
    expect(stated.size).toBeGreaterThan(40);
  });

  it('is what the source points at: no design document outside the repository', () => {
    const outside = files.filter((file) =>
      /\b(DESIGN|STYLE|STACK)\.md\b/.test(readFileSync(file, 'utf8')),
    );
    expect(outside.map((file) => path.relative(root, file))).toEqual([]);
  });
});
