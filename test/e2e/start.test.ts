/**
 * The README's first command, for real: `npm start` (scripts/start.ts) brings up the pane, the CRM
 * server and the Graph emulator, prints where to open the pane, stops on Ctrl-C (SIGINT), and a
 * second start keeps the data the first one wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts } from './support/freePort';

jest.setTimeout(240_000);

const root = path.join(__dirname, '..', '..');
const apiKey = { 'X-Api-Key': 'sandbox-outlook-key' };

interface Started {
  child: ChildProcess;
  output: () => string;
}

let ports: { PANE_PORT: string; CRM_PORT: string; GRAPH_PORT: string; SERVICE_PORT: string };
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'start-test-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * Starts `npm start`'s script on ports free right now and resolves once it has printed where to
 * open the pane. Another build on this machine may take one of those ports before the script
 * listens on it: then the script exits with EADDRINUSE and it starts again on others (3 tries).
 */
async function start(): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    const [pane, crm, graph, service] = await freePorts(4);
    ports = {
      PANE_PORT: String(pane),
      CRM_PORT: String(crm),
      GRAPH_PORT: String(graph),
      SERVICE_PORT: String(service),
    };
    try {
      return await launch();
    } catch (error) {
      if (attempt === 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

function launch(): Promise<Started> {
  // What `npm start` runs: tsx as a loader in the one process. (tsx's CLI would run the script in
  // a child and, when that child has not acknowledged a relayed SIGINT within 30 ms — a loaded
  // machine — kill it with SIGKILL and exit 130: no orderly stop.)
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, ...ports, DATA_DIR: dataDir, ADDIN_ENV: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (text.includes('open this in a browser')) {
        clearInterval(timer);
        resolve({ child, output: () => text });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code}:\n${text}`));
    });
  });
}

/** Ctrl-C: the process must stop by itself and free its ports. */
function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code) => resolve(code));
    started.child.kill('SIGINT');
  });
}

async function signIn(): Promise<string> {
  const response = await fetch(`http://localhost:${ports.CRM_PORT}/api/v1/sessions`, {
    method: 'POST',
    headers: { ...apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'anna@contoso.example', password: 'sandbox' }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { accessToken: string };
  return body.accessToken;
}

async function graphCalendars(): Promise<string[]> {
  const tokenResponse = await fetch(`http://localhost:${ports.GRAPH_PORT}/sandbox/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mailbox: 'anna@contoso.example' }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const response = await fetch(`http://localhost:${ports.GRAPH_PORT}/v1.0/me/calendars`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { value: { name: string }[] };
  return body.value.map((calendar) => calendar.name);
}

test('npm start serves the pane, the CRM and Graph; Ctrl-C stops it; a restart keeps the data', async () => {
  const first = await start();
  expect(first.output()).toContain(`http://localhost:${ports.PANE_PORT}/taskpane.html`);
  expect(first.output()).toContain('sandbox-outlook-key');

  const pane = await fetch(`http://localhost:${ports.PANE_PORT}/taskpane.html`);
  expect(pane.status).toBe(200);
  expect(await pane.text()).toContain('<div id="root"');
  expect(await graphCalendars()).toContain('Calendar');

  // Write something through the CRM API, then restart.
  const token = await signIn();
  const created = await fetch(`http://localhost:${ports.CRM_PORT}/api/v1/activities`, {
    method: 'POST',
    headers: {
      ...apiKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': 'start-test-1',
    },
    body: JSON.stringify({
      subject: 'Written before the restart',
      start: '2026-11-25T09:00:00Z',
      end: '2026-11-25T10:00:00Z',
      timeZone: 'Europe/Helsinki',
      typeId: 'typ_meeting',
    }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };

  expect(await stop(first)).toBe(0);
  await expect(fetch(`http://localhost:${ports.CRM_PORT}/api/v1/company`)).rejects.toThrow();

  const second = await start();
  try {
    const again = await fetch(`http://localhost:${ports.CRM_PORT}/api/v1/activities/${id}`, {
      headers: { ...apiKey, authorization: `Bearer ${await signIn()}` },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { subject: string }).subject).toBe(
      'Written before the restart',
    );
  } finally {
    expect(await stop(second)).toBe(0);
  }
});
