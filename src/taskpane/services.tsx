import { createContext, useContext, type ReactNode } from 'react';
import type { AddinConfig } from '../config/addinConfig';
import type { Host } from '../host/host';
import type { ConnectionService } from './connection/connectionService';
import type { ItemService } from './item/itemService';
import type { MessageService } from './message/messageService';
import type { StatusService } from './status/statusService';
import type { PreferencesPort } from './preferences/preferencesPort';
import type { PreviewFirstSync } from './sync/previewFirstSync';
import type { StartSync } from './sync/syncController';
import type { SyncLoop } from './sync/syncLoop';

/**
 * Everything with effects that components may use, handed down from the one composition root
 * (index.tsx, startPane.ts). Components never call Office or fetch directly (REQUIREMENTS.md), so tests render
 * them with a StandaloneHost and an in-memory settings store.
 */
export interface Services {
  readonly host: Host;
  readonly config: AddinConfig;
  /** Sign-in, pairing and forced removal (SPEC C); tests pass a small fake. */
  readonly connection: ConnectionService;
  /** Starts the sync loop after "Start sync" (SPEC C8, S5); tests pass a fake. */
  readonly startSync: StartSync;
  /**
   * The pane's one sync loop (issue 13 item 4), owned by the composition root, not by React:
   * it outlives a re-render or a remount of the connection's provider.
   */
  readonly syncLoop: SyncLoop;
  /** SPEC C8: what the first sync would do, before the person starts it; tests pass a fake. */
  readonly previewSync: PreviewFirstSync;
  /** The Status view's queries and actions over the sync store (SPEC D4, E2, E4). */
  readonly status: StatusService;
  /** Preferences (SPEC W, T, P, L): roaming settings in the pane, the ribbon in its dialog. */
  readonly preferences: PreferencesPort;
  /** The item view (SPEC E1, T3, O1, O2): the appointment, its syncs and its CRM activity. */
  readonly item: ItemService;
  /**
   * The message view (issue 7, SPEC O3); when absent, `useMessageService` builds the real one
   * over the host. Tests pass a fake.
   */
  readonly message?: MessageService;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider(props: { services: Services; children: ReactNode }) {
  return (
    <ServicesContext.Provider value={props.services}>{props.children}</ServicesContext.Provider>
  );
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() needs a <ServicesProvider> above it');
  return services;
}
