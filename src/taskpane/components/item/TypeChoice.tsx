import { Body1, Button, Dropdown, Field, Option, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityType } from '../../model';
import { Notice } from '../kit/Notice';
import { Section } from '../kit/Section';

const useStyles = makeStyles({
  action: { alignSelf: 'flex-start' },
});

/**
 * SPEC T3: no default type is set, so this Outlook item waits for the person to pick one. Picking
 * keeps the choice and asks for a sync; that run copies the item to the CRM with this type.
 */
export function TypeChoice(props: {
  /** The types the person may create in the CRM (T1), already filtered. */
  types: readonly ActivityType[] | null;
  chosenTypeId: string | null;
  nameOf: (type: ActivityType) => string;
  onChoose: (typeId: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [typeId, setTypeId] = useState<string | null>(props.chosenTypeId);
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const { types } = props;
  const chosen = types?.find((type) => type.id === props.chosenTypeId) ?? null;
  const selected = types?.find((type) => type.id === typeId) ?? null;
  const submit = async () => {
    if (typeId === null) return;
    setState('saving');
    try {
      await props.onChoose(typeId);
      setState('saved');
    } catch (error) {
      console.warn('Could not keep the type choice', error);
      setState('failed');
    }
  };
  return (
    <Section
      headingId="item-type-heading"
      title={t('itemView.type.title')}
      lead={t('itemView.type.body')}
    >
      {types === null ? (
        <Notice>{t('itemView.type.unavailable')}</Notice>
      ) : (
        <>
          <Field label={t('itemView.type.label')}>
            <Dropdown
              placeholder={t('itemView.type.placeholder')}
              value={selected ? props.nameOf(selected) : ''}
              selectedOptions={typeId === null ? [] : [typeId]}
              onOptionSelect={(_, data) => setTypeId(data.optionValue ?? null)}
            >
              {types.map((type) => (
                <Option key={type.id} value={type.id} text={props.nameOf(type)}>
                  {props.nameOf(type)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Button
            className={styles.action}
            appearance="primary"
            disabledFocusable={typeId === null || state === 'saving'}
            onClick={() => void submit()}
          >
            {t('itemView.type.submit')}
          </Button>
        </>
      )}
      <div role="status">
        {chosen && state !== 'failed' && (
          <Body1>{t('itemView.type.chosen', { type: props.nameOf(chosen) })}</Body1>
        )}
      </div>
      {state === 'failed' && <Notice intent="error">{t('itemView.type.failed')}</Notice>}
    </Section>
  );
}
