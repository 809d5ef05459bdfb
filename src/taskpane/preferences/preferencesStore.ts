/**
 * Preferences in roaming settings (per mailbox, 32 KB, not secure: no secrets here,
 * REQUIREMENTS.md). No React and no Office: the pane, the sync start and the ribbon's commands
 * runtime share it.
 */
import type { Host, SettingValue } from '../../host/host';
import { pickLanguage } from '../../i18n/languages';
import { languageSettingKey } from './languageSetting';
import { parseStoredPreferences, type Preferences } from './preferences';

/** Roaming setting: everything but the language, as one JSON object. */
export const preferencesSettingKey = 'preferences';

/**
 * The saved preferences, defaults for whatever is missing or invalid. The application language
 * keeps its own setting (the pane reads it before anything renders, the header's picker writes
 * it); `fallbackLanguage` is the language in use when none was saved.
 */
export function readPreferences(host: Host, fallbackLanguage: string): Preferences {
  const saved = host.getSetting(languageSettingKey);
  const language = pickLanguage([typeof saved === 'string' ? saved : undefined, fallbackLanguage]);
  return parseStoredPreferences(host.getSetting(preferencesSettingKey), language);
}

/**
 * Roaming keys earlier versions wrote and this one keeps on the installation instead (issue 11:
 * Host.deviceSettings): the activity-type cache and the per-item type choices. Together they could
 * fill the 32 KB on their own, so the one writer removes them at its next save.
 */
export const legacyRoamingKeys = ['crmActivityTypes', 'itemTypeChoices'] as const;

export async function writePreferences(host: Host, preferences: Preferences): Promise<void> {
  const { language, ...rest } = preferences;
  // Removed in this runtime's copy; the save below writes the removal with the preferences.
  for (const key of legacyRoamingKeys) {
    if (host.getSetting(key) !== undefined) host.removeSetting?.(key);
  }
  await host.setSetting(preferencesSettingKey, toSetting(rest));
  await host.setSetting(languageSettingKey, language);
}

/** Plain JSON, as Office serialises roaming settings (drops `undefined`). */
export function toSetting(value: object): SettingValue {
  return JSON.parse(JSON.stringify(value)) as SettingValue;
}
