/**
 * The engine on the in-memory fakes (which pass the same contract suites as the real adapters):
 * an Outlook calendar, a CRM backend seen as the settings' user, and a fresh fake-indexeddb store.
 */
import type { SyncSettings } from '../../src/sync/core/settings';
import type { EngineDeps } from '../../src/sync/engine/context';
import { InProcessRunLock } from '../../src/sync/engine/lock';
import { InMemoryCrmBackend } from '../fakes/inMemoryCrmActivities';
import { InMemoryOutlookCalendar } from '../fakes/inMemoryOutlookCalendar';
import { NOW, settings as planSettings } from './planFixtures';
import { dexieStore } from './store';

let stores = 0;

/** `name` names the store (each call gets its own). */
export function engineOnFakes(name: string, settings: SyncSettings = planSettings) {
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW));
  const crm = backend.as(settings.crmUserId);
  const deps: EngineDeps = {
    outlook,
    crm,
    store: dexieStore(`${name}-${(stores += 1)}@contoso.example`),
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client-1',
  };
  /** The CRM's activities that are not deleted, as the user sees them. */
  const crmItems = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  return { outlook, backend, crm, deps, crmItems };
}
