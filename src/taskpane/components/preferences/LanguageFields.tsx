import { Dropdown, Field, Option } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  isSupportedLanguage,
  languageNames,
  supportedLanguages,
  type SupportedLanguage,
} from '../../../i18n/languages';

const sameAsApp = 'app';

/** SPEC L1 (the application language) and L2 (the language of CRM picklists). */
export function LanguageFields(props: {
  language: SupportedLanguage;
  picklistLanguage: SupportedLanguage | null;
  onChange: (next: {
    language: SupportedLanguage;
    picklistLanguage: SupportedLanguage | null;
  }) => void;
}) {
  const { t } = useTranslation();
  const { language, picklistLanguage } = props;
  // Language names are endonyms (languages.ts): found whatever the current language is.
  const options = supportedLanguages.map((code) => (
    <Option key={code} value={code} lang={code}>
      {languageNames[code]}
    </Option>
  ));
  return (
    <>
      <Field label={t('preferences.languages.app')}>
        <Dropdown
          value={languageNames[language]}
          selectedOptions={[language]}
          onOptionSelect={(_event, data) => {
            if (isSupportedLanguage(data.optionValue)) {
              props.onChange({ language: data.optionValue, picklistLanguage });
            }
          }}
        >
          {options}
        </Dropdown>
      </Field>
      <Field
        label={t('preferences.languages.picklist')}
        hint={t('preferences.languages.picklistHint')}
      >
        <Dropdown
          value={
            picklistLanguage === null
              ? t('preferences.languages.sameAsApp')
              : languageNames[picklistLanguage]
          }
          selectedOptions={[picklistLanguage ?? sameAsApp]}
          onOptionSelect={(_event, data) => {
            const value = data.optionValue;
            if (value === sameAsApp) props.onChange({ language, picklistLanguage: null });
            else if (isSupportedLanguage(value))
              props.onChange({ language, picklistLanguage: value });
          }}
        >
          <Option value={sameAsApp}>{t('preferences.languages.sameAsApp')}</Option>
          {options}
        </Dropdown>
      </Field>
    </>
  );
}
