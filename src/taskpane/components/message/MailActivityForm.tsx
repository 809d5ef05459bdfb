import { Button, Field, Select } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityType, CrmContact } from '../../model';
import type { CurrentMessage } from '../../../host/host';
import type { MessageCrm } from '../../message/messageService';
import { Notice } from '../kit/Notice';
import { Section } from '../kit/Section';

const HALF_HOUR_MS = 30 * 60_000;
const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Now, rounded up to the next half hour: where an activity from a mail starts (issue 7). */
export function nextHalfHour(nowMs: number): number {
  return Math.ceil(nowMs / HALF_HOUR_MS) * HALF_HOUR_MS;
}

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed' };

/** Issue 7: "Create activity from this mail" — subject, text, the sender as participant, 30 min. */
export function MailActivityForm(props: {
  crm: MessageCrm;
  message: CurrentMessage;
  contact: CrmContact;
  types: readonly ActivityType[] | null;
  typeName: (type: ActivityType) => string;
  timeZone: string;
  onCreated: () => void;
}) {
  const { t } = useTranslation();
  const types = props.types?.filter((type) => !type.personal) ?? [];
  const [typeId, setTypeId] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const chosen = typeId || types[0]?.id || '';
  const create = async () => {
    setState({ kind: 'saving' });
    const start = nextHalfHour(Date.now());
    try {
      await props.crm.createFromMail({
        subject: props.message.subject || t('messageView.activity.noSubject'),
        description: props.message.bodyPreview,
        typeId: chosen,
        contactId: props.contact.id,
        start: utc(start),
        end: utc(start + HALF_HOUR_MS),
        timeZone: props.timeZone,
        idempotencyKey: `mail-${crypto.randomUUID()}`,
      });
      setState({ kind: 'done' });
      props.onCreated();
    } catch (error) {
      console.warn('Could not create the activity', error);
      setState({ kind: 'failed' });
    }
  };
  return (
    <Section headingId="mail-activity-title" level={4} title={t('messageView.activity.title')}>
      <Field label={t('messageView.activity.type')}>
        <Select
          value={chosen}
          disabled={types.length === 0}
          onChange={(_event, data) => setTypeId(data.value)}
        >
          {types.map((type) => (
            <option key={type.id} value={type.id}>
              {props.typeName(type)}
            </option>
          ))}
        </Select>
      </Field>
      <div>
        <Button
          appearance="primary"
          disabled={chosen === '' || state.kind === 'saving'}
          onClick={() => void create()}
        >
          {t('messageView.activity.create')}
        </Button>
      </div>
      <div aria-live="polite">
        {state.kind === 'done' && (
          <Notice intent="success">{t('messageView.activity.created')}</Notice>
        )}
        {state.kind === 'failed' && (
          <Notice intent="error">{t('messageView.activity.failed')}</Notice>
        )}
      </div>
    </Section>
  );
}
