/**
 * Where Preferences come from and go to, as components see it (through the services context):
 * the mailbox's roaming settings.
 */
import type { ActivityType } from '../../crm';
import type { Host } from '../../host/host';
import { cacheActivityTypes, readCachedActivityTypes } from './activityTypesCache';
import { languageSettingKey } from './languageSetting';
import type { Preferences } from './preferences';
import { announcePreferences } from './preferencesBroadcast';
import { readPreferences, toSetting, writePreferences } from './preferencesStore';

export interface PreferencesPort {
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
