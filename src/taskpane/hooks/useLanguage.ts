import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { pickLanguage, type SupportedLanguage } from '../../i18n/languages';
import { languageSettingKey } from '../preferences/languageSetting';
import { useServices } from '../services';

export { languageSettingKey };

export interface LanguageState {
  readonly language: SupportedLanguage;
  readonly changeLanguage: (next: SupportedLanguage) => Promise<void>;
}

/** The current application language and a way to change it (SPEC L1). */
export function useLanguage(): LanguageState {
  const { i18n } = useTranslation();
  const { host } = useServices();
  const language = pickLanguage([i18n.resolvedLanguage ?? i18n.language]);

  const changeLanguage = useCallback(
    async (next: SupportedLanguage) => {
      await i18n.changeLanguage(next);
      try {
        await host.setSetting(languageSettingKey, next);
      } catch (error) {
        // The new language already applies; only remembering it failed, which is not worth an alert.
        console.warn('Could not save the language choice', error);
      }
    },
    [i18n, host],
  );

  // Screen readers pick their pronunciation from <html lang>.
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return { language, changeLanguage };
}
