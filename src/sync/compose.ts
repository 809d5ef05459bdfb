/**
 * The wiring of the real adapters to the engine (createEngineDeps), over a mailbox's resources
 * from the runtime's root (runtimeRoot.ts: one Graph client and one store opening per mailbox). The pane (src/taskpane/paneRoot.ts) and the headless runner
 * (scripts/sync.ts) each make one RuntimeRoot; tests build their engine from fakes the same way,
 * through EngineDeps.
 */
import { createCrmActivities, createCrmContacts, type CrmSession } from '../crm';
import type { GraphTokenProvider } from '../outlook/auth/tokenProvider';
import { GraphClient } from '../outlook/graphClient';
import type { GraphBudget } from '../outlook/pacer';
import { GraphOutlookCalendar } from '../outlook/graphOutlookCalendar';
import { GraphOutlookContacts } from '../outlook/graphOutlookContacts';
import type { Instant } from './core/model';
import type { SyncSettings } from './core/settings';
import type { EngineDeps } from './engine/context';
import { createRunLock, type RunLock } from './engine/lock';
import { defaultTiming } from './scheduler/policy';
import { DexieSyncStore } from './store/dexieSyncStore';
import { openSyncDb } from './store/schema';
import type { SyncStore } from './store/syncStore';
import type { MailboxResources } from './runtimeRoot';

export { openMailbox, RuntimeRoot, type MailboxResources } from './runtimeRoot';

export interface EngineWiring {
  /**
   * The mailbox's resources from the runtime's root: its Graph client and store. Without them
   * (tests, benchmarks) the engine gets a client and a store of its own from the two below.
   */
  readonly resources?: MailboxResources;
  /**
   * Without `resources`: the mailbox's one Graph client, when the caller has one already — the
   * always-on service (issue 17), a bench's engines on one mailbox. One pacer per mailbox (issue
   * 16 item 4): a second client would not know the first one's spending.
   */
  readonly graph?: GraphClient;
  /** With `resources`: the engine's Graph requests may open a sign-in window (the preview). */
  readonly interactive?: boolean;
  readonly graphBaseUrl?: string;
  readonly graphTokens?: GraphTokenProvider;
  readonly crmSession: CrmSession;
  readonly settings: SyncSettings;
  readonly calendarId: string;
  /** One id per installation, for the CRM lease. */
  readonly holderId: string;
  /** The store (store/syncStore.ts); by default the mailbox's Dexie database. */
  readonly store?: SyncStore;
  readonly lock?: RunLock;
  readonly clock?: () => Instant;
  /** For a headless runner that has to bring its own IndexedDB (fake-indexeddb in Node). */
  readonly indexedDB?: IDBFactory;
  /** The product's own Outlook contact folder (SPEC K1, K2). */
  readonly contactFolderName?: string;
  /**
   * Issue 16, item 5: how often the contact step asks for changes. Default the CRM's cadence,
   * the scheduler's pullIntervalMs (SPEC S2: 5 minutes); 0: every run.
   */
  readonly contactCadenceMs?: number;
  /**
   * Issue 16, item 4: the mailbox's Graph budget the engine's own client paces itself below
   * (default Graph's 10,000 requests per 10 minutes); a runtime root sets it on its client.
   */
  readonly graphBudget?: GraphBudget;
}

/** SPEC K1, K2: the Outlook contact folder the product keeps its contacts in. */
export const CONTACT_FOLDER_NAME = 'CRM contacts';

function ownClient(wiring: EngineWiring): GraphClient {
  if (wiring.graphBaseUrl === undefined || wiring.graphTokens === undefined) {
    throw new Error('createEngineDeps needs the mailbox resources or a Graph address and tokens');
  }
  return new GraphClient({
    baseUrl: wiring.graphBaseUrl,
    tokens: wiring.graphTokens,
    ...(wiring.graphBudget ? { budget: wiring.graphBudget } : {}),
  });
}

export function createEngineDeps(wiring: EngineWiring): EngineDeps {
  const { resources } = wiring;
  const client = resources
    ? wiring.interactive === true
      ? resources.graphInteractive
      : resources.graph
    : (wiring.graph ?? ownClient(wiring));
  return {
    outlook: new GraphOutlookCalendar({
      client,
      personZone: wiring.settings.timeZone,
      // Deletions are confirmed through the synced calendar, not Deleted Items (issue 12, item 5).
      calendarId: wiring.calendarId,
      // SPEC F4: the customer's contact people are invited only when the setting says so.
      inviteContacts: wiring.settings.inviteContacts === true,
    }),
    crm: createCrmActivities(wiring.crmSession),
    store:
      wiring.store ??
      wiring.resources?.store ??
      new DexieSyncStore(openSyncDb(wiring.settings.mailbox, wiring.indexedDB)),
    settings: wiring.settings,
    calendarId: wiring.calendarId,
    clock: wiring.clock ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
    lock: wiring.lock ?? createRunLock(),
    holderId: wiring.holderId,
    // SPEC K1, K2: with contact settings the contact step runs too (it does nothing while the
    // mode is off and K1 is unticked, so a change in Preferences takes effect at the next run).
    ...(wiring.settings.contacts
      ? {
          contacts: {
            outlook: new GraphOutlookContacts(client),
            crm: createCrmContacts(wiring.crmSession),
            settings: wiring.settings.contacts,
            folderName: wiring.contactFolderName ?? CONTACT_FOLDER_NAME,
            // Issue 16, item 5: contacts follow the CRM's cadence (SPEC S2), not every poll.
            cadenceMs: wiring.contactCadenceMs ?? defaultTiming.pullIntervalMs,
          },
        }
      : {}),
  };
}
