/**
 * A hostile stand-in between the client and a real sandbox server (loopback HTTP): it forwards
 * every request as is, and in JSON answers replaces each object whose `id` is registered by what
 * that id's tamper function makes of it — the records a real Graph or CRM may hand out although
 * the sandbox servers refuse to store them (an unknown enum value, a malformed date). It also
 * counts the writes that pass, so a test can say "this run wrote nothing".
 *
 * Hand-written (some 80 lines over node:http and fetch) rather than a proxy library: it must
 * rewrite bodies, which the common proxy packages stream through untouched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from './types';

export interface TamperProxy {
  readonly url: string;
  /** Object id → how answers show that object. */
  readonly tamper: Map<string, (value: JsonObject) => JsonObject>;
  /** Every non-GET request that passed, in order (`POST /v1.0/me/events`). */
  readonly writes: string[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
  'host',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether an object below `value` (not `value` itself) carries this id. */
function holds(value: unknown, id: string): boolean {
  if (Array.isArray(value))
    return value.some((v) => (isObject(v) && v['id'] === id) || holds(v, id));
  if (!isObject(value)) return false;
  return Object.values(value).some((v) => (isObject(v) && v['id'] === id) || holds(v, id));
}

/**
 * Tampers the innermost object with a registered id: a change-feed entry that repeats its
 * activity's id (`{ id, activity: { id, … } }`) is left as it is and its activity is tampered.
 */
function rewrite(value: unknown, tamper: TamperProxy['tamper']): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, tamper));
  if (!isObject(value)) return value;
  const id = value['id'];
  const own = typeof id === 'string' && !holds(value, id) ? tamper.get(id) : undefined;
  if (own) return own(value as JsonObject);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, tamper)]));
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startTamperProxy(upstream: string): Promise<TamperProxy> {
  const tamper = new Map<string, (value: JsonObject) => JsonObject>();
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
      if (tamper.size > 0 && type.includes('json') && text !== '') {
        text = JSON.stringify(rewrite(JSON.parse(text), tamper));
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
      res.end(`tamper proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    tamper,
    writes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
