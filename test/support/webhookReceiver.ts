import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A loopback HTTP endpoint standing in for a subscriber's webhook (tests only). By default it
 * passes Graph's validation handshake (200, text/plain, the decoded token) and answers 202 to
 * notifications, recording them. `mode` per path changes its behaviour.
 */
export type ReceiverMode = 'ok' | 'fail' | 'wrongToken' | 'silent';

export interface Received {
  path: string;
  body: { value: Record<string, unknown>[] };
}

export interface TestReceiver {
  url: string;
  received: Received[];
  validations: string[];
  mode: Map<string, ReceiverMode>;
  close(): Promise<void>;
}

export interface CustomHandler {
  (req: { path: string; query: Record<string, string>; body: unknown }): {
    status: number;
    headers: Record<string, string>;
    body: string;
  };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** Starts a receiver; `custom` (if given) answers every request instead of the defaults. */
export async function startReceiver(custom?: CustomHandler): Promise<TestReceiver> {
  const received: Received[] = [];
  const validations: string[] = [];
  const mode = new Map<string, ReceiverMode>();
  const pending = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = await readBody(req);
      const query = Object.fromEntries(url.searchParams);
      if (custom) {
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const out = custom({ path: url.pathname, query, body });
        res.writeHead(out.status, out.headers).end(out.body);
        return;
      }
      const m = mode.get(url.pathname) ?? 'ok';
      if (m === 'silent') {
        pending.add(res);
        return;
      }
      if (m === 'fail') {
        res.writeHead(503).end();
        return;
      }
      const token = url.searchParams.get('validationToken');
      if (token !== null) {
        validations.push(token);
        const echo = m === 'wrongToken' ? encodeURIComponent(token) : token;
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(echo);
        return;
      }
      received.push({ path: url.pathname, body: JSON.parse(text) as Received['body'] });
      res.writeHead(202).end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    validations,
    mode,
    close: async () => {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
