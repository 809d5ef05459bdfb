import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_APPLICATION, startGraphServer } from './index';

/**
 * `tsx sandbox/graph/main.ts` — GRAPH_PORT (default 3002), GRAPH_DATA_DIR (default ./data/graph);
 * GRAPH_AUTHORITY_PORT (unset = off) also starts the https Entra stand-in with the demo app and
 * writes its certificate to GRAPH_DATA_DIR/authority-ca.pem.
 */
async function main(): Promise<void> {
  const port = Number(process.env.GRAPH_PORT ?? 3002);
  const dataDir = resolve(process.env.GRAPH_DATA_DIR ?? './data/graph');
  const authorityPort = process.env.GRAPH_AUTHORITY_PORT;
  const server = await startGraphServer({
    port,
    dataFile: join(dataDir, 'graph.json'),
    logger: false,
    ...(authorityPort !== undefined
      ? { authority: true, authorityPort: Number(authorityPort), applications: [DEMO_APPLICATION] }
      : {}),
  });
  console.log(
    `Graph emulator on ${server.url}/v1.0 (data: ${dataDir}); token: POST ${server.url}/sandbox/token`,
  );
  if (server.authority) {
    mkdirSync(dataDir, { recursive: true });
    const caFile = join(dataDir, 'authority-ca.pem');
    writeFileSync(caFile, server.authority.caCertificate);
    console.log(
      `Entra stand-in on ${server.authority.url}/${DEMO_APPLICATION.tenantId} (trust ${caFile}); demo app ${DEMO_APPLICATION.clientId}`,
    );
  }
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
