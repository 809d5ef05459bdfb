import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSync20Regular } from '@fluentui/react-icons';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncController } from '../sync/syncController';
import { GraphSignInPrompt } from './GraphSignInPrompt';
import { Lead, Section } from './kit/Section';

const useStyles = makeStyles({
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/**
 * SPEC S3, S4: the running loop's state, when it last synced, and "Sync now"; the Microsoft 365
 * sign-in button when a run needs one (issue 11 item 6).
 */
export function SyncStatus(props: { scheduler: SyncController }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const { scheduler } = props;
  const snapshot = useSyncExternalStore(scheduler.subscribe, scheduler.getSnapshot);
  const state = t(`sync.state.${snapshot.state}`);
  const lastSync =
    snapshot.lastSyncAt === null
      ? t('sync.neverSynced')
      : t('sync.lastSync', {
          time: new Intl.DateTimeFormat(i18n.language, {
            dateStyle: 'short',
            timeStyle: 'short',
          }).format(snapshot.lastSyncAt),
        });
  return (
    <Section headingId="sync-status-heading" title={t('sync.title')}>
      <div className={styles.line} aria-live="polite" data-sync-state={snapshot.state}>
        {snapshot.state === 'syncing' && <Spinner size="tiny" />}
        <Text>{t('sync.stateLabel', { state })}</Text>
      </div>
      <Lead>{lastSync}</Lead>
      <div>
        <Button
          icon={<ArrowSync20Regular />}
          disabledFocusable={snapshot.state === 'stopped'}
          onClick={() => scheduler.syncNow()}
        >
          {t('sync.syncNow')}
        </Button>
      </div>
      <GraphSignInPrompt scheduler={scheduler} snapshot={snapshot} />
    </Section>
  );
}
