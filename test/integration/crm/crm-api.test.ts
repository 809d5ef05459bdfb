/**
 * The reference CRM over real HTTP. All suites run in this one file so that they share one
 * contract recorder, and the last test can assert that every operation of
 * docs/crm-sync-api.yaml was answered with a 2xx at least once (it cannot pass silently:
 * a new operation without a test fails it).
 */
import { contract } from './harness';
import { activitiesSuite } from './suites/activities';
import { activityWritesSuite } from './suites/activityWrites';
import { bulkSuite } from './suites/bulk';
import { catalogueSuite } from './suites/catalogue';
import { changesSuite } from './suites/changes';
import { contactChangesSuite } from './suites/contactChanges';
import { contactsSuite } from './suites/contacts';
import { errorReportsSuite } from './suites/errorReports';
import { extranetSuite } from './suites/extranet';
import { hardeningSuite } from './suites/hardening';
import { hostileSuite } from './suites/hostile';
import { leaseSuite } from './suites/lease';
import { pairingSuite } from './suites/pairing';
import { sandboxSuite } from './suites/sandbox';
import { sessionsSuite } from './suites/sessions';
import { syncServiceSuite } from './suites/syncService';

sessionsSuite();
catalogueSuite();
contactsSuite();
contactChangesSuite();
extranetSuite();
activitiesSuite();
activityWritesSuite();
bulkSuite();
changesSuite();
pairingSuite();
leaseSuite();
errorReportsSuite();
hostileSuite();
sandboxSuite();
hardeningSuite();
syncServiceSuite();

describe('contract coverage', () => {
  it('exercised every operation of the document with a successful response', () => {
    expect(contract.all().length).toBeGreaterThan(30);
    expect(contract.missing()).toEqual([]);
  });
});
