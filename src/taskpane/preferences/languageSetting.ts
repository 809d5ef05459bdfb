/** The roaming setting that remembers the person's own language choice across Outlook clients. */
export const languageSettingKey = 'appLanguage';
