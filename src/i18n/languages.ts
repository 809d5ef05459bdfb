/** The application languages (SPEC L1): English, Finnish, Swedish, Italian, German. */
export const supportedLanguages = ['en', 'fi', 'sv', 'it', 'de'] as const;
export type SupportedLanguage = (typeof supportedLanguages)[number];

export const fallbackLanguage: SupportedLanguage = 'en';

/**
 * Each language's name in itself (an endonym): a person looking for their language finds it
 * whatever the current UI language is, so these are deliberately not translated.
 */
export const languageNames: Readonly<Record<SupportedLanguage, string>> = {
  en: 'English',
  fi: 'Suomi',
  sv: 'Svenska',
  it: 'Italiano',
  de: 'Deutsch',
};

export function isSupportedLanguage(value: unknown): value is SupportedLanguage {
  return typeof value === 'string' && (supportedLanguages as readonly string[]).includes(value);
}

/**
 * The first candidate we support, by primary subtag ("fi-FI" → fi, "sv-AX" → sv); English when
 * none matches. Candidates come in priority order: the saved choice, Office's display language,
 * the browser's languages (SPEC L1: by default Outlook's).
 */
export function pickLanguage(candidates: readonly (string | undefined)[]): SupportedLanguage {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    if (isSupportedLanguage(primary)) return primary;
  }
  return fallbackLanguage;
}
