import { createServer, type Server } from 'node:net';

function listenOnAnyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve({ server, port: address.port });
      else reject(new Error('no port'));
    });
  });
}

/**
 * `count` different ports the OS says are free right now on loopback (all held open together, so
 * no two are the same). Another process may still take one before the caller listens on it: a
 * caller that starts a server on them retries with new ones on EADDRINUSE.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: { server: Server; port: number }[] = [];
  try {
    for (let i = 0; i < count; i++) held.push(await listenOnAnyPort());
    return held.map((h) => h.port);
  } finally {
    await Promise.all(held.map((h) => new Promise((resolve) => h.server.close(resolve))));
  }
}
