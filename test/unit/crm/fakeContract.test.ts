import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { runCrmActivitiesContract } from '../../contract/crmActivities.contract';

runCrmActivitiesContract('in-memory fake', async () => {
  const backend = new InMemoryCrmBackend(() => Date.parse('2026-03-04T10:00:00Z'));
  return {
    crm: backend.as('usr_anna'),
    other: backend.as('usr_ben'),
    userId: 'usr_anna',
    typeId: 'typ_meeting',
    expireCursors: async () => backend.expireCursors(),
    cleanup: async () => undefined,
  };
});
