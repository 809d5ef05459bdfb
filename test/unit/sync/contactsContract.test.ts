import { InMemoryCrmContactBackend } from '../../fakes/inMemoryCrmContacts';
import { InMemoryOutlookContacts } from '../../fakes/inMemoryOutlookContacts';
import {
  runCrmContactsContract,
  runOutlookContactsContract,
} from '../../contract/contacts.contract';

runOutlookContactsContract('in-memory fake', async () => {
  const outlook = new InMemoryOutlookContacts();
  return { outlook, expireDeltaLinks: async () => outlook.expireDeltaLinks() };
});

runCrmContactsContract('in-memory fake', async () => {
  const backend = new InMemoryCrmContactBackend(() => Date.parse('2026-03-04T10:00:00Z'));
  return {
    crm: backend.as('usr_anna'),
    other: backend.as('usr_ben'),
    deleteInCrm: async (id) => backend.personDelete(id),
    expireCursors: async () => backend.expireCursors(),
  };
});
