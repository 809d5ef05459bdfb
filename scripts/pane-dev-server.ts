/**
 * Serves the task pane and commands from memory with webpack-dev-server, over plain HTTP on
 * loopback: what `npm start` (scripts/start.ts) and the browser tests use. No hot reload — a
 * test wants the page it loaded to stay put.
 */
import webpack from 'webpack';
import WebpackDevServer from 'webpack-dev-server';

// webpack.config.js is CommonJS so webpack-cli can load it without a TypeScript loader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createWebpackConfig } = require('../webpack.config.js') as {
  createWebpackConfig: (options: {
    mode: 'development' | 'production';
    env?: Record<string, string | undefined>;
  }) => webpack.Configuration;
};

export interface PaneDevServerOptions {
  readonly port: number;
  /** Defaults to 127.0.0.1: the sandbox never listens beyond loopback. */
  readonly host?: string;
  /** Placeholders for config/<ADDIN_ENV>.json, e.g. CRM_PORT and GRAPH_PORT; over process.env. */
  readonly env?: Record<string, string>;
  /** Serve over https with these options (a real Outlook loads add-ins over https only). */
  readonly https?: {
    readonly key: string | Buffer;
    readonly cert: string | Buffer;
    readonly ca?: string | Buffer;
  };
}

export interface PaneDevServer {
  /** Base URL, ending in '/': the pane is at `${url}taskpane.html`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the server and resolves once the first compilation has finished. */
export async function startPaneDevServer(options: PaneDevServerOptions): Promise<PaneDevServer> {
  const host = options.host ?? '127.0.0.1';
  const env = { ...process.env, PANE_PORT: String(options.port), ...options.env };
  const config = createWebpackConfig({ mode: 'development', env });
  const compiler = webpack({ ...config, infrastructureLogging: { level: 'warn' } });
  const firstBuild = new Promise<webpack.Stats>((resolve) =>
    compiler.hooks.done.tap('pane', resolve),
  );
  const server = new WebpackDevServer(
    {
      host,
      port: options.port,
      ...(options.https ? { server: { type: 'https' as const, options: options.https } } : {}),
      hot: false,
      liveReload: false,
      // No client script: nothing in the page talks back to the server, so no websocket errors.
      client: false,
      webSocketServer: false,
      allowedHosts: 'all',
      static: false,
      devMiddleware: { stats: 'errors-warnings' },
      headers: { 'Cache-Control': 'no-store' },
    },
    compiler,
  );
  await server.start();
  const stats = await firstBuild;
  if (stats.hasErrors()) {
    await server.stop();
    throw new Error(`Pane build failed:\n${stats.toString('errors-only')}`);
  }
  return {
    url: `${options.https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${options.port}/`,
    close: () => server.stop(),
  };
}
