/**
 * SPEC E5 end to end (issue 14, item 7): a run's failures, reported through the real client to
 * the reference CRM's /error-reports over loopback, land in its database — and none of an item's
 * content does, though the error that failed the run quotes a hostile subject, an address and a
 * token. The stored rows are read back from the server's own SQLite file.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../../sandbox/crm';
import { CrmDirectory } from '../../../src/crm';
import { ErrorReporter, withErrorReports } from '../../../src/crm/errorReport';
import { CrmSession } from '../../../src/crm/session';
import type { CrmTokenStore } from '../../../src/crm/tokenStore';
import { SyncError } from '../../../src/sync/core/errors';
import type { RunOutcome } from '../../../src/sync/engine/run';
import { startTestServer, type TestServer } from '../crm/harness';

jest.setTimeout(30_000);

const HOSTILE_SUBJECT = '<img src=x onerror=alert(1)> Merger with ACME — confidential';
const ATTENDEE = 'ceo.private@acme.example';

let dir: string;
let dbPath: string;
let crm: TestServer;
let session: CrmSession;

const memoryStore = (): CrmTokenStore => ({
  load: async () => null,
  save: async () => undefined,
  clear: async () => undefined,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'e5-'));
  dbPath = join(dir, 'crm.sqlite');
  crm = await startTestServer({ dbPath });
  session = await CrmSession.signIn({
    address: crm.url,
    apiKey: DEMO.apiKey,
    username: DEMO.users[0]!,
    password: DEMO.password,
    remember: false,
    tokenStore: memoryStore(),
    now: crm.clock.now,
  });
});

afterEach(async () => {
  await crm.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the server stored, read from its database file (WAL: readable while it runs). */
function storedReports(): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT data FROM error_reports').all() as { data: string }[]).map(
      (r) => r.data,
    );
  } finally {
    db.close();
  }
}

/** Polls with a bounded deadline (reports are sent after the run, not awaited by it). */
async function eventually<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setImmediate(r));
  }
}

/** A run that failed on an error quoting an item's content, as a careless adapter might. */
function failedRun(): RunOutcome {
  const error = new SyncError(
    'invalidResponse',
    `Could not map "${HOSTILE_SUBJECT}" for ${ATTENDEE} (token at_SECRET123)`,
  );
  return { state: 'failed', error };
}

const reporter = (optedIn: () => boolean) =>
  new ErrorReporter({
    sink: new CrmDirectory(session),
    optedIn,
    appVersion: '0.1.0',
    platform: 'Outlook-office',
    now: () => crm.clock.now(),
  });

describe('E5 error reports', () => {
  it('E5 end to end: opted in, the failures reach the CRM without any item content', async () => {
    const run = withErrorReports(
      async (): Promise<RunOutcome> => failedRun(),
      reporter(() => true),
    );
    await run();
    // A run that went on, with two items set aside for a reason each.
    const setAside = withErrorReports(
      async (): Promise<RunOutcome> => ({
        state: 'done',
        counts: {},
        failures: 3,
        failureCodes: ['invalidRequest', 'occurrenceCrossesNeighbour'],
      }),
      reporter(() => true),
    );
    await setAside();
    const rows = await eventually(storedReports, (r) => r.length >= 3);
    expect(rows).toHaveLength(3);
    const reports = rows.map((r) => JSON.parse(r) as Record<string, string>);
    expect(reports.map((r) => [r.errorKind, r.messageCode]).sort()).toEqual([
      ['ItemSetAside', 'errors.invalidRequest.message'],
      ['ItemSetAside', 'errors.occurrenceCrossesNeighbour.message'],
      ['SyncError', 'errors.invalidResponse.message'],
    ]);
    const failed = reports.find((r) => r.errorKind === 'SyncError');
    expect(failed?.stack).toMatch(/^at /); // frames only
    const all = rows.join('\n');
    for (const content of ['ACME', 'Merger', 'onerror', ATTENDEE, 'at_SECRET123', 'acme']) {
      expect(all).not.toContain(content);
    }
  });

  it('not opted in: nothing is sent', async () => {
    let asked = 0;
    const sent = await reporter(() => (asked += 1) < 0).reportRun(failedRun());
    expect([sent, asked]).toEqual([0, 1]);
    // A report the person did opt into afterwards arrives: the route and session work.
    expect(await reporter(() => true).reportRun(failedRun())).toBe(1);
    expect(storedReports()).toHaveLength(1);
  });

  it('the same failure every run is one report an hour, not one a run', async () => {
    const r = reporter(() => true);
    expect(await r.reportRun(failedRun())).toBe(1);
    expect(await r.reportRun(failedRun())).toBe(0);
    crm.clock.advance(3601);
    expect(await r.reportRun(failedRun())).toBe(1);
    expect(storedReports()).toHaveLength(2);
  });
});
