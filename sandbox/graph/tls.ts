import Fastify, { type FastifyInstance } from 'fastify';
import type { EmulatorContext } from './context';
import { registerEntraRoutes } from './entra';

/**
 * The emulated Entra ID "login" host. MSAL refuses an authority that is not https
 * (msal-common's UrlString.validateAsUri: ClientConfigurationError `authority_uri_insecure`), so
 * it listens on https, on loopback only, with a self-signed certificate made at start-up. The
 * certificate is handed to the caller, who trusts it explicitly (MSAL Node's
 * `system.customAgentOptions.ca`); nothing turns TLS checks off.
 */
export interface AuthorityHandle {
  /** e.g. https://127.0.0.1:49152 — the authority is `${url}/${tenantId}`. */
  url: string;
  /** The listener's certificate (PEM): trust exactly this. */
  caCertificate: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startAuthority(
  ctx: EmulatorContext,
  host: string,
  port: number,
): Promise<AuthorityHandle> {
  if (!LOOPBACK.has(host)) throw new Error('The emulated authority listens on loopback only.');
  // TLS checks validity on the wall clock, not the emulator's (possibly fixed) clock.
  const now = new Date();
  // Loaded here, not with the module: selfsigned's X.509 stack takes ~35 ms to load, and most
  // emulators (every test suite's) never start an authority.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 7 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const app: FastifyInstance = Fastify({
    logger: false,
    https: { key: pems.private, cert: pems.cert },
  });
  registerEntraRoutes(app, ctx);
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `https://${shown}:${bound}`, caCertificate: pems.cert, close: () => app.close() };
}
