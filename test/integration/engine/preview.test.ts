/**
 * The dry run before the first sync (SPEC C8, issue 6) through both sandbox servers over HTTP:
 * on a calendar with pairs that exist on both sides, items only on one side and items that are
 * skipped (a private Outlook item with private items off; a CRM type outside the create list),
 * the preview's counts are what the first run then does — and the preview itself writes nothing.
 */
import { previewSync, type SyncPreview } from '../../../src/sync/engine/preview';
import { runSync } from '../../../src/sync/engine/run';
import { DEFAULT_DIRECTION } from '../../../src/sync/core/settings';
import { NOW, startTwoSides, type TwoSides } from '../../support/twoSides';
import { dbOf } from '../../support/store';

jest.setTimeout(120_000);

let sides: TwoSides;

/** Every type of the demo CRM but phone calls: a call made in the CRM stays there (SPEC T1). */
const CREATE_TYPES = ['typ_meeting', 'typ_visit', 'typ_internal', 'typ_personal', 'typ_task'];

function slot(day: number, hour: number): { start: string; end: string } {
  const start = new Date(Date.parse(NOW) + day * 86_400_000);
  start.setUTCHours(hour, 0, 0, 0);
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return { start: iso(start), end: iso(new Date(start.getTime() + 3_600_000)) };
}

async function outlookEvent(subject: string, day: number, hour: number, extra = {}) {
  const { start, end } = slot(day, hour);
  await sides.graph('POST', '/me/events', {
    subject,
    start: { dateTime: start.slice(0, -1), timeZone: 'UTC' },
    end: { dateTime: end.slice(0, -1), timeZone: 'UTC' },
    ...extra,
  });
}

async function crmActivity(subject: string, day: number, hour: number, typeId = 'typ_meeting') {
  const { start, end } = slot(day, hour);
  await sides.crm(
    'POST',
    '/activities',
    { subject, description: '', allDay: false, start, end, timeZone: 'Europe/Helsinki', typeId },
    { 'idempotency-key': `preview-${subject.replace(/ /g, '-')}` },
  );
}

async function countEverything() {
  const events = await sides.graph<{ value: unknown[] }>('GET', '/me/events?$top=999&$select=id');
  const activities = await sides.deps.crm.changes(null);
  const db = dbOf(sides.deps);
  return {
    events: events.value.length,
    activities: activities.changed.length,
    links: await db.links.count(),
    cursors: await db.cursors.count(),
    outbox: await db.outbox.count(),
    runs: await db.runs.count(),
    records: await db.records.count(),
  };
}

const subjects = (preview: SyncPreview, action: keyof SyncPreview['items']) =>
  preview.items[action].map((i) => i.subject);

beforeAll(async () => {
  sides = await startTwoSides({
    name: 'preview',
    settings: {
      privateMode: 'skip',
      outlookToCrm: { ...DEFAULT_DIRECTION, daysBack: 30, daysAhead: 365 },
      crmToOutlook: { ...DEFAULT_DIRECTION, daysBack: 30, createTypes: CREATE_TYPES },
    },
  });
  for (const [i, subject] of ['Pair A', 'Pair B', 'Pair C'].entries()) {
    await outlookEvent(subject, 2, 8 + i);
    await crmActivity(subject, 2, 8 + i);
  }
  await outlookEvent('Only in Outlook 1', 3, 9);
  await outlookEvent('Only in Outlook 2', 3, 11);
  await outlookEvent('Doctor', 4, 9, { sensitivity: 'private' });
  await crmActivity('Only in the CRM 1', 5, 9);
  await crmActivity('Only in the CRM 2', 5, 11);
  await crmActivity('Call the customer', 6, 9, 'typ_call');
});

afterAll(async () => {
  await sides?.close();
});

it("the preview's counts are what the first run does, and the preview writes nothing", async () => {
  const before = await countEverything();
  const outcome = await previewSync(sides.deps);
  if (outcome.state !== 'ready') throw outcome.error;
  const { preview } = outcome;
  // Nothing moved: no item on either side, no link, cursor, outbox intent, run or record.
  expect(await countEverything()).toEqual(before);
  expect(before).toMatchObject({ links: 0, cursors: 0, outbox: 0, runs: 0, records: 0 });

  // The items made above are where they belong (the demo CRM adds its own activities too).
  expect(subjects(preview, 'link')).toEqual(expect.arrayContaining(['Pair A', 'Pair B', 'Pair C']));
  expect(subjects(preview, 'createInCrm')).toEqual(
    expect.arrayContaining(['Only in Outlook 1', 'Only in Outlook 2']),
  );
  expect(subjects(preview, 'createInCrm')).not.toContain('Doctor');
  expect(subjects(preview, 'createInOutlook')).toEqual(
    expect.arrayContaining(['Only in the CRM 1', 'Only in the CRM 2']),
  );
  const skipped = new Map(preview.skipped.map((g) => [g.reason, g.items.map((i) => i.subject)]));
  expect(skipped.get('privateNotSynced')).toContain('Doctor');
  expect(skipped.get('typeNotSynced')).toContain('Call the customer');
  expect(preview.brake).toBeNull();

  const run = await runSync(sides.deps);
  if (run.state !== 'done') throw new Error(`first sync: ${JSON.stringify(run)}`);
  expect(run.failures).toBe(0);
  for (const op of ['link', 'createInCrm', 'createInOutlook'] as const) {
    expect(preview.counts[op]).toBeGreaterThanOrEqual(2);
    expect(run.counts[op]).toBe(preview.counts[op]);
  }
  // Every other operation too (the demo's differing pairs are reconciled by updates).
  expect(run.counts).toEqual(preview.counts);

  // What the run set aside, per reason, is what the preview said it would skip.
  const records = await dbOf(sides.deps).records.toArray();
  const recorded: Record<string, number> = {};
  for (const r of records.filter((r) => r.outcome === 'skipped')) {
    recorded[r.code ?? ''] = (recorded[r.code ?? ''] ?? 0) + 1;
  }
  const previewed = Object.fromEntries(preview.skipped.map((g) => [g.reason, g.items.length]));
  expect(recorded).toEqual(previewed);
  expect(Object.keys(previewed).length).toBeGreaterThanOrEqual(2);

  // The run made the copies it announced: one per create, and the pairs were not copied.
  const after = await countEverything();
  expect(after.events).toBe(before.events + (preview.counts.createInOutlook ?? 0));
  expect(after.activities).toBe(before.activities + (preview.counts.createInCrm ?? 0));
});
