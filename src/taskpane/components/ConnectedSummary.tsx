import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { LinkDismiss20Regular, SignOut20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '../hooks/useConnectionMachine';
import { CalendarPicker } from './CalendarPicker';
import { ConnectionProblemBar } from './ConnectionProblemBar';
import { useConnection } from './ConnectionProvider';
import { useFirstSyncPreview } from '../hooks/useFirstSyncPreview';
import { FirstSyncPreview } from './FirstSyncPreview';
import { FirstSyncWarning } from './FirstSyncWarning';
import { SyncStatus } from './SyncStatus';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  heading: { margin: '0' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    rowGap: tokens.spacingVerticalXS,
    margin: '0',
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  // Addresses are long single words: wrap them rather than widen the pane.
  value: { margin: `0 0 ${tokens.spacingVerticalS}`, overflowWrap: 'anywhere' },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
});

type Connected = Extract<ConnectionStatus, { kind: 'connected' }>;

/** After a successful Save: what is connected to what, the calendar choice and the first start. */
export function ConnectedSummary(props: { status: Connected }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const api = useConnection();
  const { connection, calendarId, sync, scheduler, pending, problem } = props.status;
  const chosen = connection.calendars.find((c) => c.id === calendarId);
  // SPEC C8: the dry run for the chosen calendar; starting sync is confirming what it showed.
  const preview = useFirstSyncPreview(connection, calendarId, sync === 'notStarted');
  const facts: readonly [string, string][] = [
    [t('signIn.summary.crm'), connection.address],
    [t('signIn.summary.user'), `${connection.user.displayName} (${connection.user.email})`],
    [t('signIn.summary.mailbox'), connection.mailbox],
  ];
  return (
    <div className={styles.root}>
      <Text as="h3" size={300} weight="semibold" className={styles.heading}>
        {t('signIn.summary.title')}
      </Text>
      <dl className={styles.facts}>
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt className={styles.term}>{term}</dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
      </dl>
      <CalendarPicker
        calendars={connection.calendars}
        selectedId={calendarId}
        disabled={sync !== 'notStarted' || pending !== 'none'}
        onSelect={api.chooseCalendar}
      />
      {sync === 'started' ? (
        <>
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>
              {t('signIn.firstSync.started', { calendar: chosen?.name ?? '' })}
            </MessageBarBody>
          </MessageBar>
          {scheduler && <SyncStatus scheduler={scheduler} />}
        </>
      ) : (
        <>
          <FirstSyncPreview state={preview.state} onRetry={preview.retry} />
          <FirstSyncWarning
            acknowledged={api.acknowledged}
            onAcknowledge={api.acknowledge}
            starting={sync === 'starting'}
            canStart={
              chosen !== undefined &&
              pending === 'none' &&
              sync === 'notStarted' &&
              preview.state.kind === 'ready'
            }
            onStart={() => void api.startSync()}
          />
        </>
      )}
      {problem && (
        <ConnectionProblemBar
          problem={problem}
          onForcedRemoval={() => void api.removeLocalPairing()}
        />
      )}
      <div className={styles.actions}>
        <Button
          icon={<SignOut20Regular />}
          disabledFocusable={pending !== 'none'}
          onClick={() => void api.signOut()}
        >
          {t('signIn.signOut')}
        </Button>
        <Button
          icon={<LinkDismiss20Regular />}
          disabledFocusable={pending !== 'none'}
          onClick={() => void api.unpair()}
        >
          {t('signIn.unpair')}
        </Button>
        {pending !== 'none' && <Spinner size="tiny" label={t('signIn.working')} />}
      </div>
    </div>
  );
}
