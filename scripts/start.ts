/**
 * `npm start`: the reference CRM server, the Microsoft Graph emulator, the always-on sync service
 * (issue 17: the demo users' mailboxes synced with no pane open; SYNC_SERVICE=0 leaves it out) and
 * the task pane's dev server, all on loopback, with the sandbox configuration. Data lives under ./data (DATA_DIR), so a
 * second start keeps what the first one wrote; the demo data is loaded only into a new store.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startCrmServer, DEMO } from '../sandbox/crm';
import { DEMO_APPLICATION, startGraphServer } from '../sandbox/graph';
import { startSandboxService } from '../src/service/sandbox';
import { startPaneDevServer, type PaneDevServerOptions } from './pane-dev-server';

interface Closable {
  close(): Promise<void>;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  }
  return value;
}

/**
 * `--https` (`npm run dev-server`, used by `npm run sideload`): a real Outlook loads add-ins over
 * https only. The certificate is the one `npx office-addin-dev-certs install` made and trusted.
 */
async function httpsOptions(): Promise<PaneDevServerOptions['https']> {
  if (!process.argv.includes('--https')) return undefined;
  // A real Outlook talks to the real Graph: default to the sideload configuration (README).
  process.env.ADDIN_ENV ??= 'sideload';
  const devCerts = await import('office-addin-dev-certs');
  return devCerts.getHttpsServerOptions();
}

/** The servers listen on 127.0.0.1; the configuration and CORS speak of localhost. */
function local(url: string): string {
  return url.replace('//127.0.0.1:', '//localhost:');
}

async function main(): Promise<void> {
  const panePort = port('PANE_PORT', 3000);
  const crmPort = port('CRM_PORT', 3001);
  const graphPort = port('GRAPH_PORT', 3002);
  const dataDir = path.resolve(process.env.DATA_DIR ?? 'data');
  mkdirSync(path.join(dataDir, 'crm'), { recursive: true });
  mkdirSync(path.join(dataDir, 'graph'), { recursive: true });
  const servicePort = port('SERVICE_PORT', 3004);
  const withService = process.env.SYNC_SERVICE !== '0';

  const running: Closable[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(running.reverse().map((server) => server.close()));
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));

  try {
    const crm = await startCrmServer({
      // The sandbox configuration: /sandbox controls and the demo company (public keys).
      sandbox: true,
      port: crmPort,
      dbPath: path.join(dataDir, 'crm', 'crm.sqlite'),
    });
    running.push(crm);
    const graph = await startGraphServer({
      port: graphPort,
      dataFile: path.join(dataDir, 'graph', 'graph.json'),
      // The service reaches Graph as in production: MSAL Node's client credentials against the
      // emulator's Entra stand-in (https, a certificate made now), the demo application.
      ...(withService ? { authority: true, applications: [DEMO_APPLICATION] } : {}),
    });
    running.push(graph);
    let serviceLine = '  Sync service:     off (SYNC_SERVICE=0)';
    if (withService) {
      const started = await startSandboxService({
        crmUrl: crm.url,
        graphUrl: `${graph.url}/v1.0`,
        dataDir: path.join(dataDir, 'service'),
        apiPort: servicePort,
        paneOrigins: [`http://localhost:${panePort}`, `https://localhost:${panePort}`],
        users: DEMO.users,
        outlookKey: DEMO.apiKey,
        adminKey: DEMO.adminApiKey,
        password: DEMO.password,
        ...(graph.authority
          ? {
              graphApp: {
                tenantId: DEMO_APPLICATION.tenantId,
                clientId: DEMO_APPLICATION.clientId,
                authorityUrl: graph.authority.url,
                caCertificate: graph.authority.caCertificate,
              },
            }
          : {}),
        // Runs are printed as they end (counts and codes only; never content).
        log: (event) => {
          if (event.event === 'run') console.log(`[sync service] ${JSON.stringify(event)}`);
        },
      });
      running.push(started);
      serviceLine =
        `  Sync service:     ${started.apiUrl} running for ${started.service.mailboxIds().join(', ')} ` +
        '(changes flow with no pane open; SYNC_SERVICE=0 turns it off)\n' +
        `                    Graph notifies it at ${local(started.running.notificationUrl)}`;
    }
    console.log('Building the task pane (first build takes a little while)…');
    const pane = await startPaneDevServer({
      port: panePort,
      https: await httpsOptions(),
      env: {
        CRM_PORT: String(crmPort),
        GRAPH_PORT: String(graphPort),
        PANE_PORT: String(panePort),
      },
    });
    running.push(pane);

    console.log(
      [
        '',
        'Outlook ⇄ CRM sync — sandbox is running',
        `  Task pane:        ${local(pane.url)}taskpane.html   ← open this in a browser`,
        `  CRM server:       ${local(crm.url)}/api/v1   (API docs: ${local(crm.url)}/docs)`,
        `  Graph emulator:   ${local(graph.url)}/v1.0`,
        serviceLine,
        `  Data:             ${dataDir}`,
        '',
        'Demo sign-in',
        `  CRM API key:      ${DEMO.apiKey}`,
        `  CRM address:      ${local(crm.url)}`,
        `  Users:            ${DEMO.users.join(', ')}`,
        `  Password:         ${DEMO.password}`,
        '',
        'Ctrl-C stops everything; the next start keeps the data (delete the data folder to reset).',
      ].join('\n'),
    );
  } catch (error) {
    await stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
