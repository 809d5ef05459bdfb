import type { FilterExpr, Literal } from './odata-filter';

type Env = Record<string, unknown>;

function lookup(root: unknown, env: Env, path: string[]): unknown {
  const [head, ...rest] = path;
  let cur: unknown = head !== undefined && head in env ? env[head] : root;
  for (const seg of head !== undefined && head in env ? rest : path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/**
 * An extended property id for comparison: type and GUID case-insensitive, the Name exact.
 * singlevaluelegacyextendedproperty-get.md: "Filtering the string name (Name) in the id of an
 * extended property is case-sensitive. Filtering the value property … is case-insensitive."
 */
export function extendedIdKey(id: string): string {
  const m = /^(.*? name )(.*)$/i.exec(id);
  return m ? `${(m[1] ?? '').toLowerCase()}${m[2] ?? ''}` : id.toLowerCase();
}

/**
 * Exchange compares strings case-insensitively, except the Name inside an extended property's
 * id (compared exactly, see extendedIdKey).
 */
function compare(a: unknown, b: Literal, path: string[]): number | null {
  if (a === undefined) return null;
  if (typeof a === 'string' && typeof b === 'string') {
    const isExtId = path[path.length - 1] === 'id' && /^\w+ \{[0-9a-f-]{36}\} name /i.test(b);
    const x = isExtId ? extendedIdKey(a) : a.toLowerCase();
    const y = isExtId ? extendedIdKey(b) : b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return a === b ? 0 : null;
}

export function evaluate(e: FilterExpr, root: unknown, env: Env = {}): boolean {
  switch (e.k) {
    case 'and':
      return evaluate(e.l, root, env) && evaluate(e.r, root, env);
    case 'or':
      return evaluate(e.l, root, env) || evaluate(e.r, root, env);
    case 'not':
      return !evaluate(e.e, root, env);
    case 'fn': {
      const v = lookup(root, env, e.path);
      if (typeof v !== 'string') return false;
      const hay = v.toLowerCase();
      const needle = e.value.toLowerCase();
      return e.name === 'startswith' ? hay.startsWith(needle) : hay.includes(needle);
    }
    case 'any': {
      const list = lookup(root, env, e.path);
      if (!Array.isArray(list)) return false;
      return list.some((item) => evaluate(e.body, root, { ...env, [e.variable]: item }));
    }
    case 'cmp': {
      const c = compare(lookup(root, env, e.path), e.value, e.path);
      if (c === null) return e.op === 'ne';
      switch (e.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'gt':
          return c > 0;
        case 'ge':
          return c >= 0;
        case 'lt':
          return c < 0;
        case 'le':
          return c <= 0;
      }
    }
  }
}
