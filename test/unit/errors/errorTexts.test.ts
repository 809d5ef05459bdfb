import { supportedLanguages } from '../../../src/i18n/languages';
import { resources } from '../../../src/i18n/resources';
import { type ErrorCode, errorKindOf } from '../../../src/sync/core/errors';

// Derived from the runtime table, so a new ErrorCode without texts fails here.
const codes = Object.keys(errorKindOf) as ErrorCode[];
type Texts = Readonly<Record<string, { readonly message?: unknown; readonly remedy?: unknown }>>;
const errorsOf = (language: (typeof supportedLanguages)[number]): Texts =>
  resources[language].translation.errors as Texts;

const variables = (text: unknown) =>
  [...String(text).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

test('the code list is the whole ErrorCode union', () => {
  expect(codes.length).toBeGreaterThanOrEqual(26);
});

describe.each(supportedLanguages)('%s', (language) => {
  const texts = errorsOf(language);

  test.each(codes)('%s has a message and a remedy', (code) => {
    expect(typeof texts[code]?.message).toBe('string');
    expect(typeof texts[code]?.remedy).toBe('string');
    expect(String(texts[code]?.message).trim()).not.toBe('');
    expect(String(texts[code]?.remedy).trim()).not.toBe('');
  });

  test('has only the codes plus the generic "unknown" text', () => {
    expect(Object.keys(texts).sort()).toEqual([...codes, 'unknown'].sort());
  });

  test('uses the same interpolation variables as English', () => {
    const english = errorsOf('en');
    for (const code of [...codes, 'unknown']) {
      for (const part of ['message', 'remedy'] as const) {
        expect({ code, part, vars: variables(texts[code]?.[part]) }).toEqual({
          code,
          part,
          vars: variables(english[code]?.[part]),
        });
      }
    }
  });

  test('mailboxMismatch names both addresses (SPEC C6)', () => {
    expect(variables(texts.mailboxMismatch?.message)).toEqual(['crmEmail', 'mailbox']);
  });
});
