import { Dropdown, Field, Option } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ActivityType } from '../../model';
import { defaultTypeFor } from '../../preferences/toSyncSettings';

const ask = 'ask';
const typeValue = (id: string) => `type:${id}`;

/**
 * SPEC T3: the type items made in Outlook get in the CRM, or "ask me each time" (null): such an
 * item waits until the person picks its type in the pane.
 */
export function DefaultTypeField(props: {
  value: string | null | undefined;
  types: readonly ActivityType[] | null;
  nameOf: (type: ActivityType) => string;
  onChange: (next: string | null) => void;
}) {
  const { t } = useTranslation();
  const types = props.types ?? [];
  // Nothing chosen yet: show what the sync will use ("Meeting"), as SPEC T3 defaults.
  const effective =
    props.types === null ? props.value : defaultTypeFor({ defaultTypeId: props.value }, types);
  const chosen = types.find((type) => type.id === effective);
  const selected = effective === null ? ask : effective === undefined ? '' : typeValue(effective);
  // Types unknown (no CRM session) and nothing chosen: say what the sync will pick.
  const text =
    effective === null
      ? t('preferences.defaultType.ask')
      : chosen
        ? props.nameOf(chosen)
        : effective === undefined
          ? t('preferences.defaultType.automatic')
          : '';
  return (
    <Field
      label={t('preferences.defaultType.label')}
      hint={
        effective === null
          ? t('preferences.defaultType.askHint')
          : t('preferences.defaultType.hint')
      }
    >
      <Dropdown
        disabled={props.types === null}
        value={text}
        selectedOptions={selected === '' ? [] : [selected]}
        onOptionSelect={(_event, data) => {
          if (data.optionValue === ask) props.onChange(null);
          else if (data.optionValue?.startsWith('type:')) {
            props.onChange(data.optionValue.slice('type:'.length));
          }
        }}
      >
        <Option value={ask}>{t('preferences.defaultType.ask')}</Option>
        {types
          .filter((type) => !type.personal)
          .map((type) => (
            <Option key={type.id} value={typeValue(type.id)} text={props.nameOf(type)}>
              {props.nameOf(type)}
            </Option>
          ))}
      </Dropdown>
    </Field>
  );
}
