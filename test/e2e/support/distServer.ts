/**
 * Serves the built pane (dist/) on loopback, with addin-config.js written for this server's
 * endpoints: the same build runs against any CRM and Graph, as a deployment changes the file
 * without rebuilding (webpack.config.js). Hand-written on node:http (about 40 lines) rather than a
 * static-file package: the project has none among its dependencies and needs only GET of files.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DIST } from './paneBuild';

// webpack.config.js is CommonJS; what it writes into dist/addin-config.js is written here too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require('../../../webpack.config.js') as {
  ADDIN_CONFIG_FILE: string;
  addinConfigScript: (config: unknown) => string;
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface DistServer {
  /** Base URL, ending in '/': the pane is at `${url}taskpane.html`. */
  readonly url: string;
  readonly port: number;
  /** Sets the configuration addin-config.js carries from now on. */
  setAddinConfig(config: unknown): void;
  close(): Promise<void>;
}

export async function startDistServer(): Promise<DistServer> {
  let configScript = '';
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const send = (status: number, body: string | Buffer, type: string) =>
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (pathname === `/${webpackConfig.ADDIN_CONFIG_FILE}`) {
      send(200, configScript, 'text/javascript; charset=utf-8');
      return;
    }
    const file = path.join(DIST, path.normalize(pathname));
    if (!file.startsWith(DIST + path.sep)) {
      send(403, 'outside dist/', 'text/plain');
      return;
    }
    readFile(file).then(
      (body) => send(200, body, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream'),
      () => send(404, 'not found', 'text/plain'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    setAddinConfig: (config) => {
      configScript = webpackConfig.addinConfigScript(config);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
