/** SPEC K2: the OutlookContacts contract suite over HTTP, the Graph adapter on the emulator. */
import { GraphOutlookContacts } from '../../../src/outlook/graphOutlookContacts';
import { runOutlookContactsContract } from '../../contract/contacts.contract';
import { MAILBOX, startAdapter, type AdapterHarness } from './harness';

const open: AdapterHarness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

runOutlookContactsContract('Graph adapter on the emulator', async () => {
  const h = await startAdapter();
  open.push(h);
  return {
    outlook: new GraphOutlookContacts(h.client),
    expireDeltaLinks: async () => h.server.faults.expireDeltaTokens(MAILBOX),
  };
});
