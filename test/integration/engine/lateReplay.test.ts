/**
 * Issue 14, item 4: a create replayed after the CRM's 24-hour idempotency window
 * (sandbox/crm/domain/idempotency.ts) makes no second activity. The run crashes between the CRM
 * create and the Outlook stamp; the CRM clock moves 25 hours on, so the key is forgotten; the
 * replay looks for the activity already carrying the event's Outlook link and finishes with it.
 * Both sandbox servers over real HTTP.
 */
import { SyncError } from '../../../src/sync/core/errors';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { runSync } from '../../../src/sync/engine/run';
import { dbOf } from '../../support/store';
import { NOW, startTwoSides, type TwoSides } from '../../support/twoSides';

jest.setTimeout(120_000);

let sides: TwoSides | undefined;

afterAll(async () => {
  await sides?.close();
});

it('the 25-hour replay makes no duplicate: it finds the activity carrying the Outlook link', async () => {
  let crmMs = Date.parse(NOW);
  sides = await startTwoSides({
    name: 'late-replay-client',
    crmNow: () => crmMs,
    clock: () => new Date(crmMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  const { deps, graph } = sides;
  await graph('POST', '/me/events', {
    subject: 'Replayed a day later',
    start: { dateTime: '2026-11-24T09:00:00', timeZone: 'UTC' },
    end: { dateTime: '2026-11-24T10:00:00', timeZone: 'UTC' },
  });
  const subjects = async () =>
    (await deps.crm.listWindow({ start: '2026-11-20T00:00:00Z', end: '2026-12-31T00:00:00Z' }))
      .filter((a) => a.item.subject === 'Replayed a day later' && !a.cancelled)
      .map((a) => a.id);

  // The first run crashes after the CRM create, before the Outlook stamp: the intent stays.
  // The stamp fails whichever way it is sent: alone, or in a group's $batch (issue 16, item 1).
  const offline = () => Promise.reject(new SyncError('offline', 'The network went away'));
  const withoutStamp = (calendar: typeof deps.outlook): typeof deps.outlook =>
    Object.assign(Object.create(calendar) as typeof deps.outlook, { stamp: offline });
  const crashing: EngineDeps = {
    ...deps,
    outlook: Object.assign(withoutStamp(deps.outlook), {
      group: (members: number) => {
        const group = deps.outlook.group!(members);
        return { calendar: withoutStamp(group.calendar), leave: () => group.leave() };
      },
    }),
  };
  expect(await runSync(crashing)).toMatchObject({ state: 'failed' });
  expect(await subjects()).toHaveLength(1);
  expect(await dbOf(deps).outbox.count()).toBe(1);

  // 25 hours later the CRM has forgotten the Idempotency-Key; the replay must not create again.
  crmMs += 25 * 3_600_000;
  expect(await runSync(deps)).toMatchObject({ state: 'done' });
  const [only] = await subjects();
  expect(await subjects()).toEqual([only]);
  expect(await dbOf(deps).outbox.count()).toBe(0);
  expect(await deps.store.linkByCrmId('calendar', only!)).toBeDefined();
  const events = await graph<{ value: { subject: string }[] }>(
    'GET',
    '/me/events?$top=100&$select=subject',
  );
  expect(events.value.filter((e) => e.subject === 'Replayed a day later')).toHaveLength(1);
});
