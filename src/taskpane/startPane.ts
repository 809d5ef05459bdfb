import { adoptAnnouncedPreferences } from './preferences/preferencesBroadcast';
import type { i18n } from 'i18next';
import { parseAddinConfig, type AddinConfig } from '../config/addinConfig';
import type { Host } from '../host/host';
import { selectHost, type OfficeReadyResult } from '../host/selectHost';
import { createI18n } from '../i18n/createI18n';
import { pickLanguage } from '../i18n/languages';
import type { ConnectionService } from './connection/connectionService';
import { connectionServiceOnDemand } from './connection/connectionServiceOnDemand';
import { itemServiceOnDemand } from './item/itemServiceOnDemand';
import type { ItemService } from './item/itemService';
import { createPaneRoot, type PaneRoot } from './paneRoot';
import { loadStatusService, statusServiceOnDemand } from './status/statusServiceOnDemand';
import type { StatusService } from './status/statusService';
import { roamingPreferencesPort, type PreferencesPort } from './preferences/preferencesPort';
import type { PreviewFirstSync } from './sync/previewFirstSync';
import { previewFirstSyncOnDemand, startSyncOnDemand } from './sync/syncOnDemand';
import { ServiceSites } from './syncService/serviceSites';
import type { StartSync } from './sync/syncController';
import { SyncLoop } from './sync/syncLoop';

/** How the pane starts: ready to render, or a problem the person must see instead of a blank page. */
export type PaneStart =
  | {
      readonly kind: 'ready';
      readonly i18n: i18n;
      readonly host: Host;
      readonly config: AddinConfig;
      readonly connection: ConnectionService;
      readonly startSync: StartSync;
      /** The pane's one sync loop, outside React (sync/syncLoop.ts). */
      readonly syncLoop: SyncLoop;
      readonly previewSync: PreviewFirstSync;
      readonly status: StatusService;
      readonly preferences: PreferencesPort;
      readonly item: ItemService;
    }
  | { readonly kind: 'config-error'; readonly i18n: i18n; readonly details: string }
  | { readonly kind: 'no-host'; readonly i18n: i18n };

export interface PaneStartInput {
  /** `__ADDIN_CONFIG__` as webpack injected it: validated here, never trusted. */
  readonly rawConfig: unknown;
  readonly waitForOffice: () => Promise<OfficeReadyResult>;
  readonly browserLanguages: readonly string[];
  /** The sign-in adapters for the chosen host; the real ones over the pane's root unless given. */
  readonly connectionService?: (host: Host, config: AddinConfig) => ConnectionService;
  /** Starts the sync loop once the person starts sync; the real one (./sync/startSync.ts) unless given. */
  readonly startSync?: StartSync;
  /** The dry run before the first sync (SPEC C8); the real one, loaded on demand, unless given. */
  readonly previewSync?: PreviewFirstSync;
  /** The Status view's window on the sync store; the real one over IndexedDB (loaded on demand). */
  readonly status?: StatusService;
  /** `location.search`: the standalone host's `?item=` / `?message=` (selectHost.ts). */
  readonly search?: string;
  /** The item view's service for the host; the real one (Graph, CRM, store; loaded on demand). */
  readonly item?: (host: Host, config: AddinConfig) => ItemService;
}

/**
 * Validates the configuration, picks the host and the language, builds i18n, and — the pane's
 * composition root (issue 13 item 4) — one PaneRoot (one Graph client and store opening per
 * mailbox, the holder id read once) that every real service shares, and the one sync loop.
 */
export async function startPane(input: PaneStartInput): Promise<PaneStart> {
  let config: AddinConfig;
  try {
    config = parseAddinConfig(input.rawConfig);
  } catch (error) {
    const i18n = await createI18n(pickLanguage(input.browserLanguages));
    return { kind: 'config-error', i18n, details: String((error as Error).message) };
  }
  const office = await input.waitForOffice();
  const selection = selectHost(office, config, input.search);
  if (selection.kind === 'unavailable') {
    return { kind: 'no-host', i18n: await createI18n(pickLanguage(input.browserLanguages)) };
  }
  const { host } = selection;
  const preferences = roamingPreferencesPort(host);
  // Preferences another pane of this installation saves reach this one's loop (issue 11).
  if (office.kind === 'office') adoptAnnouncedPreferences(host);
  const language = pickLanguage([
    preferences.savedLanguage(),
    host.displayLanguage(),
    ...input.browserLanguages,
  ]);
  const root: PaneRoot = createPaneRoot(host, config);
  // Issue 17: where sync runs is decided here, per signed-in mailbox — on the company's service
  // (its state shown through its API, no engine in the pane) or in the pane, as before.
  const sites = new ServiceSites();
  const startSync = sites.startSync(input.startSync ?? startSyncOnDemand(root));
  return {
    kind: 'ready',
    i18n: await createI18n(language),
    host,
    config,
    connection: sites.connection(
      input.connectionService?.(host, config) ?? connectionServiceOnDemand({ host, config, root }),
    ),
    startSync,
    syncLoop: new SyncLoop(startSync),
    previewSync: sites.preview(input.previewSync ?? previewFirstSyncOnDemand(root)),
    status: sites.status(input.status ?? statusServiceOnDemand(loadStatusService(root))),
    preferences,
    item: input.item?.(host, config) ?? itemServiceOnDemand({ host, config, root }),
  };
}
