/**
 * Both sandbox servers as the service's live scenario and bench want them (test/bench/
 * serviceScenario.ts, serviceServers.ts, test/integration/service/postgresService.test.ts).
 */
import { startCrmServer } from '../../sandbox/crm';
import { DEMO_APPLICATION, startGraphServer } from '../../sandbox/graph';
import { TEST_CRM } from './crmServer';

/** Where the service reaches the two servers, and the emulator's Entra stand-in. */
export interface LiveServerUrls {
  readonly crmUrl: string;
  /** The emulator's root (…/v1.0 is Graph). */
  readonly graphUrl: string;
  readonly authority: { readonly url: string; readonly caCertificate: string };
}

/**
 * Both sandbox servers on free loopback ports, as the live scenario wants them: the CRM in
 * memory, the emulator empty, with its Entra stand-in and the demo application.
 */
export async function startLiveServers(): Promise<{
  readonly servers: LiveServerUrls;
  readonly graph: Awaited<ReturnType<typeof startGraphServer>>;
  close(): Promise<void>;
}> {
  const crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  const graph = await startGraphServer({
    port: 0,
    seedDemoData: false,
    authority: true,
    applications: [DEMO_APPLICATION],
  }).catch(async (error: unknown) => {
    await crm.close();
    throw error;
  });
  if (!graph.authority) throw new Error('The emulator started without its Entra stand-in');
  const { url, caCertificate } = graph.authority;
  const servers = { crmUrl: crm.url, graphUrl: graph.url, authority: { url, caCertificate } };
  return {
    servers,
    graph,
    close: async () => {
      await graph.close();
      await crm.close();
    },
  };
}
