import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
} from '@fluentui/react-components';
import { CalendarArrowCounterclockwise20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** How far back "sync again from" may reach: a year covers a calendar change. */
export const MAX_DAYS_BACK = 365;

function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** SPEC S3 "sync again from date …": picks the day; the loop runs a full sync from it. */
export function SyncFromDialog(props: { disabled: boolean; onStart: (date: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const today = new Date();
  const max = isoDay(today);
  const min = isoDay(
    new Date(today.getFullYear(), today.getMonth(), today.getDate() - MAX_DAYS_BACK),
  );
  const [date, setDate] = useState('');
  const [touched, setTouched] = useState(false);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && date >= min && date <= max;
  const start = () => {
    setTouched(true);
    if (!valid) return;
    props.onStart(date);
    setOpen(false);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) {
          setDate('');
          setTouched(false);
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button
          icon={<CalendarArrowCounterclockwise20Regular />}
          disabledFocusable={props.disabled}
        >
          {t('status.actions.from')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            start();
          }}
        >
          <DialogBody>
            <DialogTitle>{t('status.fromDialog.title')}</DialogTitle>
            <DialogContent>
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
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{t('status.fromDialog.cancel')}</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary">
                {t('status.fromDialog.start')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
