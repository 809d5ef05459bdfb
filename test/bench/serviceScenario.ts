/**
 * Issue 17's "Done when" scenario, shared by the e2e test (test/integration/service/live.test.ts,
 * convergence only) and the bench (test/bench/service.bench.ts, the seconds): the service started
 * as `npm start` starts it (startSandboxService → startService: its one listener, MSAL Node against
 * the emulator's Entra stand-in, a subscription per mailbox), then N events made in the Graph
 * emulator until each is in the CRM, and N activities made in the CRM until each is in the
 * emulator — all over loopback HTTP, no browser. Reads honour Graph's 429 (the test is one more
 * client of the mailbox beside the service).
 */
import { performance } from 'node:perf_hooks';
import { DEMO } from '../../sandbox/crm';
import { DEMO_APPLICATION } from '../../sandbox/graph';
import { startSandboxService } from '../../src/service/sandbox';
import type { RunningService } from '../../src/service/start';
import type { LiveServerUrls } from '../support/liveServers';
export { startLiveServers } from '../support/liveServers';

export const MAILBOX = DEMO.users[0];

export type LiveServers = LiveServerUrls;

export interface LiveService {
  readonly running: RunningService;
  /** Every event the service logged (runs with their trigger, subscriptions). */
  readonly events: Readonly<Record<string, unknown>>[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (res.status === 429 && attempt < 20) {
      await sleep(Math.min(Number(res.headers.get('retry-after') ?? 1) || 1, 5) * 1000);
      continue;
    }
    if (!res.ok) {
      const what = `${init.method ?? 'GET'} ${new URL(url).pathname}: ${res.status}`;
      throw new Error(`${what} ${text.slice(0, 300)}`);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

/** Polls `probe` until true, at most `seconds` (bounded; no fixed sleep). */
export async function until(
  what: string,
  probe: () => Promise<boolean> | boolean,
  seconds = 120,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The service as `npm start` runs it, for the demo user alone, its listener on a free port. */
export async function startLiveService(
  servers: LiveServers,
  dataDir: string,
  /** Issue 18: the stores in this PostgreSQL database instead of SQLite files under dataDir. */
  postgresUrl?: string,
): Promise<LiveService> {
  const events: Readonly<Record<string, unknown>>[] = [];
  const started = await startSandboxService({
    crmUrl: servers.crmUrl,
    graphUrl: `${servers.graphUrl}/v1.0`,
    dataDir,
    ...(postgresUrl ? { postgresUrl } : {}),
    apiPort: 0,
    paneOrigins: [],
    users: [MAILBOX],
    outlookKey: DEMO.apiKey,
    adminKey: DEMO.adminApiKey,
    password: DEMO.password,
    graphApp: {
      tenantId: DEMO_APPLICATION.tenantId,
      clientId: DEMO_APPLICATION.clientId,
      authorityUrl: servers.authority.url,
      caCertificate: servers.authority.caCertificate,
    },
    log: (event) => events.push(event),
  });
  const { running } = started;
  await until('the mailbox subscribed and its first run done', () =>
    Boolean(
      running.subscriptions.subscriptions().get(MAILBOX) &&
      events.some((e) => e.event === 'run' && e.state === 'done'),
    ),
  );
  return { running, events, close: () => started.close() };
}

/** The person's own credentials, as the pane holds them (to make and read their items). */
export class Person {
  private constructor(
    private readonly servers: LiveServers,
    private readonly crmToken: string,
    private readonly graphToken: string,
  ) {}

  static async signIn(servers: LiveServers): Promise<Person> {
    const { accessToken } = await json<{ accessToken: string }>(
      `${servers.crmUrl}/api/v1/sessions`,
      {
        method: 'POST',
        headers: { 'x-api-key': DEMO.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ username: MAILBOX, password: DEMO.password }),
      },
    );
    const { access_token: graphToken } = await json<{ access_token: string }>(
      `${servers.graphUrl}/sandbox/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mailbox: MAILBOX }),
      },
    );
    return new Person(servers, accessToken, graphToken);
  }

  private crm(): Record<string, string> {
    return { 'x-api-key': DEMO.apiKey, authorization: `Bearer ${this.crmToken}` };
  }

  async createOutlookEvent(subject: string, minute: number): Promise<void> {
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const at = (m: number) =>
      `${day}T${String(8 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
    await json(`${this.servers.graphUrl}/v1.0/me/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.graphToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject,
        start: { dateTime: at(minute), timeZone: 'UTC' },
        end: { dateTime: at(minute + 30), timeZone: 'UTC' },
      }),
    });
  }

  async createCrmActivity(subject: string, minute: number): Promise<void> {
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const at = (m: number) =>
      `${day}T${String(8 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`;
    await json(`${this.servers.crmUrl}/api/v1/activities`, {
      method: 'POST',
      headers: {
        ...this.crm(),
        'content-type': 'application/json',
        'idempotency-key': `live-${subject.replace(/[^\x21-\x7e]/g, '-')}-${Date.now()}`,
      },
      body: JSON.stringify({
        subject,
        start: at(minute),
        end: at(minute + 30),
        timeZone: 'UTC',
        typeId: 'typ_meeting',
      }),
    });
  }

  /** The CRM's change feed from `cursor`: subjects seen, and the next cursor. */
  async crmChanges(cursor: string | null): Promise<{ subjects: string[]; cursor: string }> {
    const subjects: string[] = [];
    let next = cursor;
    for (let page = 0; page < 100; page += 1) {
      const query = next === null ? '?limit=500' : `?limit=500&cursor=${encodeURIComponent(next)}`;
      const body = await json<{
        items: { activity?: { subject: string } }[];
        nextCursor: string;
        hasMore: boolean;
      }>(`${this.servers.crmUrl}/api/v1/activities/changes${query}`, { headers: this.crm() });
      for (const item of body.items) if (item.activity) subjects.push(item.activity.subject);
      next = body.nextCursor;
      if (!body.hasMore) break;
    }
    return { subjects, cursor: next ?? '' };
  }

  /** Every subject in the mailbox's calendar now. */
  async outlookSubjects(): Promise<string[]> {
    const subjects: string[] = [];
    let url: string | undefined =
      `${this.servers.graphUrl}/v1.0/me/events?$top=500&$select=subject`;
    for (let page = 0; url && page < 100; page += 1) {
      const body: { value: { subject: string }[]; '@odata.nextLink'?: string } = await json(url, {
        headers: { authorization: `Bearer ${this.graphToken}` },
      });
      subjects.push(...body.value.map((e) => e.subject));
      url = body['@odata.nextLink'];
    }
    return subjects;
  }
}

/** Seconds from each item's creation to its arrival on the other side, in creation order. */
export interface Latencies {
  readonly seconds: number[];
}

/**
 * Makes `n` items one after another and watches the other side meanwhile (a read every 100 ms):
 * each item's seconds from its creation until it is seen there. Bounded by `giveUpSeconds`.
 */
async function measure(
  n: number,
  make: (i: number) => Promise<string>,
  read: () => Promise<Iterable<string>>,
  what: string,
  giveUpSeconds: number,
): Promise<Latencies> {
  const made = new Map<string, number>();
  const arrived = new Map<string, number>();
  const deadline = Date.now() + giveUpSeconds * 1000;
  let making = true;
  let failed = false;
  const watch = async () => {
    while ((making || arrived.size < n) && !failed && Date.now() < deadline) {
      for (const s of await read()) {
        const at = made.get(s);
        if (at !== undefined && !arrived.has(s)) arrived.set(s, now());
      }
      await sleep(100);
    }
  };
  const watching = watch();
  try {
    for (let i = 0; i < n; i += 1) {
      const subject = await make(i);
      made.set(subject, now());
    }
  } catch (error) {
    failed = true;
    await watching.catch(() => undefined);
    throw error;
  } finally {
    making = false;
  }
  await watching;
  if (arrived.size < n) throw new Error(`${n - arrived.size} of ${n} ${what} never arrived`);
  return { seconds: [...made].map(([s, at]) => ((arrived.get(s) ?? at) - at) / 1000) };
}

/** Outlook → CRM: `n` events made in the emulator, each until the CRM's change feed holds it. */
export async function pushChanges(
  person: Person,
  n: number,
  tag: string,
  giveUpSeconds = 180,
): Promise<Latencies> {
  let { cursor } = await person.crmChanges(null);
  return measure(
    n,
    async (i) => {
      const subject = `${tag} push ${i}`;
      await person.createOutlookEvent(subject, i * 2);
      return subject;
    },
    async () => {
      const page = await person.crmChanges(cursor);
      cursor = page.cursor;
      return page.subjects;
    },
    'events in the CRM',
    giveUpSeconds,
  );
}

/** CRM → Outlook: `n` activities made in the CRM, each until the emulator's calendar holds it. */
export async function pullChanges(
  person: Person,
  n: number,
  tag: string,
  giveUpSeconds = 180,
): Promise<Latencies> {
  return measure(
    n,
    async (i) => {
      const subject = `${tag} pull ${i}`;
      await person.createCrmActivity(subject, i * 2);
      return subject;
    },
    () => person.outlookSubjects(),
    'activities in Outlook',
    giveUpSeconds,
  );
}

const now = () => performance.now();

/** The nearest-rank percentile of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
