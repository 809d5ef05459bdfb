/**
 * The composition root: the one place that wires the real adapters to the engine. The pane, the
 * commands runtime and the headless runner all build their engine here; tests build theirs from
 * fakes the same way, through EngineDeps.
 */
import { createCrmActivities, type CrmSession } from '../crm';
import type { GraphTokenProvider } from '../outlook/auth/tokenProvider';
import { GraphClient } from '../outlook/graphClient';
import { GraphOutlookCalendar } from '../outlook/graphOutlookCalendar';
import type { Instant } from './core/model';
import type { SyncSettings } from './core/settings';
import type { EngineDeps } from './engine/context';
import { createRunLock, type RunLock } from './engine/lock';
import { openSyncDb, type SyncDb } from './store/schema';

export interface EngineWiring {
  readonly graphBaseUrl: string;
  readonly graphTokens: GraphTokenProvider;
  readonly crmSession: CrmSession;
  readonly settings: SyncSettings;
  readonly calendarId: string;
  /** One id per installation, for the CRM lease. */
  readonly holderId: string;
  readonly db?: SyncDb;
  readonly lock?: RunLock;
  readonly clock?: () => Instant;
  /** For a headless runner that has to bring its own IndexedDB (fake-indexeddb in Node). */
  readonly indexedDB?: IDBFactory;
}

export function createEngineDeps(wiring: EngineWiring): EngineDeps {
  const client = new GraphClient({ baseUrl: wiring.graphBaseUrl, tokens: wiring.graphTokens });
  return {
    outlook: new GraphOutlookCalendar({ client, personZone: wiring.settings.timeZone }),
    crm: createCrmActivities(wiring.crmSession),
    db: wiring.db ?? openSyncDb(wiring.settings.mailbox, wiring.indexedDB),
    settings: wiring.settings,
    calendarId: wiring.calendarId,
    clock: wiring.clock ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
    lock: wiring.lock ?? createRunLock(),
    holderId: wiring.holderId,
  };
}
