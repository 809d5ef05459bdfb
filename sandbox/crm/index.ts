/** The reference CRM server: public entry points used by `npm start` and the tests. */
import { buildCrmApp, type CrmServerOptions } from './app';

export { buildCrmApp, type CrmServerOptions } from './app';
export { DEMO } from './seed/demoConstants';

export async function startCrmServer(
  opts: CrmServerOptions & { port: number; host?: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildCrmApp(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://${host}:${port}`, close: () => app.close() };
}
