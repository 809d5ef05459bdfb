import { runCrmActivitiesContract } from '../../contract/crmActivities.contract';
import { createCrmActivities, DEMO, startCrm } from './harness';

runCrmActivitiesContract('HTTP adapter on the reference CRM', async () => {
  const crm = await startCrm();
  const anna = await crm.signIn(DEMO.users[0]);
  const ben = await crm.signIn(DEMO.users[1]);
  return {
    crm: createCrmActivities(anna),
    other: createCrmActivities(ben),
    userId: anna.userId,
    typeId: 'typ_meeting',
    expireCursors: async () => {
      await crm.sandbox('/compact-changes', { olderThanSeconds: 0 });
    },
    cleanup: () => crm.close(),
  };
});
