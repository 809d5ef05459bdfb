/**
 * The engine through both sandbox servers over real HTTP (issue 4): a first sync of a calendar
 * whose 200 items already exist on both sides links them all without a single duplicate, and a
 * change on either side reaches the other.
 */
import type { EngineDeps } from '../../../src/sync/engine/context';
import { runSync } from '../../../src/sync/engine/run';
import { at, item as fixture } from '../../support/planFixtures';
import { dbOf } from '../../support/store';
import { slot, startTwoSides, type TwoSides } from '../../support/twoSides';

jest.setTimeout(120_000);

let sides: TwoSides;
let deps: EngineDeps;

const graph = (method: string, path: string, body?: unknown) =>
  sides.graph<Record<string, unknown>>(method, path, body);

async function allEvents(): Promise<{ id: string; subject: string; location: string }[]> {
  const events = await sides.graphAll<{
    id: string;
    subject: string;
    location?: { displayName?: string };
  }>(`/me/events?$top=100&$select=id,subject,location`);
  return events.map((e) => ({
    id: e.id,
    subject: e.subject,
    location: e.location?.displayName ?? '',
  }));
}

beforeAll(async () => {
  // A CRM with the demo users and types but without the demo activities would be cleaner; the
  // demo activities are part of what must sync without duplicates, so they stay.
  sides = await startTwoSides({ name: 'integration-client' });
  deps = sides.deps;

  // The same 200 items on both sides, made independently (no stamps): the first sync must link.
  for (let i = 0; i < 200; i += 1) {
    const { start, end } = slot(i);
    const subject = `Existing item ${i}`;
    await graph('POST', '/me/events', {
      subject,
      start: { dateTime: start.slice(0, -1), timeZone: 'UTC' },
      end: { dateTime: end.slice(0, -1), timeZone: 'UTC' },
    });
    await deps.crm.create(
      {
        item: fixture({ subject, ...at(start), location: '' }),
        typeId: 'typ_meeting',
      },
      { idempotencyKey: `seed-${i}` },
    );
  }
});

afterAll(async () => {
  await sides?.close();
});

it('first sync links the 200 existing pairs without a single duplicate', async () => {
  const outcome = await runSync(deps);
  expect(outcome).toMatchObject({ state: 'done' });
  if (outcome.state !== 'done') return;
  expect(outcome.counts.link).toBe(200);
  const events = await allEvents();
  const seeded = events.filter((e) => e.subject.startsWith('Existing item '));
  expect(seeded).toHaveLength(200);
  expect(new Set(events.map((e) => e.subject)).size).toBe(events.length);
  expect(await dbOf(deps).links.count()).toBe(events.length);

  // A second run writes nothing new.
  const again = await runSync(deps);
  expect(again).toMatchObject({ state: 'done' });
  if (again.state === 'done') {
    expect(Object.keys(again.counts).filter((op) => op !== 'rebase')).toEqual([]);
  }
  expect(await allEvents()).toHaveLength(events.length);
});

it('a change in the Graph emulator reaches the CRM server, and one in the CRM reaches the emulator', async () => {
  const target = (await allEvents()).find((e) => e.subject === 'Existing item 7')!;
  await graph('PATCH', `/me/events/${target.id}`, {
    subject: 'Existing item 7 (moved in Outlook)',
  });
  expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { updateCrm: 1 } });
  const link = await dbOf(deps).links.get(target.id);
  const activity = await deps.crm.get(link!.crmId);
  expect(activity?.item.subject).toBe('Existing item 7 (moved in Outlook)');

  await deps.crm.update(
    activity!.id,
    { ...activity!.item, location: 'Room from the CRM' },
    { etag: activity!.etag },
  );
  expect(await runSync(deps)).toMatchObject({ state: 'done', counts: { updateOutlook: 1 } });
  const event = (await allEvents()).find((e) => e.id === target.id);
  expect(event).toMatchObject({
    subject: 'Existing item 7 (moved in Outlook)',
    location: 'Room from the CRM',
  });
});
