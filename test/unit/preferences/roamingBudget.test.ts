/**
 * Issue 11: roaming settings hold 32 KB for the whole mailbox, and past it every save fails
 * (office-js-docs-reference: outlook/office.roamingsettings). The pane, their one writer, keeps
 * only its preferences, language and connection there; this fills every key it writes at its
 * realistic maximum and holds the total under 16 KB, half the limit. The activity-type cache (60
 * types named in five languages) and the per-item type choices (50) live on the installation.
 */
import type { SettingValue } from '../../../src/host/host';
import { memorySettingsStore, type SettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import { connectionSettingKeys } from '../../../src/taskpane/connection/connectionService';
import { MAX_TYPE_CHOICES, saveTypeChoice } from '../../../src/taskpane/item/typeChoices';
import { cacheActivityTypes } from '../../../src/taskpane/preferences/activityTypesCache';
import { languageSettingKey } from '../../../src/taskpane/preferences/languageSetting';
import {
  legacyRoamingKeys,
  writePreferences,
  readPreferences,
} from '../../../src/taskpane/preferences/preferencesStore';

/** Records every key written, as Office serialises the whole settings object (JSON). */
function recordingStore(): SettingsStore & { readonly values: Map<string, SettingValue> } {
  const values = new Map<string, SettingValue>();
  return {
    values,
    get: (k) => values.get(k),
    set: (k, v) => void values.set(k, v),
    remove: (k) => void values.delete(k),
  };
}

test('every roaming key at its realistic maximum stays under 16 KB; caches stay on the device', async () => {
  const roaming = recordingStore();
  const device = memorySettingsStore();
  const host = new StandaloneHost({
    mailbox: 'a.very.long.mailbox.address.of.someone@subsidiary.contoso-international.example',
    settings: roaming,
    deviceSettings: device,
  });

  // Type ids as long as a UUID, the longest a CRM here uses.
  const typeId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const allIds = Array.from({ length: 60 }, (_, i) => typeId(i));
  // 60 activity types, each named in the five languages at 40 characters.
  const name = (lang: string, i: number) =>
    `${lang}:${'Asiakastapaaminen ja seuranta '.repeat(2)}${i}`.slice(0, 40);
  const types = Array.from({ length: 60 }, (_, i) => ({
    id: typeId(i),
    name: name('en', i),
    names: {
      en: name('en', i),
      fi: name('fi', i),
      sv: name('sv', i),
      it: name('it', i),
      de: name('de', i),
    },
    personal: i === 0,
  }));
  await cacheActivityTypes(host, types as never);
  // 50 items waiting for a type, each with a ~150-character immutable Graph id.
  for (let i = 0; i < MAX_TYPE_CHOICES + 5; i += 1) {
    await saveTypeChoice(host, {
      outlookId: `AAMkAG${'Q'.repeat(140)}${String(i).padStart(4, '0')}=`,
      typeId: typeId(i % 60),
      at: '2026-12-05T09:00:00Z',
    });
  }
  // Full preferences: every option set, the longest values the form accepts.
  const preferences = readPreferences(host, 'de');
  // Every type listed by id in all four lists (create and edit, each direction).
  await writePreferences(host, {
    ...preferences,
    outlookToCrm: { ...preferences.outlookToCrm, createTypes: allIds, editTypes: allIds },
    crmToOutlook: { ...preferences.crmToOutlook, createTypes: allIds, editTypes: allIds },
    defaultTypeId: typeId(59),
  });
  await host.setSetting(languageSettingKey, 'de');
  await host.setSetting(
    connectionSettingKeys.address,
    `https://${'crm.'.repeat(20)}contoso.example/api`,
  );
  await host.setSetting(
    connectionSettingKeys.username,
    'someone.with.a.long.name@subsidiary.contoso-international.example',
  );
  await host.setSetting(connectionSettingKeys.calendarId, `AAMkAG${'C'.repeat(146)}=`);
  await host.setSetting(connectionSettingKeys.firstSyncAcknowledged, true);
  await host.setSetting(connectionSettingKeys.syncStarted, true);

  const roamingBytes = new TextEncoder().encode(
    JSON.stringify(Object.fromEntries(roaming.values)),
  ).length;
  expect(roamingBytes).toBeLessThanOrEqual(16 * 1024);
  // What the budget would have to carry if the caches roamed: far beyond it.
  const deviceBytes = new TextEncoder().encode(
    JSON.stringify([device.get('crmActivityTypes'), device.get('itemTypeChoices')]),
  ).length;
  expect(deviceBytes).toBeGreaterThan(16 * 1024);
  expect([...roaming.values.keys()].sort()).toEqual(
    [
      'appLanguage',
      'crmAddress',
      'crmUsername',
      'firstSyncWarningAcknowledged',
      'preferences',
      'syncCalendarId',
      'syncStarted',
    ].sort(),
  );
  console.log(`roaming settings at realistic maxima: ${roamingBytes} bytes`);
});

test('the legacy roaming caches an earlier version wrote are deleted at the next save of preferences, back under 16 KB', async () => {
  const roaming = recordingStore();
  const device = memorySettingsStore();
  const host = new StandaloneHost({
    mailbox: 'anna@contoso.example',
    settings: roaming,
    deviceSettings: device,
  });
  // What an earlier version kept in roaming settings: 60 types in five languages, 50 choices.
  const types = Array.from({ length: 60 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    names: Object.fromEntries(
      ['en', 'fi', 'sv', 'it', 'de'].map((l) => [l, `${l}:${'x'.repeat(37)}`]),
    ),
    personal: false,
  }));
  const choices = Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [
      `AAMkAG${'Q'.repeat(140)}${i}=`,
      { typeId: 'typ', at: '2026-12-05T09:00:00Z' },
    ]),
  );
  roaming.set('crmActivityTypes', types as unknown as SettingValue);
  roaming.set('itemTypeChoices', choices as unknown as SettingValue);
  roaming.set(connectionSettingKeys.address, 'https://crm.contoso.example');
  const bytes = () =>
    new TextEncoder().encode(JSON.stringify(Object.fromEntries(roaming.values))).length;
  expect(bytes()).toBeGreaterThan(16 * 1024);

  await writePreferences(host, readPreferences(host, 'en'));

  expect(legacyRoamingKeys.filter((key) => roaming.values.has(key))).toEqual([]);
  expect(roaming.values.get(connectionSettingKeys.address)).toBe('https://crm.contoso.example');
  expect(bytes()).toBeLessThanOrEqual(16 * 1024);
});
