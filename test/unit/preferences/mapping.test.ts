import type { ActivityType } from '../../../src/crm';
import {
  defaultPreferences,
  type Preferences,
} from '../../../src/taskpane/preferences/preferences';
import { toSyncSettings } from '../../../src/taskpane/preferences/toSyncSettings';
import type { EngineDeps } from '../../../src/sync/engine/context';
import type { RunOutcome } from '../../../src/sync/engine/run';
import type { SyncSettings } from '../../../src/sync/core/settings';
import { runWithCurrentSettings } from '../../../src/taskpane/sync/startSync';

const type = (id: string, en: string, personal = false): ActivityType => ({
  id,
  name: en,
  names: { en, fi: en, sv: en, it: en, de: en },
  personal,
});
const types = [type('t-call', 'Phone call'), type('t-meet', 'Meeting'), type('t-p', 'Own', true)];
const context = {
  busySubject: 'Busy',
  timeZone: 'Europe/Helsinki',
  mailbox: ' Anna@Contoso.example ',
  crmUserId: 'u-1',
};

test('the defaults map to what the engine used before preferences existed', () => {
  expect(toSyncSettings(defaultPreferences('en'), types, context)).toEqual({
    outlookToCrm: { daysBack: 1, daysAhead: 365, createTypes: 'all', editTypes: 'all' },
    crmToOutlook: { daysBack: 1, daysAhead: 365, createTypes: 'all', editTypes: 'all' },
    defaultTypeId: 't-meet', // SPEC T3: "Meeting" when nothing was chosen
    personalTypeId: 't-p',
    privateMode: 'full',
    busySubject: 'Busy',
    conflictPolicy: 'newest-wins',
    timeZone: 'Europe/Helsinki',
    mailbox: 'anna@contoso.example',
    crmUserId: 'u-1',
    // SPEC K2 off until chosen; K1 on by default.
    contacts: { mode: 'off', addActivityContacts: true, conflictPolicy: 'newest-wins' },
  } satisfies SyncSettings);
});

test('SPEC K1, K2: the contact mode, "add linked contacts" and the conflict policy reach the engine', () => {
  const prefs: Preferences = {
    ...defaultPreferences('en'),
    contactSync: 'crmToOutlook',
    conflictPolicy: 'crm-wins',
    options: { ...defaultPreferences('en').options, addContactsToAddressBook: false },
  };
  expect(toSyncSettings(prefs, types, context).contacts).toEqual({
    mode: 'crmToOutlook',
    addActivityContacts: false,
    conflictPolicy: 'crm-wins',
  });
});

test('each direction, the type lists, private items and the conflict policy carry over', () => {
  const prefs: Preferences = {
    ...defaultPreferences('fi'),
    outlookToCrm: { daysBack: 60, daysAhead: 0, createTypes: [], editTypes: ['t-call'] },
    crmToOutlook: { daysBack: 0, daysAhead: 200, createTypes: ['t-meet'], editTypes: 'all' },
    defaultTypeId: 't-call',
    privateMode: 'skip',
    conflictPolicy: 'outlook-wins',
  };
  expect(toSyncSettings(prefs, types, context)).toMatchObject({
    outlookToCrm: { daysBack: 60, daysAhead: 0, createTypes: [], editTypes: ['t-call'] },
    crmToOutlook: { daysBack: 0, daysAhead: 200, createTypes: ['t-meet'], editTypes: 'all' },
    defaultTypeId: 't-call',
    privateMode: 'skip',
    conflictPolicy: 'outlook-wins',
  });
});

test('SPEC T3: "ask me each time" is null; a type the CRM no longer has falls back to Meeting', () => {
  const ask = { ...defaultPreferences('en'), defaultTypeId: null };
  expect(toSyncSettings(ask, types, context).defaultTypeId).toBeNull();
  const gone = { ...defaultPreferences('en'), defaultTypeId: 't-deleted' };
  expect(toSyncSettings(gone, types, context).defaultTypeId).toBe('t-meet');
});

test('P1: no personal type in the CRM gives a null personal type', () => {
  const settings = toSyncSettings(defaultPreferences('en'), types.slice(0, 2), context);
  expect(settings.personalTypeId).toBeNull();
});

test('every run reads the settings as saved at that moment', async () => {
  let current = toSyncSettings(defaultPreferences('en'), types, context);
  const seen: SyncSettings[] = [];
  const outcome = { kind: 'ok' } as unknown as RunOutcome;
  const run = runWithCurrentSettings(
    { settings: current } as unknown as EngineDeps,
    () => current,
    async (deps) => {
      seen.push(deps.settings);
      return outcome;
    },
  );
  await run({});
  current = { ...current, crmToOutlook: { ...current.crmToOutlook, daysAhead: 7 } };
  await run({});
  expect(seen.map((s) => s.crmToOutlook.daysAhead)).toEqual([365, 7]);
});
