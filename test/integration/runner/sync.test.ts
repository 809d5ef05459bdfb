/**
 * The headless runner (`npm run sync -- --once`) as a person would run it: a separate Node process
 * against both sandbox servers over HTTP. The CRM's demo activities must reach the Graph emulator.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startCrmServer } from '../../../sandbox/crm';
import { TEST_CRM } from '../../support/crmServer';
import { startGraphServer } from '../../../sandbox/graph';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const MAILBOX = 'anna@contoso.example';

let crm: Awaited<ReturnType<typeof startCrmServer>>;
let graph: Awaited<ReturnType<typeof startGraphServer>>;

beforeAll(async () => {
  crm = await startCrmServer({ ...TEST_CRM, port: 0, dbPath: ':memory:' });
  graph = await startGraphServer({ port: 0, seedDemoData: false });
});

afterAll(async () => {
  await crm?.close();
  await graph?.close();
});

function runner(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // tsx's CLI through node itself: no shell, no npx lookup, the same Node as the test.
  const child = spawn(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', 'scripts/sync.ts', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, CRM_PASSWORD: '', SYNC_TIME_ZONE: 'Europe/Helsinki' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function emulatorSubjects(): Promise<string[]> {
  const { access_token: token } = (await (
    await fetch(`${graph.url}/sandbox/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: MAILBOX }),
    })
  ).json()) as { access_token: string };
  const subjects: string[] = [];
  let url: string | undefined = `${graph.url}/v1.0/me/events?$top=100&$select=subject`;
  while (url) {
    const page = (await (
      await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      value: { subject: string }[];
      '@odata.nextLink'?: string;
    };
    subjects.push(...page.value.map((e) => e.subject));
    url = page['@odata.nextLink'];
  }
  return subjects;
}

it('--once syncs the CRM demo activities into the Graph emulator and prints one JSON outcome', async () => {
  const result = await runner(['--once', '--crm-url', crm.url, '--graph-url', `${graph.url}/v1.0`]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const outcome = JSON.parse(lines[0]!) as { state: string; counts: Record<string, number> };
  expect(outcome.state).toBe('done');
  expect(outcome.counts.createInOutlook).toBeGreaterThan(0);
  // No secret in the output: the sandbox password and API key never appear.
  expect(result.stdout).not.toMatch(/sandbox-outlook-key|"sandbox"/);
  expect(await emulatorSubjects()).toContain('Weekly team meeting');
});

it('rejects a bad flag with a clear message and exit code 2', async () => {
  const result = await runner(['--once', '--interval', 'soon']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--interval must be a number of seconds');
});

it('--contacts crm-to-outlook brings the contacts marked for the user into their folder (SPEC K2)', async () => {
  const result = await runner([
    '--once',
    '--contacts',
    'crm-to-outlook',
    '--crm-url',
    crm.url,
    '--graph-url',
    `${graph.url}/v1.0`,
  ]);
  expect([result.code, result.stderr]).toEqual([0, '']);
  const { access_token: token } = (await (
    await fetch(`${graph.url}/sandbox/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox: MAILBOX }),
    })
  ).json()) as { access_token: string };
  const get = async <T>(p: string) =>
    (await (
      await fetch(`${graph.url}/v1.0${p}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as T;
  const folders = await get<{ value: { id: string; displayName: string }[] }>('/me/contactFolders');
  const folder = folders.value.find((f) => f.displayName === 'CRM contacts');
  expect(folder).toBeDefined();
  const contacts = await get<{ value: { emailAddresses: { address: string }[] }[] }>(
    `/me/contactFolders/${folder!.id}/contacts?$top=100`,
  );
  expect(contacts.value.map((c) => c.emailAddresses[0]?.address)).toContain(
    'sven@northwind.example',
  );
});

it('rejects an unknown contact mode', async () => {
  const result = await runner(['--once', '--contacts', 'sometimes']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--contacts must be off, two-way or crm-to-outlook');
});
