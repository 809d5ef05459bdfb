import {
  Body1,
  Button,
  Divider,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityType } from '../../model';
import { useActivityTypes } from '../../hooks/useActivityTypes';
import { useMessageView } from '../../hooks/useMessageView';
import { useServices } from '../../services';
import { useConnection } from '../ConnectionProvider';
import { ContactCardView } from './ContactCardView';
import { ExtranetSharing } from './ExtranetSharing';
import { MailActivityForm } from './MailActivityForm';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  head: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  subject: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

function Info(props: { text: string; intent?: 'info' | 'error' }) {
  return (
    <MessageBar intent={props.intent ?? 'info'} layout="multiline">
      <MessageBarBody>{props.text}</MessageBarBody>
    </MessageBar>
  );
}

/** Issue 7, SPEC O3: the pane on a message — the sender's CRM card, an activity, sharing. */
export function MessageSection() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const { preferences } = useServices();
  const { status } = useConnection();
  const view = useMessageView();
  const typesState = useActivityTypes();
  const [sharing, setSharing] = useState(false);
  const prefs = preferences.load(i18n.language);
  const picklist = prefs.picklistLanguage ?? prefs.language;
  const types = typesState.kind === 'ready' ? typesState.types : null;
  const typeName = (type: ActivityType) => type.names[picklist] || type.name;
  const nameOfType = (id: string) => {
    const type = types?.find((candidate) => candidate.id === id);
    return type ? typeName(type) : id;
  };

  const { message } = view;
  if (message.kind === 'loading') return <Spinner size="tiny" label={t('messageView.loading')} />;
  if (message.kind === 'failed' || message.value === null) {
    return <Info text={t('messageView.noMessage')} />;
  }
  const mail = message.value;
  const sender = mail.sender.name || mail.sender.address;
  const head = (
    <div className={styles.head}>
      <Text as="h3" size={400} weight="semibold" className={styles.subject}>
        {mail.subject || t('messageView.activity.noSubject')}
      </Text>
      <Body1 className={styles.muted}>{t('messageView.from', { sender })}</Body1>
    </div>
  );
  if (!view.connected || !view.crm) {
    return (
      <div className={styles.root}>
        {head}
        <Info text={t('messageView.notConnected')} />
      </div>
    );
  }
  const { contact, card } = view;
  let body;
  if (
    !contact ||
    contact.kind === 'loading' ||
    (contact.kind === 'ready' && !card && contact.value)
  ) {
    body = <Spinner size="tiny" label={t('messageView.card.loading')} />;
  } else if (contact.kind === 'failed' || card?.kind === 'failed') {
    body = <Info intent="error" text={t('messageView.card.loadFailed')} />;
  } else if (contact.value === null) {
    body = <Info text={t('messageView.notAContact', { address: mail.sender.address })} />;
  } else if (!card || card.kind === 'loading') {
    body = <Spinner size="tiny" label={t('messageView.card.loading')} />;
  } else {
    const person = contact.value;
    body = (
      <>
        <ContactCardView contact={person} card={card.value} typeName={nameOfType} />
        <Divider />
        <MailActivityForm
          crm={view.crm}
          message={mail}
          contact={person}
          types={types}
          typeName={typeName}
          timeZone={
            status.kind === 'connected' ? (status.connection.crm?.timeZone ?? 'UTC') : 'UTC'
          }
          onCreated={view.reloadCard}
        />
        <Divider />
        {sharing ? (
          <ExtranetSharing
            crm={view.crm}
            contact={{
              id: person.id,
              name: `${person.firstName} ${person.lastName}`.trim(),
              email: person.email,
            }}
            projects={card.value.openProjects}
          />
        ) : (
          <div>
            <Button onClick={() => setSharing(true)}>{t('extranet.open')}</Button>
          </div>
        )}
      </>
    );
  }
  return (
    <div className={styles.root}>
      {head}
      {body}
    </div>
  );
}
