/**
 * The ribbon's "Preferences" command: opens `taskpane.html?view=preferences` in an Office dialog
 * with the saved values (an Office dialog cannot read roaming settings), and saves what the dialog
 * sends back with `messageParent` into roaming settings, then closes it. The message is checked
 * (zod) before anything is saved.
 */
import type { Host } from '../host/host';
import { readCachedActivityTypes } from '../taskpane/preferences/activityTypesCache';
import { parseDialogMessage, withDialogInit } from '../taskpane/preferences/dialogProtocol';
import { readPreferences, writePreferences } from '../taskpane/preferences/preferencesStore';

export interface PreferencesDialogDeps {
  readonly host: Host;
  /** Absolute URL of `taskpane.html?view=preferences`. */
  readonly url: string;
}

/** Resolves once the dialog is gone: closed by the person, or by us after a save. */
export async function runPreferencesDialog(deps: PreferencesDialogDeps): Promise<void> {
  const { host } = deps;
  const url = withDialogInit(deps.url, {
    preferences: readPreferences(host, host.displayLanguage() ?? 'en'),
    activityTypes: readCachedActivityTypes(host),
  });
  const dialog = await host.displayDialog(url, { widthPercent: 40, heightPercent: 70 });
  await new Promise<void>((resolve) => {
    let saving = false;
    dialog.onClosed(resolve);
    dialog.onMessage((message) => {
      const parsed = parseDialogMessage(message);
      if (!parsed) {
        console.warn('The preferences dialog sent a message that is not ours; ignored');
        return;
      }
      if (saving) return;
      saving = true;
      writePreferences(host, parsed.preferences)
        .catch((error: unknown) => console.error('Could not save the preferences', error))
        .finally(() => {
          dialog.close(); // Office raises no DialogEventReceived for our own close()
          resolve();
        });
    });
  });
}
