/** SPEC K2: the CrmContacts contract suite over HTTP, against the reference CRM. */
import { createCrmContacts } from '../../../src/crm';
import { runCrmContactsContract } from '../../contract/contacts.contract';
import { DEMO, startCrm } from './harness';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

runCrmContactsContract('HTTP adapter on the reference CRM', async () => {
  const crm = await startCrm();
  servers.push(crm);
  const anna = await crm.signIn(DEMO.users[0]);
  const ben = await crm.signIn(DEMO.users[1]);
  return {
    crm: createCrmContacts(anna),
    other: createCrmContacts(ben),
    deleteInCrm: async (id) => {
      await crm.sandbox(`/contacts/${encodeURIComponent(id)}/delete`);
    },
    expireCursors: async () => {
      // The log is compacted up to now: every cursor handed out so far is too old.
      crm.clock.ms += 1000;
      await crm.sandbox('/compact-changes', { olderThanSeconds: 0 });
    },
  };
});
