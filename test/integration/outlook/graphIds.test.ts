/** The item view's id translation (Office.js REST id → Graph immutable id) against the emulator. */
import { immutableIdOf } from '../../../src/outlook/graphIds';
import { sampleItem } from '../../contract/outlookCalendar.contract';
import { startAdapter, type AdapterHarness } from './harness';

let h: AdapterHarness;
afterEach(() => h.close());

it('translateExchangeIds gives the immutable id the sync store keys the event by', async () => {
  h = await startAdapter();
  const ev = await h.calendar.create(h.calendarId, sampleItem(), {
    transactionId: 't',
    crmId: 'c',
  });
  await expect(immutableIdOf(h.client, ev.id)).resolves.toBe(ev.id);
});

it('a request Graph would refuse is refused (400), not answered with a guess', async () => {
  h = await startAdapter();
  await expect(
    h.client.request({
      method: 'POST',
      path: '/me/translateExchangeIds',
      body: { inputIds: [], sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' },
      schema: null,
    }),
  ).rejects.toThrow('Graph answered 400 ErrorInvalidRequest');
});
