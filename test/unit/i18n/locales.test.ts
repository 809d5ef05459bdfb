import { pickLanguage, supportedLanguages } from '../../../src/i18n/languages';
import { resources } from '../../../src/i18n/resources';

type Tree = { readonly [key: string]: string | Tree };

/** "a.b.c" → text, for every leaf. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const variables = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

const english = flatten(resources.en.translation);

describe.each(supportedLanguages.filter((l) => l !== 'en'))('%s', (language) => {
  const messages = flatten(resources[language].translation as Tree);

  test('has exactly the keys of en.json', () => {
    expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
  });

  test('uses the same interpolation variables as English in every message', () => {
    for (const [key, text] of english) {
      expect({ key, vars: variables(messages.get(key) ?? '') }).toEqual({
        key,
        vars: variables(text),
      });
    }
  });

  test('has no empty message and is actually translated', () => {
    for (const [key, text] of messages)
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
    // A few words may match English ("Status"), but most of the pane must differ.
    const same = [...messages].filter(([key, text]) => english.get(key) === text);
    expect(same.length).toBeLessThan(messages.size / 5);
  });
});

test.each([
  [['fi-FI'], 'fi'],
  [['sv-AX', 'en'], 'sv'],
  [[undefined, 'de-CH'], 'de'],
  [['pt-BR', 'it'], 'it'],
  [['ja-JP'], 'en'],
  [[], 'en'],
] as const)('pickLanguage(%j) is %s', (candidates, expected) => {
  expect(pickLanguage(candidates)).toBe(expected);
});
