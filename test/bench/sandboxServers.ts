/**
 * The engine bench's servers (issue 16 item 6): both sandbox servers in a process of their own,
 * so the bench's heap figure is the engine's alone. Started by test/bench/engine.bench.ts as a
 * child process; prints one JSON line `{crmUrl, graphUrl}` once listening and stops when its
 * parent closes its stdin (or ends).
 */
import { startCrmServer } from '../../sandbox/crm';
import { startGraphServer } from '../../sandbox/graph';
import { TEST_CRM } from '../support/crmServer';

async function main(): Promise<void> {
  // seedDemoData: the CRM has no users, company or activity types without it.
  const crm = await startCrmServer({
    ...TEST_CRM,
    port: 0,
    dbPath: ':memory:',
    seedDemoData: true,
  });
  const graph = await startGraphServer({ port: 0, seedDemoData: false });
  const stop = () => {
    void Promise.allSettled([crm.close(), graph.close()]).then(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ crmUrl: crm.url, graphUrl: graph.url })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
