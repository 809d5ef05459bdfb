import { Field, Switch } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { OptionKey, Options } from '../../preferences/preferences';

const keys: readonly OptionKey[] = [
  'syncAutomatically',
  'signInAutomatically',
  'addContactsToAddressBook',
  'sendErrorReports',
  'showRelationsByDefault',
];

/** The hints that say what a switch needs or promises (SPEC C3/C4, E5). */
const hinted: Partial<Record<OptionKey, 'signInAutomaticallyHint' | 'sendErrorReportsHint'>> = {
  signInAutomatically: 'signInAutomaticallyHint',
  sendErrorReports: 'sendErrorReportsHint',
};

/** SPEC S5, C4, K1, E5, O1: on/off options, each a labelled switch. */
export function CalendarOptions(props: { value: Options; onChange: (next: Options) => void }) {
  const { t } = useTranslation();
  return (
    <>
      {keys.map((key) => {
        const hint = hinted[key];
        return (
          <Field key={key} hint={hint ? t(`preferences.options.${hint}`) : undefined}>
            <Switch
              label={t(`preferences.options.${key}`)}
              checked={props.value[key]}
              onChange={(_event, data) => props.onChange({ ...props.value, [key]: data.checked })}
            />
          </Field>
        );
      })}
    </>
  );
}
