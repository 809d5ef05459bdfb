/**
 * Issue 5's corpus through the engine and both sandbox servers: each series is made on its own
 * side, synced, edited on both sides (moved, retitled and cancelled occurrences), synced again,
 * and every case must end with the same occurrences in Outlook (the Graph emulator's expansion)
 * and in the CRM (the CRM server's activity, expanded here by rrule-temporal on wall time).
 */
import { toWindowsZone } from '../../../src/sync/core/time/windowsZone';
import { Temporal } from 'temporal-polyfill';
import { runSync } from '../../../src/sync/engine/run';
import { CORPUS, UNSUPPORTED, type SeriesCase } from './corpus';
import { DEFAULT_DIRECTION } from '../../../src/sync/core/settings';
import { startTwoSides, type TwoSides } from '../../support/twoSides';
import { crmOccurrences, describeOutlook, outlookInstances, type ApiActivity } from './occurrences';
import { dbOf } from '../../support/store';

jest.setTimeout(300_000);

const FROM = '2026-10-23T00:00:00Z';
const TO = '2027-11-20T00:00:00Z';

let sides: TwoSides;
/** Case name → the pair's ids, once linked. */
const pairs = new Map<string, { outlookId: string; crmId: string }>();
const made = new Map<string, string>();

/** The emulator takes Graph's documented zone names only (issue 12): the Windows name. */
const windows = (zone: string): string => toWindowsZone(zone) ?? zone;

function wire(c: SeriesCase) {
  if (c.allDay) {
    const end = Temporal.PlainDate.from(c.start).add({ days: c.length }).toString();
    return {
      isAllDay: true,
      start: { dateTime: `${c.start}T00:00:00`, timeZone: windows(c.zone) },
      end: { dateTime: `${end}T00:00:00`, timeZone: windows(c.zone) },
    };
  }
  const end = Temporal.PlainDateTime.from(c.start).add({ minutes: c.length }).toString();
  return {
    start: { dateTime: `${c.start}:00`, timeZone: windows(c.zone) },
    end: { dateTime: end.length === 16 ? `${end}:00` : end, timeZone: windows(c.zone) },
  };
}

function crmBody(c: SeriesCase & { origin: 'crm' }) {
  const [start, end] = c.allDay
    ? [c.start, Temporal.PlainDate.from(c.start).add({ days: c.length }).toString()]
    : [
        Temporal.PlainDateTime.from(c.start).toZonedDateTime(c.zone).toInstant().toString(),
        Temporal.PlainDateTime.from(c.start)
          .add({ minutes: c.length })
          .toZonedDateTime(c.zone)
          .toInstant()
          .toString(),
      ];
  return {
    subject: c.name,
    description: '',
    allDay: c.allDay === true,
    start,
    end,
    timeZone: c.zone,
    typeId: 'typ_meeting',
    recurrence: { rrule: c.rrule, exdates: [], overrides: {} },
  };
}

async function activity(id: string): Promise<ApiActivity> {
  return sides.crm<ApiActivity>('GET', `/activities/${id}`);
}

async function bothSides(name: string) {
  const pair = pairs.get(name);
  if (!pair) throw new Error(`${name}: not linked`);
  const a = await activity(pair.crmId);
  const outlook = (await outlookInstances(sides, pair.outlookId, FROM, TO)).map(describeOutlook);
  const crm = crmOccurrences(a, FROM, TO).map((o) => o.text);
  return { outlook, crm, activity: a, pair };
}

async function syncUntilQuiet(): Promise<Record<string, number>> {
  const first = await runSync(sides.deps);
  if (first.state !== 'done') throw new Error(`sync: ${JSON.stringify(first)}`);
  expect(first.failures).toBe(0);
  const again = await runSync(sides.deps);
  if (again.state !== 'done') throw new Error(`sync: ${JSON.stringify(again)}`);
  // The run after a sync writes nothing: what was written reads back as written.
  expect(Object.keys(again.counts).filter((op) => op !== 'rebase')).toEqual([]);
  return first.counts;
}

beforeAll(async () => {
  // A year each way: the corpus' series start a month back and run past the next year.
  const window = { ...DEFAULT_DIRECTION, daysBack: 30, daysAhead: 365 };
  sides = await startTwoSides({
    name: 'series-corpus',
    settings: { outlookToCrm: window, crmToOutlook: window },
  });
  for (const [i, c] of [...CORPUS, ...UNSUPPORTED].entries()) {
    if (c.origin === 'outlook') {
      const ev = await sides.graph<{ id: string }>('POST', '/me/events', {
        subject: c.name,
        ...wire(c),
        recurrence: {
          pattern: c.pattern,
          range: { ...c.range, recurrenceTimeZone: windows(c.zone) },
        },
      });
      made.set(c.name, ev.id);
    } else {
      const a = await sides.crm<{ id: string }>('POST', '/activities', crmBody(c), {
        'idempotency-key': `corpus-${i}`,
      });
      made.set(c.name, a.id);
    }
  }
  const counts = await syncUntilQuiet();
  expect(counts.createInCrm).toBe(CORPUS.filter((c) => c.origin === 'outlook').length);
  for (const link of await dbOf(sides.deps).links.toArray()) {
    const name = [...made].find(([, id]) => id === link.outlookId || id === link.crmId)?.[0];
    if (name) pairs.set(name, { outlookId: link.outlookId, crmId: link.crmId });
  }
});

afterAll(async () => {
  await sides?.close();
});

describe('after the first sync, both sides hold the same occurrences', () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', async (name) => {
    const { outlook, crm } = await bothSides(name);
    expect(outlook.length).toBeGreaterThan(0);
    expect(outlook).toEqual(crm);
  });
});

describe('SPEC R3: a CRM rule Outlook cannot express is reported on the item, nothing else is skipped', () => {
  it.each(UNSUPPORTED.map((c) => [c.name, c] as const))('%s', async (name) => {
    const crmId = made.get(name) ?? '';
    expect(pairs.has(name)).toBe(false);
    const reports = await dbOf(sides.deps).records.where('itemKey').equals(`c:${crmId}`).toArray();
    expect(reports.at(-1)).toMatchObject({ outcome: 'skipped', code: 'recurrenceNotSupported' });
    expect(reports.at(-1)?.detail?.join(' ')).toMatch(/\S/);
  });
});

/** Moves an Outlook instance by `hours` (its times as Graph answers them, in UTC). */
function shifted(i: { start: { dateTime: string }; end: { dateTime: string } }, hours: number) {
  const move = (v: string) =>
    new Date(Date.parse(`${v.slice(0, 19)}Z`) + hours * 3_600_000).toISOString().slice(0, 19);
  return {
    start: { dateTime: move(i.start.dateTime), timeZone: 'UTC' },
    end: { dateTime: move(i.end.dateTime), timeZone: 'UTC' },
  };
}

async function outlookEdit(
  name: string,
  edit: (instances: Awaited<ReturnType<typeof outlookInstances>>) => Promise<void>,
): Promise<void> {
  const pair = pairs.get(name);
  if (!pair) throw new Error(`${name}: not linked`);
  await edit(await outlookInstances(sides, pair.outlookId, FROM, TO));
}

type Overrides = NonNullable<ApiActivity['recurrence']>['overrides'];

async function crmEdit(
  name: string,
  edit: (
    occurrences: ReturnType<typeof crmOccurrences>,
    a: ApiActivity,
  ) => { exdates?: string[]; overrides?: Overrides; participants?: unknown[] },
): Promise<void> {
  const pair = pairs.get(name);
  if (!pair) throw new Error(`${name}: not linked`);
  const a = await activity(pair.crmId);
  const change = edit(crmOccurrences(a, FROM, TO), a);
  const recurrence = a.recurrence ?? { rrule: '', exdates: [], overrides: {} };
  await sides.crm(
    'PATCH',
    `/activities/${a.id}`,
    {
      recurrence: {
        rrule: recurrence.rrule,
        exdates: [...recurrence.exdates, ...(change.exdates ?? [])],
        overrides: { ...recurrence.overrides, ...change.overrides },
      },
      ...(change.participants ? { participants: change.participants } : {}),
    },
    { 'if-match': a.etag },
  );
}

const at = <T>(list: readonly T[], i: number): T => {
  const v = list[i];
  if (v === undefined) throw new Error(`no occurrence ${i}`);
  return v;
};

/** SPEC R1: exceptions and cancelled occurrences made on either side, on series from either. */
const EDITS: readonly [string, string, () => Promise<void>][] = [
  [
    'Outlook cancels, moves and retitles occurrences of its own series',
    'Outlook daily, every 1, noEnd, Europe/Stockholm',
    () =>
      outlookEdit('Outlook daily, every 1, noEnd, Europe/Stockholm', async (i) => {
        await sides.graph('DELETE', `/me/events/${at(i, 32).id}`);
        await sides.graph('PATCH', `/me/events/${at(i, 34).id}`, shifted(at(i, 34), 2));
        await sides.graph('PATCH', `/me/events/${at(i, 36).id}`, {
          subject: 'Retitled in Outlook',
        });
      }),
  ],
  [
    'Outlook cancels and retitles occurrences of a CRM series',
    'CRM 2nd Wednesday, Helsinki',
    () =>
      outlookEdit('CRM 2nd Wednesday, Helsinki', async (i) => {
        await sides.graph('DELETE', `/me/events/${at(i, 1).id}`);
        await sides.graph('PATCH', `/me/events/${at(i, 3).id}`, { subject: 'Board, moved agenda' });
      }),
  ],
  [
    'Outlook cancels a day of an all-day series in another zone',
    'all-day daily, Sydney',
    () =>
      outlookEdit('all-day daily, Sydney', async (i) => {
        await sides.graph('DELETE', `/me/events/${at(i, 1).id}`);
      }),
  ],
  [
    'Outlook moves the occurrence on the day DST starts',
    'DST spring, daily 09:00, Helsinki',
    () =>
      outlookEdit('DST spring, daily 09:00, Helsinki', async (i) => {
        await sides.graph('PATCH', `/me/events/${at(i, 3).id}`, shifted(at(i, 3), 2));
      }),
  ],
  [
    'the CRM excludes, cancels, retitles and moves occurrences of an Outlook series',
    'Outlook weekly Mon+Wed, every 1, noEnd, Europe/Rome',
    () =>
      crmEdit('Outlook weekly Mon+Wed, every 1, noEnd, Europe/Rome', (o) => ({
        exdates: [at(o, 11).id],
        overrides: {
          [at(o, 13).id]: { cancelled: true },
          [at(o, 15).id]: { subject: 'Retitled in the CRM' },
          [at(o, 17).id]: {
            start: new Date(Number(at(o, 17).start) + 86_400_000).toISOString(),
            end: new Date(Number(at(o, 17).start) + 86_400_000 + 45 * 60_000).toISOString(),
          },
        },
      })),
  ],
  [
    'the CRM retitles and excludes occurrences of its own series',
    'CRM weekdays, COUNT=20, Rome',
    () =>
      crmEdit('CRM weekdays, COUNT=20, Rome', (o) => ({
        exdates: [at(o, 4).id],
        overrides: { [at(o, 2).id]: { subject: 'Weekly review instead' } },
      })),
  ],
  [
    'the CRM excludes and moves days of a multi-day all-day series',
    'multi-day all-day, monthly on the 10th, Helsinki',
    () =>
      crmEdit('multi-day all-day, monthly on the 10th, Helsinki', (o) => {
        const third = String(at(o, 2).start);
        const next = Temporal.PlainDate.from(third).add({ days: 1 });
        return {
          exdates: [at(o, 1).id],
          overrides: {
            [at(o, 2).id]: { start: next.toString(), end: next.add({ days: 3 }).toString() },
          },
        };
      }),
  ],
  [
    'both sides change different occurrences of one series in the same round',
    'Outlook absoluteMonthly 15th, every 1, noEnd, America/New_York',
    async () => {
      const name = 'Outlook absoluteMonthly 15th, every 1, noEnd, America/New_York';
      await outlookEdit(name, async (i) => {
        await sides.graph('DELETE', `/me/events/${at(i, 1).id}`);
      });
      await crmEdit(name, (o) => ({
        overrides: { [at(o, 2).id]: { subject: 'Quarterly in the CRM' } },
      }));
    },
  ],
];

describe('SPEC R1: exceptions and cancelled occurrences, both directions', () => {
  const before = new Map<string, { outlook: string[]; crm: string[] }>();
  beforeAll(async () => {
    for (const [, name, edit] of EDITS) {
      before.set(name, await bothSides(name));
      await edit();
    }
    await syncUntilQuiet();
  });

  it.each(EDITS.map(([what, name]) => [what, name] as const))('%s', async (_what, name) => {
    const { outlook, crm } = await bothSides(name);
    expect(outlook).toEqual(crm);
    // The edit took: the series is not what it was.
    expect(outlook).not.toEqual(before.get(name)?.outlook);
  });

  it('every other series is untouched and still agrees', async () => {
    const edited = new Set(EDITS.map(([, name]) => name));
    for (const c of CORPUS.filter((k) => !edited.has(k.name))) {
      const { outlook, crm } = await bothSides(c.name);
      expect({ name: c.name, outlook }).toEqual({ name: c.name, outlook: crm });
    }
  });
});

describe('a series edited as a whole keeps its exceptions', () => {
  const name = 'Outlook daily, every 1, noEnd, Europe/Stockholm';
  beforeAll(async () => {
    const pair = pairs.get(name);
    await sides.graph('PATCH', `/me/events/${pair?.outlookId}`, { subject: 'Daily, renamed' });
    await crmEdit(name, () => ({
      participants: [{ kind: 'external', email: 'guest@fabrikam.example', optional: false }],
    }));
    await syncUntilQuiet();
  });

  it('a new series subject reaches the CRM; the retitled occurrence keeps its own', async () => {
    const { outlook, crm, activity: a } = await bothSides(name);
    expect(a.subject).toBe('Daily, renamed');
    expect(outlook).toEqual(crm);
    expect(outlook.filter((o) => o.endsWith('Retitled in Outlook'))).toHaveLength(1);
    expect(outlook.filter((o) => o.endsWith('Daily, renamed')).length).toBeGreaterThan(30);
  });

  it('SPEC R4: an attendee added to the series in the CRM reaches every occurrence in Outlook, exceptions included', async () => {
    const pair = pairs.get(name);
    const instances = await outlookInstances(sides, pair?.outlookId ?? '', FROM, TO);
    const exceptions = instances.filter((i) => i.type === 'exception');
    expect(exceptions.length).toBe(2);
    for (const i of instances) {
      expect(i.attendees?.map((x) => x.emailAddress.address)).toContain('guest@fabrikam.example');
    }
  });
});

describe('a series split in Outlook ("this and following") stays one thing per side', () => {
  const name = 'Outlook daily, every 2, noEnd, Australia/Sydney';
  let newId = '';
  beforeAll(async () => {
    const pair = pairs.get(name);
    const master = await sides.graph<{
      start: { dateTime: string };
      end: { dateTime: string };
      recurrence: { pattern: Record<string, unknown>; range: Record<string, unknown> };
    }>('GET', `/me/events/${pair?.outlookId}`);
    // Outlook ends the old series the day before and starts a new one with the new details.
    await sides.graph('PATCH', `/me/events/${pair?.outlookId}`, {
      recurrence: {
        pattern: master.recurrence.pattern,
        range: { ...master.recurrence.range, type: 'endDate', endDate: '2027-01-10' },
      },
    });
    const created = await sides.graph<{ id: string }>('POST', '/me/events', {
      subject: `${name} (from 11 January)`,
      start: { dateTime: '2027-01-11T14:30:00', timeZone: windows('Australia/Sydney') },
      end: { dateTime: '2027-01-11T15:15:00', timeZone: windows('Australia/Sydney') },
      recurrence: {
        pattern: master.recurrence.pattern,
        range: {
          type: 'noEnd',
          startDate: '2027-01-11',
          recurrenceTimeZone: windows('Australia/Sydney'),
        },
      },
    });
    newId = created.id;
    await syncUntilQuiet();
  });

  it('the old series ends in the CRM too, the new one is one new activity, both agree', async () => {
    const { outlook, crm, activity: a } = await bothSides(name);
    expect(a.recurrence?.rrule).toMatch(/UNTIL=20270110/);
    expect(outlook).toEqual(crm);
    expect(outlook.at(-1)?.slice(0, 10)).toBe('2027-01-10');
    const link = await dbOf(sides.deps).links.get(newId);
    expect(link).toBeDefined();
    pairs.set('split', { outlookId: newId, crmId: link?.crmId ?? '' });
    const split = await bothSides('split');
    expect(split.outlook).toEqual(split.crm);
    expect(split.outlook.length).toBeGreaterThan(100);
    const list = await sides.crm<{ items: { id: string; subject: string }[] }>(
      'GET',
      `/activities?from=2026-10-01T00:00:00Z&to=2027-11-01T00:00:00Z`,
    );
    expect(list.items.filter((x) => x.subject.startsWith(name))).toHaveLength(2);
  });
});
