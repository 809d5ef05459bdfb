import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactParticipant, ItemCrm, SharableProject } from '../../item/itemService';
import { ExtranetSharing, hasValidEmail } from '../message/ExtranetSharing';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: '0' },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
  },
  contact: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

type Projects =
  | { readonly kind: 'closed' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly projects: readonly SharableProject[] }
  | { readonly kind: 'failed' };

/** One contact person: who they are, and sharing a project of their customer with them. */
function ContactRow(props: { contact: ContactParticipant; crm: ItemCrm }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { contact, crm } = props;
  const nameId = useId();
  const reasonId = useId();
  const [projects, setProjects] = useState<Projects>({ kind: 'closed' });
  const valid = hasValidEmail(contact);

  const open = async () => {
    setProjects({ kind: 'loading' });
    try {
      setProjects({ kind: 'ready', projects: await crm.projectsToShare(contact.id) });
    } catch (error) {
      console.warn("Could not read the contact's projects", error);
      setProjects({ kind: 'failed' });
    }
  };

  return (
    <li className={styles.contact}>
      <Body1 id={nameId} className={styles.text}>
        {contact.name}
      </Body1>
      {contact.email !== null && contact.email !== contact.name && (
        <Body1 className={styles.muted}>{contact.email}</Body1>
      )}
      {projects.kind === 'ready' ? (
        <ExtranetSharing crm={crm} contact={contact} projects={projects.projects} />
      ) : (
        <div>
          <Button
            disabledFocusable={!valid || projects.kind === 'loading'}
            aria-describedby={valid ? nameId : `${nameId} ${reasonId}`}
            onClick={() => void open()}
          >
            {t('extranet.open')}
          </Button>
        </div>
      )}
      {!valid && (
        <Text id={reasonId} className={styles.muted}>
          {t('extranet.noEmail', { name: contact.name })}
        </Text>
      )}
      {projects.kind === 'loading' && (
        <Spinner size="tiny" label={t('itemView.contacts.loadingProjects')} />
      )}
      {projects.kind === 'failed' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{t('itemView.contacts.projectsFailed')}</MessageBarBody>
        </MessageBar>
      )}
    </li>
  );
}

/**
 * SPEC O3 "from a message or an appointment with a customer's contact person": the activity's
 * contact persons, each of whom a project of their customer can be shared with in the extranet.
 */
export function ActivityContacts(props: { contacts: readonly ContactParticipant[]; crm: ItemCrm }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const headingId = useId();
  if (props.contacts.length === 0) return null;
  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <Text as="h4" size={200} weight="semibold" className={styles.heading} id={headingId}>
        {t('itemView.contacts.title')}
      </Text>
      <Body1 className={styles.muted}>{t('itemView.contacts.body')}</Body1>
      <ul className={styles.list} aria-labelledby={headingId}>
        {props.contacts.map((contact) => (
          <ContactRow key={contact.id} contact={contact} crm={props.crm} />
        ))}
      </ul>
    </section>
  );
}
