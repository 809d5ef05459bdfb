/**
 * The engine on the in-memory fakes (which pass the same contract suites as the real adapters):
 * an Outlook calendar, a CRM backend seen as the settings' user, and a fresh fake-indexeddb store;
 * with `contacts`, the contact step too, over an Outlook contact store and a CRM contact backend.
 */
import type { ContactSettings } from '../../src/sync/core/contacts/types';
import type { SyncSettings } from '../../src/sync/core/settings';
import type { EngineDeps } from '../../src/sync/engine/context';
import { InProcessRunLock } from '../../src/sync/engine/lock';
import { InMemoryCrmBackend } from '../fakes/inMemoryCrmActivities';
import { InMemoryCrmContactBackend } from '../fakes/inMemoryCrmContacts';
import { InMemoryOutlookCalendar } from '../fakes/inMemoryOutlookCalendar';
import { InMemoryOutlookContacts } from '../fakes/inMemoryOutlookContacts';
import { contactSettings, NOW, settings as planSettings } from './planFixtures';
import { dexieStore } from './store';

let stores = 0;

export interface FakeEngineOptions {
  /** Runs the contact step too, under these settings (two-way, newest wins if `true`). */
  readonly contacts?: ContactSettings | true;
  /** The folder the contact step keeps its contacts in. */
  readonly folderName?: string;
}

/** `name` names the store (each call gets its own). */
export function engineOnFakes(
  name: string,
  settings: SyncSettings = planSettings,
  options: FakeEngineOptions = {},
) {
  const outlook = new InMemoryOutlookCalendar(settings.mailbox);
  const backend = new InMemoryCrmBackend(() => Date.parse(NOW));
  const crm = backend.as(settings.crmUserId);
  const outlookContacts = new InMemoryOutlookContacts();
  const contactBackend = new InMemoryCrmContactBackend(() => Date.parse(NOW));
  const contacts: EngineDeps['contacts'] = options.contacts && {
    outlook: outlookContacts,
    crm: contactBackend.as(settings.crmUserId),
    settings: options.contacts === true ? contactSettings : options.contacts,
    folderName: options.folderName ?? 'CRM contacts',
  };
  const deps: EngineDeps = {
    outlook,
    crm,
    store: dexieStore(`${name}-${(stores += 1)}@contoso.example`),
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client-1',
    ...(contacts ? { contacts } : {}),
  };
  /** The CRM's activities that are not deleted, as the user sees them. */
  const crmItems = () =>
    [...backend.rows.values()].filter((r) => !r.deleted).map((r) => backend.view(r));
  return { outlook, backend, crm, deps, crmItems, outlookContacts, contactBackend };
}
