import { badRequest } from './errors';

/**
 * A small OData `$filter` parser for the shapes the adapter uses:
 *   singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')
 *   start/dateTime ge '2024-01-01T00:00:00'   subject eq 'x'   startswith(subject,'x')
 *   categories/any(c: c eq 'Red')   … combined with and / or / not / parentheses.
 * Anything else is a 400, as Graph answers for an unsupported or malformed filter.
 */
export type Literal = string | number | boolean | null;
export type FilterExpr =
  | { k: 'and' | 'or'; l: FilterExpr; r: FilterExpr }
  | { k: 'not'; e: FilterExpr }
  | { k: 'cmp'; op: CmpOp; path: string[]; value: Literal }
  | { k: 'fn'; name: 'startswith' | 'contains'; path: string[]; value: string }
  | { k: 'any'; path: string[]; variable: string; body: FilterExpr };
type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

type Tok = { t: 'sym'; v: string } | { t: 'str'; v: string } | { t: 'word'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) i++;
    else if ('(),/:'.includes(c)) {
      out.push({ t: 'sym', v: c });
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw invalid('unterminated string literal');
        if (src[i] === "'" && src[i + 1] === "'") {
          v += "'";
          i += 2;
        } else if (src[i] === "'") break;
        else v += src[i++];
      }
      i++;
      out.push({ t: 'str', v });
    } else {
      const m = /^[A-Za-z0-9_.+-]+/.exec(src.slice(i));
      if (!m) throw invalid(`unexpected character '${c}'`);
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const invalid = (why: string) => badRequest(`Invalid filter clause: ${why}.`);

/** `allowed(path, inLambda)` says whether a property path may be filtered on. */
export function parseFilter(
  src: string,
  allowed: (path: string[], lambdaOf?: string) => boolean,
): FilterExpr {
  const toks = tokenize(src);
  let pos = 0;
  const scopes: { variable: string; of: string }[] = [];
  const peek = () => toks[pos];
  const isWord = (v: string) => peek()?.t === 'word' && peek()?.v.toLowerCase() === v;
  const expectSym = (v: string) => {
    const t = toks[pos++];
    if (t?.t !== 'sym' || t.v !== v) throw invalid(`expected '${v}'`);
  };
  const path = (): string[] => {
    const first = toks[pos++];
    if (first?.t !== 'word') throw invalid('expected a property');
    const p = [first.v];
    while (peek()?.t === 'sym' && peek()?.v === '/' && toks[pos + 1]?.t === 'word') {
      const next = toks[pos + 1]?.v ?? '';
      if (/^any$/i.test(next) && toks[pos + 2]?.v === '(') break;
      pos++;
      p.push(toks[pos++]?.v ?? '');
    }
    return p;
  };
  const checkPath = (p: string[]) => {
    const scope = scopes.find((s) => s.variable === p[0]);
    const ok = scope ? allowed(p.slice(1), scope.of) : allowed(p);
    if (!ok) throw invalid(`property '${p.join('/')}' is not supported`);
  };
  const literal = (): Literal => {
    const t = toks[pos++];
    if (!t || t.t === 'sym') throw invalid('expected a value');
    if (t.t === 'str') return t.v;
    if (/^(true|false)$/i.test(t.v)) return t.v.toLowerCase() === 'true';
    if (/^null$/i.test(t.v)) return null;
    if (/^-?\d+(\.\d+)?$/.test(t.v)) return Number(t.v);
    if (/^\d{4}-\d{2}-\d{2}/.test(t.v)) return t.v;
    throw invalid(`unexpected '${t.v}'`);
  };
  const primary = (): FilterExpr => {
    if (peek()?.t === 'sym' && peek()?.v === '(') {
      pos++;
      const e = or();
      expectSym(')');
      return e;
    }
    if (isWord('not')) {
      pos++;
      return { k: 'not', e: primary() };
    }
    for (const name of ['startswith', 'contains'] as const) {
      if (isWord(name) && toks[pos + 1]?.v === '(') {
        pos += 2;
        const p = path();
        checkPath(p);
        expectSym(',');
        const v = literal();
        expectSym(')');
        if (typeof v !== 'string') throw invalid(`${name} needs a string`);
        return { k: 'fn', name, path: p, value: v };
      }
    }
    const p = path();
    if (peek()?.t === 'sym' && peek()?.v === '/') {
      pos++;
      if (!isWord('any')) throw invalid('only the any() lambda is supported');
      pos++;
      expectSym('(');
      const variable = toks[pos++];
      if (variable?.t !== 'word') throw invalid('expected a lambda variable');
      expectSym(':');
      if (!allowed([...p, '*'])) throw invalid(`any() on '${p.join('/')}' is not supported`);
      scopes.push({ variable: variable.v, of: p.join('/') });
      const body = or();
      scopes.pop();
      expectSym(')');
      return { k: 'any', path: p, variable: variable.v, body };
    }
    checkPath(p);
    const op = toks[pos++];
    if (op?.t !== 'word' || !OPS.has(op.v.toLowerCase())) throw invalid('expected an operator');
    return { k: 'cmp', op: op.v.toLowerCase() as CmpOp, path: p, value: literal() };
  };
  const and = (): FilterExpr => {
    let l = primary();
    while (isWord('and')) {
      pos++;
      l = { k: 'and', l, r: primary() };
    }
    return l;
  };
  const or = (): FilterExpr => {
    let l = and();
    while (isWord('or')) {
      pos++;
      l = { k: 'or', l, r: and() };
    }
    return l;
  };
  const expr = or();
  if (pos !== toks.length) throw invalid(`unexpected '${toks[pos]?.v ?? ''}'`);
  return expr;
}
