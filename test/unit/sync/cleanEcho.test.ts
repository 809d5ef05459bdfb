/**
 * Issue 14 item 3 on the engine (in-memory fakes): an ordinary Outlook item the contract refuses
 * syncs cleaned, Outlook keeps its own value, the echo of the cleaning is no edit on the next run,
 * and a real CRM change still reaches Outlook. The corpus (test/corpus) does the same over HTTP.
 */
import { EMPTY_SUBJECT } from '../../../src/sync/core/crmText';
import type { Participant } from '../../../src/sync/core/model';
import { runSync } from '../../../src/sync/engine/run';
import { at, item } from '../../support/planFixtures';
import { dbOf } from '../../support/store';
import { engineOnFakes } from '../../support/fakeEngine';

const setup = () => engineOnFakes('clean-echo');

const writes = (outcome: Awaited<ReturnType<typeof runSync>>) =>
  outcome.state === 'done' ? Object.keys(outcome.counts).filter((op) => op !== 'rebase') : null;

it('an empty subject, RLM marks, <Q3> and a zero-length time sync cleaned; the echo writes nothing', async () => {
  const { outlook, deps, crmItems } = setup();
  const raw = [
    item({ subject: '', ...at('2026-11-24T07:00:00Z') }),
    item({ subject: '\u200fפגישה\u200f', ...at('2026-11-24T09:00:00Z') }),
    item({ subject: '<Q3> planning', ...at('2026-11-24T11:00:00Z') }),
    item({ subject: 'Zero', ...at('2026-11-24T13:00:00Z', 0) }),
  ];
  const events = raw.map((r) => outlook.outlookCreate('calendar', r));
  expect(await runSync(deps)).toMatchObject({
    state: 'done',
    failures: 0,
    counts: { createInCrm: 4 },
  });
  expect(
    crmItems()
      .map((a) => a.item.subject)
      .sort(),
  ).toEqual([EMPTY_SUBJECT, 'Zero', 'פגישה', '‹Q3> planning'].sort());
  const zero = crmItems().find((a) => a.item.subject === 'Zero')!;
  expect(zero.item.time).toMatchObject({
    start: '2026-11-24T13:00:00Z',
    end: '2026-11-24T13:01:00Z',
  });

  // The next run sees no edit on either side: Outlook keeps its own values.
  expect(writes(await runSync(deps))).toEqual([]);
  for (const [i, e] of events.entries()) {
    expect((await outlook.get(e.id))?.item.subject).toBe(raw[i]!.subject);
  }
});

it('a real CRM change of a cleaned item still reaches Outlook', async () => {
  const { outlook, crm, deps, crmItems } = setup();
  const e = outlook.outlookCreate('calendar', item({ subject: '' }));
  await runSync(deps);
  const [activity] = crmItems();
  await crm.update(
    activity!.id,
    { ...activity!.item, subject: 'Named in the CRM' },
    { etag: activity!.etag },
  );
  expect(writes(await runSync(deps))).toEqual(['updateOutlook']);
  expect((await outlook.get(e.id))?.item.subject).toBe('Named in the CRM');
  expect(writes(await runSync(deps))).toEqual([]);
});

it('600 attendees: the first 500 reach the CRM and the item carries a note with the rest', async () => {
  const { outlook, deps, crmItems } = setup();
  const people: Participant[] = Array.from({ length: 600 }, (_, i) => ({
    kind: 'external',
    email: `p${i}@fabrikam.example`,
    optional: false,
  }));
  const e = outlook.outlookCreate('calendar', item({ subject: 'All hands', participants: people }));
  expect(await runSync(deps)).toMatchObject({ state: 'done', failures: 0 });
  expect(crmItems()[0]?.item.participants).toHaveLength(500);
  const notes = await dbOf(deps).records.where('itemKey').equals(`o:${e.id}`).toArray();
  expect(notes).toContainEqual(
    expect.objectContaining({ code: 'attendeesOverCap', detail: ['100'] }),
  );
  expect(writes(await runSync(deps))).toEqual([]);
  expect((await outlook.get(e.id))?.item.participants).toHaveLength(600);
});
