/**
 * The pane's RuntimeRoot with its real parts (paneRoot.ts loads it on first use): Graph tokens
 * from the configuration (MSAL or the emulator's), silent for the loop and the pane's own
 * lookups, interactive for steps the person asked for; the sync database on the page's
 * IndexedDB; the installation id from IndexedDB.
 */
import type { AddinConfig } from '../config/addinConfig';
import type { Host } from '../host/host';
import { createTokenProvider } from '../outlook/auth/createTokenProvider';
import { installationHolderId } from '../shared/installationId';
import { openMailbox, RuntimeRoot } from '../sync/runtimeRoot';

export function createPaneRuntime(
  host: Host,
  config: AddinConfig,
  indexedDB?: IDBFactory,
): RuntimeRoot {
  return new RuntimeRoot(
    (mailbox) =>
      openMailbox({
        mailbox,
        graphBaseUrl: config.graphBaseUrl,
        // Issue 11 item 6: the loop's and the pane's own requests never open a sign-in window.
        silentTokens: createTokenProvider(config, { host, silentOnly: true }),
        interactiveTokens: createTokenProvider(config, { host }),
        ...(indexedDB ? { indexedDB } : {}),
      }),
    () => installationHolderId(),
  );
}
