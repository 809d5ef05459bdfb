import de from './locales/de.json';
import en from './locales/en.json';
import fi from './locales/fi.json';
import it from './locales/it.json';
import sv from './locales/sv.json';
import type { SupportedLanguage } from './languages';

/** en.json is the source of truth; a unit test checks the others have every key and variable. */
export type Messages = typeof en;

export const resources: Readonly<Record<SupportedLanguage, { translation: Messages }>> = {
  en: { translation: en },
  fi: { translation: fi },
  sv: { translation: sv },
  it: { translation: it },
  de: { translation: de },
};
