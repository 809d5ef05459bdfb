/**
 * Where Preferences come from and go to, as components see it (through the services context):
 * roaming settings in the pane, or the ribbon's dialog protocol in an Office dialog.
 */
import type { ActivityType } from '../../crm';
import type { Host } from '../../host/host';
import { cacheActivityTypes, readCachedActivityTypes } from './activityTypesCache';
import { encodeDialogMessage, type DialogInit } from './dialogProtocol';
import { languageSettingKey } from './languageSetting';
import type { Preferences } from './preferences';
import { announcePreferences } from './preferencesBroadcast';
import { readPreferences, toSetting, writePreferences } from './preferencesStore';

export interface PreferencesPort {
  /** 'pane': saved here; 'dialog': handed to the ribbon, which saves them and closes the dialog. */
  readonly where: 'pane' | 'dialog';
  /** The saved preferences; `fallbackLanguage` when no language was saved. */
  load(fallbackLanguage: string): Preferences;
  /** The saved application language, if any (read before the pane renders). */
  savedLanguage(): string | undefined;
  save(preferences: Preferences): Promise<void>;
  /** The activity types last read from the CRM, for when no CRM session is at hand. */
  cachedActivityTypes(): readonly ActivityType[];
  rememberActivityTypes(types: readonly ActivityType[]): Promise<void>;
}

export function roamingPreferencesPort(host: Host): PreferencesPort {
  return {
    where: 'pane',
    load: (fallbackLanguage) => readPreferences(host, fallbackLanguage),
    savedLanguage() {
      const saved = host.getSetting(languageSettingKey);
      return typeof saved === 'string' ? saved : undefined;
    },
    async save(preferences) {
      await writePreferences(host, preferences);
      const { language, ...rest } = preferences;
      announcePreferences(toSetting(rest), language);
    },
    cachedActivityTypes: () => readCachedActivityTypes(host),
    rememberActivityTypes: (types) => cacheActivityTypes(host, types),
  };
}

/** In the ribbon's dialog: `messageParent` is `Office.context.ui.messageParent`. */
export function dialogPreferencesPort(
  init: DialogInit,
  messageParent: (message: string) => void,
): PreferencesPort {
  let current = init.preferences;
  let types = init.activityTypes;
  return {
    where: 'dialog',
    load: () => current,
    savedLanguage: () => init.preferences.language,
    async save(preferences) {
      messageParent(encodeDialogMessage(preferences));
      current = preferences;
    },
    cachedActivityTypes: () => types,
    async rememberActivityTypes(next) {
      types = next;
    },
  };
}
