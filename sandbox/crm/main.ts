/** Runs the reference CRM server by hand: `tsx sandbox/crm/main.ts`. */
import { join } from 'node:path';
import { DEMO, startCrmServer } from './index';

const port = Number(process.env.CRM_PORT ?? 3001);
const dataDir = process.env.CRM_DATA_DIR ?? './data/crm';

async function main(): Promise<void> {
  const server = await startCrmServer({ port, dbPath: join(dataDir, 'crm.sqlite'), logger: true });
  console.log(`CRM sandbox on ${server.url} (API docs: ${server.url}/docs)`);
  console.log(
    `API key ${DEMO.apiKey}, users ${DEMO.users.join(', ')}, password "${DEMO.password}"`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void server.close().then(() => process.exit(0)));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
