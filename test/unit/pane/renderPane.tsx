import { act, fireEvent, render, screen } from '@testing-library/react';
import { parseAddinConfig } from '../../../src/config/addinConfig';
import type { Host, ItemKind } from '../../../src/host/host';
import { memorySettingsStore, type SettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import { createI18n } from '../../../src/i18n/createI18n';
import type { SupportedLanguage } from '../../../src/i18n/languages';
import { PaneRoot } from '../../../src/taskpane/components/PaneRoot';
import type { ConnectionService } from '../../../src/taskpane/connection/connectionService';
import { createItemService } from '../../../src/taskpane/item/createItemService';
import type { ItemService } from '../../../src/taskpane/item/itemService';
import { roamingPreferencesPort } from '../../../src/taskpane/preferences/preferencesPort';
import { parseView } from '../../../src/taskpane/sections';
import { createStatusService } from '../../../src/taskpane/status/createStatusService';
import type { StatusService } from '../../../src/taskpane/status/statusService';
import type { PreviewFirstSync } from '../../../src/taskpane/sync/previewFirstSync';
import type { DuplicateFinder, StartSync } from '../../../src/taskpane/sync/startSync';
import { SyncLoop } from '../../../src/taskpane/sync/syncLoop';
import { FakeConnectionService } from './fakeConnectionService';
import { JsdomStyles } from './jsdomStyles';
import { fakePreviewSync, fakeStartSync, type FakeSyncController } from './fakeStartSync';

export const sandboxConfig = parseAddinConfig({
  addinOrigin: 'https://localhost:3000',
  environment: 'sandbox',
  graphBaseUrl: 'http://localhost:3002/v1.0',
  defaultCrmUrl: 'http://localhost:3001',
  auth: { kind: 'sandbox', tokenUrl: 'http://localhost:3002/sandbox/token' },
  officeJsUrl: '/office-js/office.js',
  hostFallback: { kind: 'standalone', mailbox: 'anna@contoso.example' },
});

type RenderOptions = NonNullable<Parameters<typeof renderPane>[0]>;

/**
 * Renders the whole pane (FluentProvider included) on a standalone host with in-memory settings
 * and, unless one is given, a FakeConnectionService.
 */
export async function renderPane(
  options: {
    language?: SupportedLanguage;
    itemKind?: ItemKind;
    search?: string;
    settings?: SettingsStore;
    /**
     * The host's per-installation store (activity-type cache, type choices); by default the same
     * memory store as `settings`, so a test seeds both through one.
     */
    deviceSettings?: SettingsStore;
    connection?: ConnectionService;
    startSync?: StartSync;
    /** The pane's sync loop; a new one over `startSync` unless given (a remount passes the same). */
    syncLoop?: SyncLoop;
    /** The first-sync preview; by default one that finds nothing to do. */
    previewSync?: PreviewFirstSync;
    /** The real service over a fake-indexeddb store unless given. */
    status?: StatusService;
    /** The appointment the standalone host is open on (`?item=` in the browser). */
    item?: { readonly id: string; readonly subject?: string };
    /** The item view's service on this host; the real one (fake-indexeddb store) unless given. */
    itemService?: (host: Host) => ItemService;
  } = {},
) {
  const settings = options.settings ?? memorySettingsStore();
  const host = new StandaloneHost({
    mailbox: 'anna@contoso.example',
    itemKind: options.itemKind,
    settings,
    deviceSettings: options.deviceSettings ?? settings,
    item: options.item,
  });
  const i18n = await createI18n(options.language ?? 'en');
  const connection = options.connection ?? new FakeConnectionService();
  const startSync = options.startSync ?? fakeStartSync().start;
  const start = {
    kind: 'ready',
    i18n,
    host,
    config: sandboxConfig,
    connection,
    startSync,
    syncLoop: options.syncLoop ?? new SyncLoop(startSync),
    previewSync: options.previewSync ?? fakePreviewSync().preview,
    status: options.status ?? createStatusService(),
    preferences: roamingPreferencesPort(host),
    item: options.itemService?.(host) ?? createItemService({ host, config: sandboxConfig }),
  } as const;
  const view = parseView(options.search ?? '');
  const rendered = render(<PaneRoot start={start} view={view} />, { wrapper: JsdomStyles });
  // The views not shown first are React.lazy (SectionPanel.tsx): let the one opened arrive (in
  // Jest its import() is a resolved promise) before the test looks at it.
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  return { ...rendered, settings, i18n, connection };
}

/** A field of the pane by (part of) its label. */
export const field = (name: string) =>
  screen.getByLabelText<HTMLInputElement>(name, { exact: false });

/** Fills the Sign-in form (the address comes prefilled from the sandbox config) and saves it. */
export async function connect(
  values: { apiKey?: string; username?: string; password?: string } = {},
): Promise<void> {
  fireEvent.change(field('API key'), { target: { value: values.apiKey ?? 'outlook-key' } });
  fireEvent.change(field('CRM username'), { target: { value: values.username ?? 'anna' } });
  fireEvent.change(field('Password'), { target: { value: values.password ?? 'secret' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  });
}

/**
 * The pane signed in with the fake connection service and its (fake) sync loop started — the
 * preview read and Start sync pressed — then switched to `language` (the form is filled in
 * English). `loop` is the started loop's controller.
 */
export async function renderSyncingPane(
  options: Omit<RenderOptions, 'startSync' | 'language'> & {
    language?: SupportedLanguage;
    duplicates?: DuplicateFinder;
  } = {},
) {
  const { language, duplicates, ...rest } = options;
  const sync = fakeStartSync(duplicates ? { duplicates } : {});
  const rendered = await renderPane({ ...rest, startSync: sync.start });
  await connect();
  fireEvent.click(screen.getByRole('checkbox', { name: 'I have read this' }));
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Start sync' }));
  });
  if (language) {
    await act(async () => {
      await rendered.i18n.changeLanguage(language);
    });
  }
  return { ...rendered, sync, loop: sync.controllers[0] as FakeSyncController };
}
