import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityType, CrmContact } from '../../model';
import type { CurrentMessage } from '../../../host/host';
import type { MessageCrm } from '../../message/messageService';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
});

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
  const styles = useStyles();
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
    <section className={styles.root} aria-labelledby="mail-activity-title">
      <Text as="h4" weight="semibold" id="mail-activity-title">
        {t('messageView.activity.title')}
      </Text>
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
          <MessageBar intent="success">
            <MessageBarBody>{t('messageView.activity.created')}</MessageBarBody>
          </MessageBar>
        )}
        {state.kind === 'failed' && (
          <MessageBar intent="error">
            <MessageBarBody>{t('messageView.activity.failed')}</MessageBarBody>
          </MessageBar>
        )}
      </div>
    </section>
  );
}
