/**
 * The pane's texts by language. English, the fallback, is bundled with the first screen; the
 * other four are async chunks (about 8 KB gzip each), so the pane carries one language, not five.
 */
import en from './locales/en.json';
import type { SupportedLanguage } from './languages';
import type { Messages } from './resources';

export { en as fallbackMessages };

export async function loadMessages(language: SupportedLanguage): Promise<Messages> {
  switch (language) {
    case 'en':
      return en;
    case 'fi':
      return (await import(/* webpackChunkName: "i18n-fi" */ './locales/fi.json')).default;
    case 'sv':
      return (await import(/* webpackChunkName: "i18n-sv" */ './locales/sv.json')).default;
    case 'it':
      return (await import(/* webpackChunkName: "i18n-it" */ './locales/it.json')).default;
    case 'de':
      return (await import(/* webpackChunkName: "i18n-de" */ './locales/de.json')).default;
  }
}
