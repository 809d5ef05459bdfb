/**
 * Issue 15 item 5 and issue 16 item 2 through both sandbox servers over real HTTP: 5 + 5 creates
 * read nothing back (every API request the engine sends is counted where it arrives, by the one
 * harness's request log, each $batch sub-request on its own), the run right after them reads no
 * echo, and the engine's own fresh copy deleted before the next run is seen by that run (the
 * emulator reports that deletion either way; test/unit/sync/ownWrites.test.ts has the fake that
 * does not).
 */
import type { EngineDeps } from '../../../src/sync/engine/context';
import { runSync, type RunOutcome } from '../../../src/sync/engine/run';
import { dbOf } from '../../support/store';
import { type Sent, startTwoSides, type TwoSides } from '../../support/twoSides';

jest.setTimeout(120_000);

let sides: TwoSides;
let deps: EngineDeps;
/** What beforeAll's first sync of the demo data wrote, by operation. */
let firstSync: RunOutcome;

/**
 * One run, and every request it sent to either server: a $batch counts as its sub-requests (the
 * emulator logs the envelope, then each sub-request as it runs it; the envelope is left out here).
 */
async function sentBy(run: () => Promise<RunOutcome>): Promise<[RunOutcome, Sent[]]> {
  const { value, sent } = await sides.counted(run);
  return [value, sent.filter((s) => !(s.server === 'graph' && s.path.startsWith('/v1.0/$batch')))];
}

const graph = (method: string, path: string, body?: unknown) => sides.graph(method, path, body);

const hourOn = (day: number, hour: number) =>
  new Date(Date.UTC(2026, 10, day, hour)).toISOString().replace('.000Z', 'Z');

async function seed(round: number): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    const start = hourOn(24 + round, 8 + i);
    await graph('POST', `/me/calendars/${sides.calendarId}/events`, {
      subject: `Outlook ${round}.${i}`,
      start: { dateTime: start.slice(0, -1), timeZone: 'UTC' },
      end: { dateTime: hourOn(24 + round, 9 + i).slice(0, -1), timeZone: 'UTC' },
    });
    await deps.crm.create(
      {
        item: {
          subject: `CRM ${round}.${i}`,
          time: {
            kind: 'timed',
            start: hourOn(24 + round, 14 + i),
            end: hourOn(24 + round, 15 + i),
            timeZone: 'Europe/Helsinki',
          },
          location: '',
          description: '',
          isPrivate: false,
          showAs: 'busy',
          reminderMinutes: 15,
          participants: [],
          recurrence: null,
          occurrenceOf: null,
          isCancelled: false,
        },
        typeId: 'typ_meeting',
      },
      { idempotencyKey: `seed-${round}-${i}` },
    );
  }
}

/** A GET of one item: an event by id (alone or in a $batch), an activity by id. */
function isItemRead(s: Sent): boolean {
  if (s.method !== 'GET') return false;
  const path = s.path.replace(/^\/v1\.0/, '').split('?')[0] ?? '';
  if (s.server === 'graph') return /^\/me\/(calendars\/[^/]+\/)?events\/[^/]+$/.test(path);
  return /\/activities\/[^/]+$/.test(path) && !path.endsWith('/changes');
}

/** What a run wrote (a rebase is bookkeeping: the demo's series are read again once, see below). */
const countsOf = (outcome: RunOutcome) =>
  Object.fromEntries(
    Object.entries(outcome.state === 'done' ? outcome.counts : {}).filter(
      ([op]) => op !== 'rebase',
    ),
  );

beforeAll(async () => {
  sides = await startTwoSides({ name: 'own-writes-client', count: true });
  deps = sides.deps;
  // The demo company's own activities are synced first, so that the counted run is 5 + 5.
  firstSync = await runSync(deps);
  expect(firstSync).toMatchObject({ state: 'done' });
});

it('issue 16: the run right after a first sync that wrote a series with exceptions reads one page per side', async () => {
  // The demo's weekly series went to Outlook with its exceptions: the echo round past that
  // create lists each exception with a changeKey of its own, which no link holds (a link keeps
  // the master's). The round tells them apart from a person's edit by reading the series once
  // and finding it as written — not by leaving that read to the next run.
  expect(countsOf(firstSync)).toMatchObject({ createInOutlook: expect.any(Number) });
  const exceptions = (await dbOf(deps).links.toArray()).filter(
    (l) => Object.keys(l.outlookBase.recurrence?.overrides ?? {}).length > 0,
  );
  expect(exceptions.length).toBeGreaterThan(0);
  const [next, sentNext] = await sentBy(() => runSync(deps));
  expect(next).toMatchObject({ state: 'done', counts: {} });
  expect(sentNext.filter((s) => s.server === 'graph')).toEqual([
    expect.objectContaining({ method: 'GET', entries: 0 }),
  ]);
  expect(sentNext.filter((s) => s.server === 'crm')).toEqual([
    expect.objectContaining({ method: 'GET', entries: 0 }),
  ]);
});

afterAll(async () => {
  await sides?.close();
});

it('issue 16, SPEC S1: an exception a person edits right after the engine wrote its series still reaches the CRM', async () => {
  const series = (await dbOf(deps).links.toArray()).find(
    (l) => Object.keys(l.outlookBase.recurrence?.overrides ?? {}).length > 0,
  );
  expect(series).toBeDefined();
  const { value } = (await graph(
    'GET',
    `/me/events/${series!.outlookId}/instances?startDateTime=2026-11-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z&$top=100`,
  )) as { value: { id: string; type: string }[] };
  const exception = value.find((i) => i.type === 'exception');
  expect(exception).toBeDefined();
  // A CRM edit of the series makes the engine write the series to Outlook; the moment that
  // write is answered, the person moves one of its exceptions to another room. The echo round
  // lists the exception with a new version, as it would for the engine's own write.
  const activity = await deps.crm.get(series!.crmId);
  await deps.crm.update(
    series!.crmId,
    { ...activity!.item, subject: `${activity!.item.subject} (renamed)` },
    { etag: activity!.etag },
  );
  const outlook = deps.outlook;
  const personAfterWrite: EngineDeps = {
    ...deps,
    outlook: new Proxy(outlook, {
      get(target, p, receiver) {
        const value: unknown = Reflect.get(target, p, receiver);
        if (p !== 'update' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          await graph('PATCH', `/me/events/${exception!.id}`, {
            location: { displayName: 'Room 7, moved by a person' },
          });
          return result;
        };
      },
    }),
  };
  expect(countsOf(await runSync(personAfterWrite))).toEqual({ updateOutlook: 1 });

  expect(countsOf(await runSync(deps))).toEqual({ updateCrm: 1 });
  const overrides = (await deps.crm.get(series!.crmId))?.item.recurrence?.overrides ?? {};
  expect(Object.values(overrides).map((o) => o.location)).toContain('Room 7, moved by a person');
});

it('issue 16 item 2: 5 + 5 creates make no read-back GET, and the run right after reads no echo', async () => {
  await seed(0);
  const [outcome, sent] = await sentBy(() => runSync(deps));
  expect(countsOf(outcome)).toEqual({ createInCrm: 5, createInOutlook: 5 });
  const firstWrite = sent.findIndex((s) => s.method !== 'GET');
  expect(firstWrite).toBeGreaterThan(0);
  const readBacks = sent.slice(firstWrite).filter(isItemRead);
  expect(readBacks).toEqual([]);
  // After the first write: per item its create and its link write, and one round per side
  // past them (fewer once writes are batched or bulk).
  const after = sent.slice(firstWrite);
  if (process.env.OWN_WRITES_LOG)
    console.log(after.map((s) => `${s.server} ${s.method} ${s.path}`));
  expect(after.filter((s) => s.server === 'graph').length).toBeLessThanOrEqual(5 + 5 + 1);
  // The CRM's also take and give back the sync lease.
  expect(after.filter((s) => s.server === 'crm').length).toBeLessThanOrEqual(5 + 5 + 1 + 2);

  const [next, sentNext] = await sentBy(() => runSync(deps));
  expect(countsOf(next)).toEqual({});
  // One page each, and nothing on it: the engine's own writes are behind both cursors.
  expect(sentNext.filter((s) => s.server === 'graph')).toEqual([
    expect.objectContaining({ method: 'GET', entries: 0 }),
  ]);
  expect(sentNext.filter((s) => s.server === 'crm')).toEqual([
    expect.objectContaining({ method: 'GET', entries: 0 }),
  ]);
});

it('SPEC D1 (issue 15 item 5): the engine’s own Outlook copy deleted before the next run cancels its activity at that run', async () => {
  await seed(1);
  expect(countsOf(await runSync(deps))).toEqual({ createInCrm: 5, createInOutlook: 5 });
  const copy = (await dbOf(deps).links.toArray()).find((l) => l.outlookBase.subject === 'CRM 1.0');
  expect(copy).toBeDefined();
  await graph('DELETE', `/me/events/${copy!.outlookId}`);

  expect(countsOf(await runSync(deps))).toEqual({ cancelInCrm: 1 });
  expect((await deps.crm.get(copy!.crmId))?.cancelled).toBe(true);
});
