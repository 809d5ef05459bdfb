import { sampleItem } from '../../contract/outlookCalendar.contract';
import { times, variants } from '../../unit/outlook/f1Cases';
import { startAdapter, type AdapterHarness } from './harness';

/** SPEC F1 on the emulator: create through the adapter, read back through the adapter. */
describe('SPEC F1 round trip through the Graph emulator', () => {
  let h: AdapterHarness;
  beforeAll(async () => {
    h = await startAdapter();
  });
  afterAll(() => h.close());

  const cases = times.flatMap(([t, time]) =>
    variants
      .filter((_, i) => i % 3 === 0 || t.startsWith('Helsinki winter'))
      .map(([v, over]) => [`${t} / ${v}`, { ...sampleItem(over), time }] as const),
  );

  it.each(cases)('%s', async (label, item) => {
    const created = await h.calendar.create(h.calendarId, item, {
      transactionId: label,
      crmId: `crm:${label}`,
    });
    expect(created.item).toEqual(item);
    const read = await h.calendar.get(created.id);
    expect(read?.item).toEqual(item);
    expect(read?.crmId).toBe(`crm:${label}`);
  });
});
