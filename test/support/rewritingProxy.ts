/**
 * A hostile stand-in between a client and a real sandbox server (loopback HTTP): it forwards
 * every request as it is and may rewrite the JSON answers — how a test gets through real HTTP to
 * the adapters the records a real Graph or CRM may hand out although the sandbox servers refuse
 * to store them (a CRM activity with `showAs: "unknown"`, a zone no runtime knows, a malformed
 * date). The server's own address in answers (next links, `Location`) becomes the proxy's, so
 * paging stays behind it. It also counts the writes that pass, so a test can say "this run wrote
 * nothing".
 *
 * Hand-written (some 80 lines over node:http and fetch) rather than a proxy library: it must
 * rewrite bodies, which the common proxy packages stream through untouched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** What the proxy makes of an answer's parsed JSON; returning the value itself leaves the bytes. */
export type JsonRewrite = (value: unknown) => unknown;

export interface RewritingProxy {
  readonly url: string;
  /** How JSON answers are rewritten from now on; null passes them through untouched. */
  rewrite: JsonRewrite | null;
  /** Every non-GET request that passed, in order (`POST /v1.0/me/events`). */
  readonly writes: string[];
  close(): Promise<void>;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Applies `edit` to every object in a JSON tree (children first), keeping what it returns. */
export function everyObject(edit: (o: Json) => Json): JsonRewrite {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    return edit(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)])));
  };
  return walk;
}

/** Whether an object below `value` (not `value` itself) carries this id. */
function holds(value: unknown, id: string): boolean {
  const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  return children.some((v) => (isObject(v) && v['id'] === id) || holds(v, id));
}

/**
 * Replaces each object whose `id` is registered by what that id's function makes of it — the
 * innermost one: a change-feed entry that repeats its activity's id (`{ id, activity: { id, … } }`)
 * is left as it is and its activity is rewritten. Later registrations count from the next answer.
 */
export function byId<T extends Json>(edits: ReadonlyMap<string, (value: T) => T>): JsonRewrite {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    const id = value['id'];
    const own = typeof id === 'string' && !holds(value, id) ? edits.get(id) : undefined;
    if (own) return own(value as T);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  return (value) => (edits.size === 0 ? value : walk(value));
}

const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
  'host',
]);

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What `rewrite` makes of a JSON text; the text as it came when it is not JSON after all. */
function rewritten(text: string, rewrite: JsonRewrite): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const out = rewrite(parsed);
  return out === parsed ? text : JSON.stringify(out);
}

export async function startRewritingProxy(
  upstream: string,
  rewrite: JsonRewrite | null = null,
): Promise<RewritingProxy> {
  const writes: string[] = [];
  let self = '';
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
      }
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
        writes.push(`${method} ${(req.url ?? '').split('?')[0]}`);
      }
      const answer = await fetch(`${upstream}${req.url ?? ''}`, {
        method,
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
        redirect: 'manual',
      });
      let text = (await answer.text()).split(upstream).join(self);
      const type = answer.headers.get('content-type') ?? '';
      if (proxy.rewrite && type.includes('json') && text !== '') {
        text = rewritten(text, proxy.rewrite);
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!HOP_BY_HOP.has(k)) out[k] = k === 'location' ? v.split(upstream).join(self) : v;
      });
      out['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(answer.status, out);
      res.end(text);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`rewriting proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxy: RewritingProxy = {
    url: self,
    rewrite,
    writes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
