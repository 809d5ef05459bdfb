/**
 * A loopback HTTP proxy in front of a sandbox server that rewrites its JSON answers: how a test
 * gets a record the reference server would never store (a CRM activity with `showAs: "unknown"`
 * or a time zone no runtime knows) through real HTTP to the adapters. Every other byte passes
 * through unchanged.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JsonRewrite = (value: unknown) => unknown;

/** Applies `rewrite` to every object in a JSON tree (children first), keeping what it returns. */
export function everyObject(
  edit: (o: Record<string, unknown>) => Record<string, unknown>,
): JsonRewrite {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return edit(copy);
  };
  return walk;
}

export async function startRewritingProxy(
  target: string,
  rewrite: JsonRewrite,
): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers = { ...req.headers, host: upstream.host };
    delete headers['accept-encoding'];
    const out = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          let text = Buffer.concat(chunks);
          const type = String(answer.headers['content-type'] ?? '');
          if (type.includes('json') && text.length > 0) {
            try {
              text = Buffer.from(JSON.stringify(rewrite(JSON.parse(text.toString('utf8')))));
            } catch {
              // Not JSON after all: passed through as it came.
            }
          }
          const outHeaders = { ...answer.headers, 'content-length': String(text.length) };
          delete outHeaders['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, outHeaders).end(text);
        });
      },
    );
    out.on('error', () => res.writeHead(502).end());
    out.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
