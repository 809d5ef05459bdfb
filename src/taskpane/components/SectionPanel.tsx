import { Body1, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { SectionId } from '../sections';
import { useItemVersion } from '../hooks/useItemVersion';
import { useServices } from '../services';
import { ConnectionSection } from './ConnectionSection';

// The first screen is the Sign-in section; the others load when first shown (async chunks), with
// what only they use (tables, toasts, dialogs, radios, switches, the relation search).
const StatusSection = lazy(() =>
  import(/* webpackChunkName: "status-view" */ './StatusSection').then((m) => ({
    default: m.StatusSection,
  })),
);
const PreferencesSection = lazy(() =>
  import(/* webpackChunkName: "preferences-view" */ './PreferencesSection').then((m) => ({
    default: m.PreferencesSection,
  })),
);
const ItemSection = lazy(() =>
  import(/* webpackChunkName: "item-view" */ './ItemSection').then((m) => ({
    default: m.ItemSection,
  })),
);

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: '0' },
  body: { color: tokens.colorNeutralForeground2 },
  fact: { color: tokens.colorNeutralForeground1, overflowWrap: 'anywhere' },
});

/** One section: its title, what it will hold, and the host facts already known for it. */
export function SectionPanel(props: { section: SectionId; labelledBy?: string; id?: string }) {
  const { t } = useTranslation();
  const { host } = useServices();
  useItemVersion(); // a pinned pane re-reads the item kind when the selection changes
  const styles = useStyles();
  const { section } = props;
  return (
    <section
      className={styles.panel}
      id={props.id}
      role={props.labelledBy ? 'tabpanel' : undefined}
      aria-labelledby={props.labelledBy}
    >
      <Text as="h2" size={400} weight="semibold" className={styles.heading}>
        {t(`sections.${section}.title`)}
      </Text>
      <Body1 className={styles.body}>{t(`sections.${section}.body`)}</Body1>
      {section === 'connection' && <ConnectionSection />}
      {section === 'item' && (
        <Body1 className={styles.fact}>{t(`item.${host.currentItemKind()}`)}</Body1>
      )}
      <Suspense fallback={<Spinner size="tiny" label={t('signIn.working')} />}>
        {section === 'status' && <StatusSection />}
        {section === 'preferences' && <PreferencesSection />}
        {section === 'item' && <ItemSection />}
      </Suspense>
    </section>
  );
}
