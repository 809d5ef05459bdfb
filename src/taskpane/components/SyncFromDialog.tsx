import { Button, Field, Input } from '@fluentui/react-components';
import { CalendarArrowCounterclockwise20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './kit/ConfirmDialog';

/** How far back "sync again from" may reach: a year covers a calendar change. */
export const MAX_DAYS_BACK = 365;

function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** SPEC S3 "sync again from date …": picks the day; the loop runs a full sync from it. */
export function SyncFromDialog(props: { disabled: boolean; onStart: (date: string) => void }) {
  const { t } = useTranslation();
  const today = new Date();
  const max = isoDay(today);
  const min = isoDay(
    new Date(today.getFullYear(), today.getMonth(), today.getDate() - MAX_DAYS_BACK),
  );
  const [date, setDate] = useState('');
  const [touched, setTouched] = useState(false);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && date >= min && date <= max;
  return (
    <ConfirmDialog
      modalType="modal"
      trigger={
        <Button
          icon={<CalendarArrowCounterclockwise20Regular />}
          disabledFocusable={props.disabled}
        >
          {t('status.actions.from')}
        </Button>
      }
      title={t('status.fromDialog.title')}
      body={
        <>
          <p>{t('status.fromDialog.body')}</p>
          <Field
            label={t('status.fromDialog.date')}
            required
            validationMessage={touched && !valid ? t('status.fromDialog.invalid') : undefined}
          >
            <Input
              type="date"
              value={date}
              min={min}
              max={max}
              onChange={(_, data) => setDate(data.value)}
            />
          </Field>
        </>
      }
      cancel={t('status.fromDialog.cancel')}
      confirm={t('status.fromDialog.start')}
      onOpen={() => {
        setDate('');
        setTouched(false);
      }}
      onConfirm={() => {
        setTouched(true);
        if (!valid) return false;
        props.onStart(date);
        return true;
      }}
    />
  );
}
