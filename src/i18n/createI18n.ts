import { createInstance, type BackendModule, type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import {
  fallbackLanguage,
  isSupportedLanguage,
  supportedLanguages,
  type SupportedLanguage,
} from './languages';
import { fallbackMessages, loadMessages } from './loadMessages';

/**
 * Loads a language's texts when i18next first needs them: at start for the chosen language, and
 * on `changeLanguage` (the language picker, Preferences) — which then waits for them.
 */
const languageChunks: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    if (!isSupportedLanguage(language)) {
      callback(null, {});
      return;
    }
    loadMessages(language).then(
      (messages) => callback(null, messages),
      (error: unknown) => callback(error instanceof Error ? error : String(error), null),
    );
  },
};

/**
 * A fresh i18next instance per app (and per test), never the global singleton, so two renders
 * cannot leak a language into each other. English is bundled; another language is loaded (an
 * async chunk from the add-in's own origin, so it works offline in the sandbox) before `init`
 * resolves, so the first render is already in it.
 */
export async function createI18n(language: SupportedLanguage): Promise<i18n> {
  const instance = createInstance();
  await instance
    .use(languageChunks)
    .use(initReactI18next)
    .init({
      lng: language,
      fallbackLng: fallbackLanguage,
      supportedLngs: supportedLanguages,
      resources: { [fallbackLanguage]: { translation: fallbackMessages } },
      // The bundled English plus the backend for the others.
      partialBundledLanguages: true,
      // React escapes text itself; escaping twice would show "&amp;" to the user.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  return instance;
}
