import { createInstance, type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { fallbackLanguage, supportedLanguages, type SupportedLanguage } from './languages';
import { resources } from './resources';

/**
 * A fresh i18next instance per app (and per test), never the global singleton, so two renders
 * cannot leak a language into each other. Resources are bundled: five small JSON files cost less
 * than a round trip, and the pane must work offline in the sandbox.
 */
export async function createI18n(language: SupportedLanguage): Promise<i18n> {
  const instance = createInstance();
  await instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: fallbackLanguage,
    supportedLngs: supportedLanguages,
    resources,
    // React escapes text itself; escaping twice would show "&amp;" to the user.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
