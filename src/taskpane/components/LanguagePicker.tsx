import { Dropdown, Label, Option, makeStyles, tokens, useId } from '@fluentui/react-components';
import { LocalLanguage16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { isSupportedLanguage, languageNames, supportedLanguages } from '../../i18n/languages';
import { useLanguage } from '../hooks/useLanguage';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  dropdown: { minWidth: '112px', width: '112px' },
});

/** Switches the application language (SPEC L1); the choice roams with the mailbox. */
export function LanguagePicker() {
  const { t } = useTranslation();
  const { language, changeLanguage } = useLanguage();
  const styles = useStyles();
  const labelId = useId('language-label');
  return (
    <div className={styles.root}>
      <Label id={labelId} size="small">
        {t('language.label')}
      </Label>
      <Dropdown
        aria-labelledby={labelId}
        className={styles.dropdown}
        size="small"
        expandIcon={<LocalLanguage16Regular />}
        value={languageNames[language]}
        selectedOptions={[language]}
        onOptionSelect={(_event, data) => {
          if (isSupportedLanguage(data.optionValue)) void changeLanguage(data.optionValue);
        }}
      >
        {supportedLanguages.map((code) => (
          <Option key={code} value={code} lang={code}>
            {languageNames[code]}
          </Option>
        ))}
      </Dropdown>
    </div>
  );
}
