import { join, resolve } from 'node:path';
import { startGraphServer } from './index';

/** `tsx sandbox/graph/main.ts` — GRAPH_PORT (default 3002), GRAPH_DATA_DIR (default ./data/graph). */
async function main(): Promise<void> {
  const port = Number(process.env.GRAPH_PORT ?? 3002);
  const dataDir = resolve(process.env.GRAPH_DATA_DIR ?? './data/graph');
  const server = await startGraphServer({
    port,
    dataFile: join(dataDir, 'graph.json'),
    logger: false,
  });
  console.log(
    `Graph emulator on ${server.url}/v1.0 (data: ${dataDir}); token: POST ${server.url}/sandbox/token`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
