import {
  encodeDialogMessage,
  parseDialogInit,
  parseDialogMessage,
  withDialogInit,
} from '../../../src/taskpane/preferences/dialogProtocol';
import {
  defaultPreferences,
  type Preferences,
} from '../../../src/taskpane/preferences/preferences';
import { fakeType } from '../pane/fakeConnectionService';

const prefs: Preferences = {
  ...defaultPreferences('it'),
  crmToOutlook: { daysBack: 3, daysAhead: 90, createTypes: ['t-call'], editTypes: 'all' },
  defaultTypeId: 't-call',
  privateMode: 'skip',
};

test('the saved values reach the dialog page through its URL, intact', () => {
  const types = [fakeType('t-call', 'Phone call', 'Puhelu')];
  const url = withDialogInit('https://localhost:3000/taskpane.html?view=preferences', {
    preferences: prefs,
    activityTypes: types,
  });
  const parsed = new URL(url);
  expect(parsed.searchParams.get('view')).toBe('preferences');
  expect(parseDialogInit(parsed.search, 'en')).toEqual({
    preferences: prefs,
    activityTypes: types,
  });
});

test('a URL without or with broken values gives the defaults', () => {
  expect(parseDialogInit('?view=preferences', 'fi')).toEqual({
    preferences: defaultPreferences('fi'),
    activityTypes: [],
  });
  expect(parseDialogInit('?view=preferences&init=%7Bnot-json', 'de').preferences).toEqual(
    defaultPreferences('de'),
  );
});

test('the dialog message round-trips; anything else is refused', () => {
  expect(parseDialogMessage(encodeDialogMessage(prefs))).toEqual({
    kind: 'preferencesSaved',
    preferences: prefs,
  });
  const tooFarBack = { ...prefs, outlookToCrm: { ...prefs.outlookToCrm, daysBack: 61 } };
  for (const message of [
    'not json',
    JSON.stringify({ kind: 'preferencesSaved' }),
    JSON.stringify({ kind: 'somethingElse', preferences: prefs }),
    JSON.stringify({ kind: 'preferencesSaved', preferences: tooFarBack }),
  ]) {
    expect(parseDialogMessage(message)).toBeNull();
  }
});
