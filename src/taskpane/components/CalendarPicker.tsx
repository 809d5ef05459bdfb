import { Dropdown, Field, Option } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CalendarChoice } from '../connection/connectionService';

/** SPEC C1: which of the mailbox's calendars to sync; the default calendar comes first chosen. */
export function CalendarPicker(props: {
  calendars: readonly CalendarChoice[];
  selectedId: string;
  disabled: boolean;
  onSelect: (calendarId: string) => void;
}) {
  const { t } = useTranslation();
  const { calendars, selectedId } = props;
  const name = (c: CalendarChoice) =>
    c.canEdit ? c.name : t('signIn.summary.readOnly', { name: c.name });
  const selected = calendars.find((c) => c.id === selectedId);
  if (calendars.length === 0) {
    return (
      <Field
        label={t('signIn.summary.calendar')}
        validationState="warning"
        validationMessage={t('signIn.summary.noCalendars')}
      >
        <Dropdown disabled />
      </Field>
    );
  }
  return (
    <Field label={t('signIn.summary.calendar')} hint={t('signIn.summary.calendarHint')}>
      <Dropdown
        value={selected ? name(selected) : ''}
        selectedOptions={selected ? [selected.id] : []}
        disabled={props.disabled}
        onOptionSelect={(_event, data) => {
          if (data.optionValue) props.onSelect(data.optionValue);
        }}
      >
        {calendars.map((c) => (
          // A calendar the mailbox cannot write to cannot receive CRM items.
          <Option key={c.id} value={c.id} text={name(c)} disabled={!c.canEdit}>
            {name(c)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
