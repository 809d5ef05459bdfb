import { Body1, Button, Divider, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../kit/Notice';
import { useViewStyles } from '../kit/ViewLayout';
import { useTypeNames } from '../../hooks/useActivityTypes';
import { useMessageView } from '../../hooks/useMessageView';
import { useConnection } from '../ConnectionProvider';
import { ContactCardView } from './ContactCardView';
import { ExtranetSharing } from './ExtranetSharing';
import { MailActivityForm } from './MailActivityForm';

/** Issue 7, SPEC O3: the pane on a message — the sender's CRM card, an activity, sharing. */
export function MessageSection() {
  const { t } = useTranslation();
  const styles = useViewStyles();
  const { status } = useConnection();
  const view = useMessageView();
  const { types, typeName, nameOf: nameOfType } = useTypeNames();
  const [sharing, setSharing] = useState(false);

  const { message } = view;
  if (message.kind === 'loading') return <Spinner size="tiny" label={t('messageView.loading')} />;
  if (message.kind === 'failed' || message.value === null) {
    return <Notice>{t('messageView.noMessage')}</Notice>;
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
        <Notice>{t('messageView.notConnected')}</Notice>
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
    body = <Notice intent="error">{t('messageView.card.loadFailed')}</Notice>;
  } else if (contact.value === null) {
    body = <Notice>{t('messageView.notAContact', { address: mail.sender.address })}</Notice>;
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
