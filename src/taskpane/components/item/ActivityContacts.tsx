import {
  Body1,
  Button,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactParticipant, ItemCrm, SharableProject } from '../../item/itemService';
import { ExtranetSharing, hasValidEmail } from '../message/ExtranetSharing';
import { Notice } from '../kit/Notice';
import { Section } from '../kit/Section';
import { useKitStyles } from '../kit/styles';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  contact: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
});

type Projects =
  | { readonly kind: 'closed' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly projects: readonly SharableProject[] }
  | { readonly kind: 'failed' };

/** One contact person: who they are, and sharing a project of their customer with them. */
function ContactRow(props: { contact: ContactParticipant; crm: ItemCrm }) {
  const { t } = useTranslation();
  const styles = { ...useKitStyles(), ...useStyles() };
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
        <Notice intent="error">{t('itemView.contacts.projectsFailed')}</Notice>
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
  const styles = useKitStyles();
  const list = useStyles().list;
  const headingId = useId();
  if (props.contacts.length === 0) return null;
  return (
    <Section
      headingId={headingId}
      level={4}
      title={t('itemView.contacts.title')}
      lead={t('itemView.contacts.body')}
    >
      <ul className={mergeClasses(styles.list, list)} aria-labelledby={headingId}>
        {props.contacts.map((contact) => (
          <ContactRow key={contact.id} contact={contact} crm={props.crm} />
        ))}
      </ul>
    </Section>
  );
}
