import { memorySettingsStore } from '../../../src/host/settingsStore';
import { StandaloneHost } from '../../../src/host/standaloneHost';
import {
  defaultPreferences,
  parseStoredPreferences,
  type Preferences,
} from '../../../src/taskpane/preferences/preferences';
import { checkDays, checkDraft, toDraft } from '../../../src/taskpane/preferences/preferencesDraft';
import {
  preferencesSettingKey,
  readPreferences,
  writePreferences,
} from '../../../src/taskpane/preferences/preferencesStore';
import { DEFAULT_DIRECTION } from '../../../src/sync/core/settings';

const host = () =>
  new StandaloneHost({ mailbox: 'anna@contoso.example', settings: memorySettingsStore() });

const chosen: Preferences = {
  outlookToCrm: { daysBack: 60, daysAhead: 0, createTypes: [], editTypes: ['t-call'] },
  crmToOutlook: { daysBack: 0, daysAhead: 365, createTypes: 'all', editTypes: [] },
  defaultTypeId: null,
  privateMode: 'busy',
  language: 'fi',
  picklistLanguage: 'sv',
  options: {
    syncAutomatically: false,
    signInAutomatically: true,
    addContactsToAddressBook: false,
    sendErrorReports: true,
    showRelationsByDefault: true,
  },
  conflictPolicy: 'crm-wins',
  contactSync: 'crmToOutlook',
};

describe('day limits (SPEC W1 0–60 back, W2 0–365 ahead)', () => {
  test.each([
    ['0', 'daysBack', 0],
    ['60', 'daysBack', 60],
    [' 7 ', 'daysBack', 7],
    ['365', 'daysAhead', 365],
  ] as const)('%p %s is accepted', (text, field, value) => {
    expect(checkDays(text, field)).toBe(value);
  });

  test.each([
    ['61', 'daysBack', { kind: 'outOfRange', min: 0, max: 60 }],
    ['366', 'daysAhead', { kind: 'outOfRange', min: 0, max: 365 }],
    ['', 'daysBack', { kind: 'required' }],
    ['1.5', 'daysAhead', { kind: 'notWhole' }],
    ['-1', 'daysBack', { kind: 'notWhole' }],
    ['1e2', 'daysAhead', { kind: 'notWhole' }],
  ] as const)('%p %s is refused', (text, field, problem) => {
    expect(checkDays(text, field)).toEqual(problem);
  });

  test('a draft with 61 days back is invalid and says where', () => {
    const draft = toDraft(chosen);
    const check = checkDraft({ ...draft, crmToOutlook: { ...draft.crmToOutlook, daysBack: '61' } });
    expect(check).toEqual({
      kind: 'invalid',
      problems: { 'crmToOutlook.daysBack': { kind: 'outOfRange', min: 0, max: 60 } },
    });
  });

  test('a valid draft gives back exactly the preferences it was made from', () => {
    expect(checkDraft(toDraft(chosen))).toEqual({ kind: 'valid', preferences: chosen });
  });
});

describe('roaming settings', () => {
  test('nothing saved: the defaults, with the engine default window', () => {
    const prefs = readPreferences(host(), 'de');
    expect(prefs).toEqual(defaultPreferences('de'));
    expect(prefs.outlookToCrm).toMatchObject({
      daysBack: DEFAULT_DIRECTION.daysBack,
      daysAhead: DEFAULT_DIRECTION.daysAhead,
      createTypes: 'all',
      editTypes: 'all',
    });
    expect(prefs.defaultTypeId).toBeUndefined();
  });

  test('save then read gives the same values, the language in its own setting', async () => {
    const h = host();
    await writePreferences(h, chosen);
    expect(readPreferences(h, 'en')).toEqual(chosen);
    expect(h.getSetting('appLanguage')).toBe('fi');
    expect(h.getSetting(preferencesSettingKey)).not.toHaveProperty('language');
  });

  test.each([
    ['a string', 'not preferences'],
    ['an array', [1, 2, 3]],
    ['null', null],
    ['a number', 42],
  ])('garbage (%s) reads as the defaults', (_name, garbage) => {
    const h = host();
    void h.setSetting(preferencesSettingKey, garbage);
    void h.setSetting('appLanguage', 'klingon');
    expect(readPreferences(h, 'sv')).toEqual(defaultPreferences('sv'));
  });

  test('each invalid field falls back alone; the valid ones are kept', () => {
    const stored = {
      outlookToCrm: { daysBack: 61, daysAhead: 30, createTypes: 'some', editTypes: ['t-1'] },
      crmToOutlook: { daysBack: 5, daysAhead: -1, createTypes: [], editTypes: [7] },
      defaultTypeId: 12,
      privateMode: 'secret',
      picklistLanguage: 'xx',
      options: { sendErrorReports: true, syncAutomatically: 'yes' },
      conflictPolicy: 'crm-wins',
    };
    const prefs = parseStoredPreferences(stored, 'en');
    const defaults = defaultPreferences('en');
    expect(prefs).toEqual({
      ...defaults,
      outlookToCrm: { daysBack: 1, daysAhead: 30, createTypes: 'all', editTypes: ['t-1'] },
      crmToOutlook: { daysBack: 5, daysAhead: 365, createTypes: [], editTypes: 'all' },
      options: { ...defaults.options, sendErrorReports: true },
      conflictPolicy: 'crm-wins',
    });
  });
});
