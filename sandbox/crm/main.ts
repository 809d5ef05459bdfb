/**
 * Runs the reference CRM server by hand: `tsx sandbox/crm/main.ts`. As a vendor would run it
 * unless `CRM_SANDBOX=1` asks for the sandbox configuration (/sandbox controls, demo company).
 */
import { join } from 'node:path';
import { DEMO, startCrmServer } from './index';

const port = Number(process.env.CRM_PORT ?? 3001);
const dataDir = process.env.CRM_DATA_DIR ?? './data/crm';
const sandbox = ['1', 'true', 'yes'].includes((process.env.CRM_SANDBOX ?? '').toLowerCase());

async function main(): Promise<void> {
  const server = await startCrmServer({
    port,
    dbPath: join(dataDir, 'crm.sqlite'),
    logger: true,
    sandbox,
  });
  console.log(`CRM server on ${server.url} (API docs: ${server.url}/docs)`);
  if (sandbox) {
    console.log(
      `Sandbox: API key ${DEMO.apiKey}, users ${DEMO.users.join(', ')}, password "${DEMO.password}"`,
    );
  } else {
    console.log('No sandbox controls or demo data (set CRM_SANDBOX=1 for them).');
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void server.close().then(() => process.exit(0)));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
