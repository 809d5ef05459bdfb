/**
 * The reference CRM on 127.0.0.1:0 plus signed-in adapter sessions, for the adapter's
 * integration tests. Sandbox controls (faults, clock, compaction) go through the admin key.
 */
import { DEMO, startCrmServer } from '../../../sandbox/crm/index';
import { TEST_CRM } from '../../support/crmServer';
import { createCrmActivities } from '../../../src/crm/crmActivities';
import { CrmSession, type CrmTransport } from '../../../src/crm/session';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';

export { DEMO };

export class MemoryTokenStore implements CrmTokenStore {
  token: string | null = null;
  saves = 0;
  async load() {
    return this.token;
  }
  async save(token: string) {
    this.token = token;
    this.saves += 1;
  }
  async clear() {
    this.token = null;
  }
}

/** No real waiting in tests; the waits asked for are recorded. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

export interface Crm {
  url: string;
  clock: { ms: number };
  close(): Promise<void>;
  signIn(
    user?: string,
    transport?: CrmTransport,
    store?: CrmTokenStore,
    now?: () => number,
  ): Promise<CrmSession>;
  sandbox(path: string, body?: unknown): Promise<unknown>;
}

export async function startCrm(
  opts: { accessTokenTtlSeconds?: number; bulk?: boolean } = {},
): Promise<Crm> {
  const clock = { ms: Date.parse('2026-03-04T10:00:00Z') };
  const server = await startCrmServer({
    ...TEST_CRM,
    port: 0,
    dbPath: ':memory:',
    now: () => clock.ms,
    ...opts,
  });
  const sandbox = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/sandbox${path}`, {
      method: 'POST',
      headers: { 'X-Api-Key': DEMO.adminApiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  return {
    url: server.url,
    clock,
    close: () => server.close(),
    sandbox,
    signIn: (user = DEMO.users[0], transport, store = new MemoryTokenStore(), now) =>
      CrmSession.signIn({
        address: server.url,
        apiKey: DEMO.apiKey,
        username: user,
        password: DEMO.password,
        remember: true,
        tokenStore: store,
        now: now ?? (() => clock.ms),
        transport: transport ?? { sleep: recordingSleep().sleep },
      }),
  };
}

export { createCrmActivities };
