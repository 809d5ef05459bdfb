/**
 * The service bench's servers (test/bench/service.bench.ts): both sandbox servers in a process of
 * their own, the Graph emulator with its Entra stand-in and demo application (the service reaches
 * it as in production, MSAL Node's client credentials). Prints one JSON line `{crmUrl, graphUrl,
 * authority: {url, caCertificate}}` once listening; stops when its parent closes its stdin.
 */
import { startCrmServer } from '../../sandbox/crm';
import { DEMO_APPLICATION, startGraphServer } from '../../sandbox/graph';
import { TEST_CRM } from '../support/crmServer';

async function main(): Promise<void> {
  const crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  const graph = await startGraphServer({
    port: 0,
    seedDemoData: false,
    authority: true,
    applications: [DEMO_APPLICATION],
  });
  const stop = () => {
    void Promise.allSettled([crm.close(), graph.close()]).then(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  const authority = graph.authority
    ? { url: graph.authority.url, caCertificate: graph.authority.caCertificate }
    : null;
  process.stdout.write(`${JSON.stringify({ crmUrl: crm.url, graphUrl: graph.url, authority })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
