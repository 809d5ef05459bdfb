/**
 * Issue 12: the engine never damages a meeting and mails nobody the person did not cause —
 * through both sandbox servers over real HTTP. The Graph emulator logs every invitation, update
 * and cancellation Exchange would send (GET /sandbox/mail), keeps deleted events readable by id
 * (Deleted Items), refuses zones off the documented list and makes attendee copies of meetings
 * organised by others.
 */
import { DEMO } from '../../../sandbox/crm';
import { createCrmActivities } from '../../../src/crm';
import type { CalendarItem } from '../../../src/sync/core/model';
import { DEFAULT_DIRECTION } from '../../../src/sync/core/settings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import { runSync } from '../../../src/sync/engine/run';
import type { CrmActivities } from '../../../src/sync/ports';
import { at, item as fixture } from '../../support/planFixtures';
import { dbOf } from '../../support/store';
import { startTwoSides, type GraphCall, type TwoSides } from '../../support/twoSides';

jest.setTimeout(120_000);

const ANNA = DEMO.users[0];
const BEN = DEMO.users[1];

let sides: TwoSides;
let deps: EngineDeps;
let benCrm: CrmActivities;
const graphs = new Map<string, GraphCall>();

type Json = Record<string, unknown>;

const graph = (mailbox: string, method: string, path: string, body?: unknown): Promise<Json> =>
  graphs.get(mailbox)!(method, path, body);

interface Mail {
  kind: string;
  from: string;
  to: string[];
}
async function mail(): Promise<Mail[]> {
  const res = await fetch(`${sides.graphUrl}/sandbox/mail`);
  return ((await res.json()) as { value: Mail[] }).value;
}
async function clearMail(): Promise<void> {
  await fetch(`${sides.graphUrl}/sandbox/mail`, { method: 'DELETE' });
}

const item = (over: Partial<CalendarItem>): CalendarItem =>
  fixture({ subject: 'Item', ...at('2026-11-24T07:00:00Z'), location: '', ...over });

const hh = (hour: number) => String(hour).padStart(2, '0');
const utc = (hour: number) => ({
  start: { dateTime: `2026-11-24T${hh(hour)}:00:00`, timeZone: 'UTC' },
  end: { dateTime: `2026-11-24T${hh(hour + 1)}:00:00`, timeZone: 'UTC' },
});

async function sync(): Promise<void> {
  const outcome = await runSync(deps);
  expect(outcome).toMatchObject({ state: 'done' });
}

async function activityOf(eventId: string) {
  const link = await dbOf(deps).links.get(eventId);
  expect(link).toBeDefined();
  const activity = await deps.crm.get(link!.crmId);
  expect(activity).not.toBeNull();
  return activity!;
}

beforeAll(async () => {
  sides = await startTwoSides({
    name: 'meetings-client',
    mailbox: ANNA,
    settings: {
      outlookToCrm: { ...DEFAULT_DIRECTION, daysAhead: 30 },
      crmToOutlook: { ...DEFAULT_DIRECTION, daysAhead: 30 },
    },
  });
  deps = sides.deps;
  graphs.set(ANNA, sides.graph);
  graphs.set(BEN, await sides.graphAs(BEN));
  benCrm = createCrmActivities(await sides.signIn(BEN));
  await sync(); // the demo CRM's own activities settle first
  await clearMail();
});

afterAll(async () => {
  await sides?.close();
});

describe('issue 12: the engine never damages a meeting', () => {
  it('a location edit in the CRM on an online meeting keeps the join blob and mails nobody', async () => {
    const created = await graph(ANNA, 'POST', '/me/events', {
      subject: 'Teams review',
      ...utc(9),
      isOnlineMeeting: true,
      body: { contentType: 'html', content: '<p><b>Agenda</b></p><p>Figures</p>' },
    });
    const id = created.id as string;
    const joinUrl = (created.onlineMeeting as { joinUrl: string }).joinUrl;
    await sync();
    const activity = await activityOf(id);
    await clearMail();

    await deps.crm.update(
      activity.id,
      { ...activity.item, location: 'Room 4' },
      { etag: activity.etag },
    );
    await sync();

    const event = await graph(ANNA, 'GET', `/me/events/${id}`);
    expect(event).toMatchObject({ isOnlineMeeting: true, location: { displayName: 'Room 4' } });
    const html = (event.body as { content: string }).content;
    expect(html).toContain(joinUrl);
    expect(html).toContain('<p><b>Agenda</b></p>'); // the rest of the markup too
    expect(await mail()).toEqual([]);
  });

  it('a description edit in the CRM on an online meeting with attendees keeps the blob and mails nobody', async () => {
    const created = await graph(ANNA, 'POST', '/me/events', {
      subject: 'Teams with a guest',
      ...utc(11),
      isOnlineMeeting: true,
      body: { contentType: 'html', content: '<p>Old notes</p>' },
      attendees: [{ type: 'required', emailAddress: { address: 'guest@partner.example' } }],
    });
    const id = created.id as string;
    const joinUrl = (created.onlineMeeting as { joinUrl: string }).joinUrl;
    await sync();
    const activity = await activityOf(id);
    await clearMail();

    await deps.crm.update(
      activity.id,
      {
        ...activity.item,
        description: activity.item.description.replace('Old notes', 'New <b>notes</b>'),
      },
      { etag: activity.etag },
    );
    await sync();

    const event = await graph(ANNA, 'GET', `/me/events/${id}`);
    const html = (event.body as { content: string }).content;
    expect(event.isOnlineMeeting).toBe(true);
    expect(html).toContain(joinUrl);
    expect(html).toContain('New &lt;b&gt;notes&lt;/b&gt;'); // CRM text never becomes markup
    expect(html).not.toContain('Old notes');
    expect(await mail()).toEqual([]);
  });

  it("an activity with three participants copied into a participant's calendar mails nobody", async () => {
    // Anna's own CRM user (the engine's settings): not the owner of whichever link comes first,
    // which may be a demo activity of Ben's that Anna only takes part in.
    const annaUser = deps.settings.crmUserId;
    const activity = await benCrm.create(
      {
        item: item({
          subject: "Ben's customer meeting",
          participants: [
            { kind: 'user', crmId: annaUser, email: ANNA, optional: false },
            { kind: 'external', email: 'buyer@customer.example', optional: false },
            { kind: 'external', email: 'partner@elsewhere.example', optional: true },
          ],
        }),
        typeId: 'typ_meeting',
      },
      { idempotencyKey: 'ben-three-participants' },
    );
    expect(activity.item.participants).toHaveLength(3);
    await clearMail();
    await sync();

    const link = (await dbOf(deps).links.toArray()).find((l) => l.crmId === activity.id);
    expect(link).toBeDefined();
    const event = await graph(ANNA, 'GET', `/me/events/${link!.outlookId}`);
    expect(event.subject).toBe("Ben's customer meeting");
    expect(event.attendees).toEqual([]);
    expect(await mail()).toEqual([]);
  });

  it('an Outlook delete reaches the CRM with Deleted Items on', async () => {
    const created = await graph(ANNA, 'POST', '/me/events', { subject: 'To delete', ...utc(13) });
    const id = created.id as string;
    await sync();
    const activity = await activityOf(id);

    await graph(ANNA, 'DELETE', `/me/events/${id}`);
    // Deleted Items: the immutable id still answers at /me/events/{id} (outlook-immutable-id.md).
    expect((await graph(ANNA, 'GET', `/me/events/${id}`)).id).toBe(id);
    await sync();

    expect((await deps.crm.get(activity.id))?.cancelled).toBe(true);
    expect(await dbOf(deps).links.get(id)).toBeUndefined();
  });

  it('an invitation not yet answered stays out of the CRM, and is copied once accepted', async () => {
    await graph(BEN, 'POST', '/me/events', {
      subject: "Ben's invitation",
      ...utc(15),
      attendees: [{ type: 'required', emailAddress: { address: ANNA } }],
    });
    const copies = (await graph(ANNA, 'GET', '/me/events?$top=100')) as { value: Json[] };
    const copy = copies.value.find((e) => e.subject === "Ben's invitation");
    expect(copy).toMatchObject({
      isOrganizer: false,
      responseStatus: { response: 'notResponded' },
    });
    await sync();
    expect(await dbOf(deps).links.get(copy!.id as string)).toBeUndefined();
    const records = await dbOf(deps).records.toArray();
    expect(JSON.stringify(records)).toContain('invitationNotAnswered');

    await graph(ANNA, 'POST', `/me/events/${copy!.id as string}/accept`, { sendResponse: true });
    await sync();
    const activity = await activityOf(copy!.id as string);
    expect(activity.item.subject).toBe("Ben's invitation");
  });

  it('`Europe/Helsinki` never reaches the emulator as a zone', async () => {
    // The emulator refuses zones off Graph's documented list with TimeZoneNotSupportedException.
    const activity = await deps.crm.create(
      { item: item({ subject: 'Helsinki time' }), typeId: 'typ_meeting' },
      { idempotencyKey: 'helsinki-zone' },
    );
    await sync();
    const link = (await dbOf(deps).links.toArray()).find((l) => l.crmId === activity.id);
    expect(link).toBeDefined();
    const event = await graph(ANNA, 'GET', `/me/events/${link!.outlookId}`);
    expect(event.originalStartTimeZone).toBe('FLE Standard Time');
    expect(link!.outlookBase.time).toMatchObject({
      start: '2026-11-24T07:00:00Z',
      timeZone: 'Europe/Helsinki',
    });
  });

  it('an occurrence moved past its neighbour in the CRM is set aside with its reason', async () => {
    const created = await graph(ANNA, 'POST', '/me/events', {
      subject: 'Daily stand-up',
      start: { dateTime: '2026-11-24T09:00:00', timeZone: 'FLE Standard Time' },
      end: { dateTime: '2026-11-24T09:15:00', timeZone: 'FLE Standard Time' },
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: '2026-11-24', numberOfOccurrences: 5 },
      },
    });
    const id = created.id as string;
    await sync();
    const activity = await activityOf(id);
    // The 25th's occurrence moved to the 27th: past its neighbour on the 26th.
    const moved: CalendarItem = {
      ...activity.item,
      recurrence: {
        ...activity.item.recurrence!,
        overrides: {
          '2026-11-25T09:00:00': { start: '2026-11-27T10:00:00Z', end: '2026-11-27T10:15:00Z' },
        },
      },
    };
    await deps.crm.update(activity.id, moved, { etag: activity.etag });
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ state: 'done', failures: 1 });
    const records = await dbOf(deps).records.toArray();
    expect(records.some((r) => r.code === 'occurrenceCrossesNeighbour')).toBe(true);
    // Outlook still has the occurrence where it was.
    const view = (await graph(
      ANNA,
      'GET',
      `/me/events/${id}/instances?startDateTime=2026-11-24T00:00:00Z&endDateTime=2026-11-30T00:00:00Z`,
    )) as { value: { start: { dateTime: string } }[] };
    const starts = view.value.map((i) => i.start.dateTime.slice(0, 10)).sort();
    expect(starts).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
  });
});
