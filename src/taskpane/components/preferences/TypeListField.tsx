import { Dropdown, Field, Option } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ActivityType } from '../../model';
import type { TypeList } from '../../preferences/preferences';

/**
 * SPEC T1/T2: a multi-select of the CRM's activity types. Every type chosen is saved as 'all', so
 * types the CRM adds later sync too; none chosen is allowed and explained (`emptyHint`).
 */
export function TypeListField(props: {
  label: string;
  hint: string;
  emptyHint: string;
  value: TypeList;
  /** null while the types cannot be shown: the saved choice is kept as it is. */
  types: readonly ActivityType[] | null;
  nameOf: (type: ActivityType) => string;
  onChange: (next: TypeList) => void;
}) {
  const { t } = useTranslation();
  const { value, types, nameOf } = props;
  const known = types ?? [];
  const selected = value === 'all' ? known.map((type) => type.id) : [...value];
  const summary =
    value === 'all'
      ? t('preferences.types.all')
      : value.length === 0
        ? t('preferences.types.none')
        : known
            .filter((type) => value.includes(type.id))
            .map(nameOf)
            .join(', ') || t('preferences.types.count', { count: value.length });
  const empty = value !== 'all' && value.length === 0;
  return (
    <Field label={props.label} hint={empty ? props.emptyHint : props.hint}>
      <Dropdown
        multiselect
        disabled={types === null}
        value={summary}
        selectedOptions={selected}
        onOptionSelect={(_event, data) => {
          const ids = known.map((type) => type.id);
          const chosen = ids.filter((id) => data.selectedOptions.includes(id));
          props.onChange(chosen.length === ids.length && ids.length > 0 ? 'all' : chosen);
        }}
      >
        {known.map((type) => (
          <Option key={type.id} value={type.id} text={nameOf(type)}>
            {nameOf(type)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
