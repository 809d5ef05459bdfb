import 'i18next';
import type { Messages } from './resources';

// Typed keys: `t('sections.status.title')` is checked against en.json at compile time.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
