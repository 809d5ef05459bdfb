import { Body1, Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ActivitySummary, ContactCard, CrmContact } from '../../model';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  block: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
});

function When(props: { activity: ActivitySummary; locale: string }) {
  const { activity, locale } = props;
  const text = activity.allDay
    ? new Date(`${activity.start}T00:00:00`).toLocaleDateString(locale, { dateStyle: 'medium' })
    : new Date(activity.start).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return <Caption1>{text}</Caption1>;
}

function Activities(props: {
  id: string;
  title: string;
  empty: string;
  items: readonly ActivitySummary[];
  typeName: (id: string) => string;
}) {
  const styles = useStyles();
  const { i18n } = useTranslation();
  return (
    <div className={styles.block}>
      <Text as="h4" weight="semibold" id={props.id}>
        {props.title}
      </Text>
      {props.items.length === 0 ? (
        <Body1 className={styles.muted}>{props.empty}</Body1>
      ) : (
        <ul className={styles.list} aria-labelledby={props.id}>
          {props.items.map((a) => (
            <li key={a.id} className={styles.text}>
              <Body1>{a.subject}</Body1> <Caption1>({props.typeName(a.typeId)})</Caption1>
              <br />
              <When activity={a} locale={i18n.language} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Issue 7: the sender's CRM contact card. Every name and subject is rendered as text. */
export function ContactCardView(props: {
  contact: CrmContact;
  card: ContactCard;
  typeName: (id: string) => string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { contact, card } = props;
  const name = `${contact.firstName} ${contact.lastName}`.trim();
  const activities = [
    [
      'card-upcoming',
      t('messageView.card.upcoming'),
      t('messageView.card.noUpcoming'),
      card.upcomingActivities,
    ],
    [
      'card-recent',
      t('messageView.card.recent'),
      t('messageView.card.noRecent'),
      card.recentActivities,
    ],
  ] as const;
  return (
    <section className={styles.root} aria-label={t('messageView.card.title')}>
      <div className={styles.block}>
        <Text as="h3" size={400} weight="semibold" className={styles.text}>
          {name}
        </Text>
        {contact.title && <Body1 className={styles.muted}>{contact.title}</Body1>}
        {contact.email && <Body1 className={styles.text}>{contact.email}</Body1>}
        {contact.phone && (
          <Body1 className={styles.text}>
            {t('messageView.card.phone', { phone: contact.phone })}
          </Body1>
        )}
      </div>
      <div className={styles.block}>
        <Text as="h4" weight="semibold">
          {t('messageView.card.customer')}
        </Text>
        <Body1 className={styles.text}>
          {card.customer?.name ?? t('messageView.card.noCustomer')}
        </Body1>
      </div>
      <div className={styles.block}>
        <Text as="h4" weight="semibold" id="card-projects">
          {t('messageView.card.openProjects')}
        </Text>
        {card.openProjects.length === 0 ? (
          <Body1 className={styles.muted}>{t('messageView.card.noProjects')}</Body1>
        ) : (
          <ul className={styles.list} aria-labelledby="card-projects">
            {card.openProjects.map((p) => (
              <li key={p.id} className={styles.text}>
                <Body1>{p.name}</Body1>
              </li>
            ))}
          </ul>
        )}
      </div>
      {activities.map(([id, title, empty, items]) => (
        <Activities
          key={id}
          id={id}
          title={title}
          empty={empty}
          items={items}
          typeName={props.typeName}
        />
      ))}
    </section>
  );
}
