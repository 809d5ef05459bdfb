import { Button, Spinner } from '@fluentui/react-components';
import { LinkDismiss20Regular, SignOut20Regular } from '@fluentui/react-icons';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '../hooks/connectionStatus';
import { CalendarPicker } from './CalendarPicker';
import { ConnectionProblemBar } from './ConnectionProblemBar';
import { useConnection } from './ConnectionProvider';
import { useFirstSyncPreview } from '../hooks/useFirstSyncPreview';
import { FirstSyncPreview } from './FirstSyncPreview';
import { FirstSyncWarning } from './FirstSyncWarning';
import { SyncStatus } from './SyncStatus';
import { FactList } from './kit/FactList';
import { Notice } from './kit/Notice';
import { Actions, Section } from './kit/Section';

type Connected = Extract<ConnectionStatus, { kind: 'connected' }>;

/** After a successful Save: what is connected to what, the calendar choice and the first start. */
export function ConnectedSummary(props: { status: Connected }) {
  const { t } = useTranslation();
  const api = useConnection();
  const headingId = useId();
  const { connection, calendarId, sync, scheduler, pending, problem } = props.status;
  const chosen = connection.calendars.find((c) => c.id === calendarId);
  const onService = Boolean(connection.syncService);
  // SPEC C8: the dry run for the chosen calendar; starting sync is confirming what it showed.
  const preview = useFirstSyncPreview(connection, calendarId, sync === 'notStarted');
  const facts: readonly [string, string][] = [
    [t('signIn.summary.crm'), connection.address],
    [t('signIn.summary.user'), `${connection.user.displayName} (${connection.user.email})`],
    [t('signIn.summary.mailbox'), connection.mailbox],
  ];
  // Two ways to end this connection: sign out (keeps the pairing) or unpair.
  const leave = [
    { key: 'signOut', icon: <SignOut20Regular />, run: () => void api.signOut() },
    { key: 'unpair', icon: <LinkDismiss20Regular />, run: () => void api.unpair() },
  ] as const;
  return (
    <Section headingId={headingId} title={t('signIn.summary.title')} roomy>
      <FactList facts={facts} />
      {onService ? (
        // Issue 17: the company's service syncs this mailbox; the pane only shows it.
        <Notice intent="info">{t('signIn.firstSync.onService')}</Notice>
      ) : (
        <CalendarPicker
          calendars={connection.calendars}
          selectedId={calendarId}
          disabled={sync !== 'notStarted' || pending !== 'none'}
          onSelect={api.chooseCalendar}
        />
      )}
      {onService ? (
        scheduler && <SyncStatus scheduler={scheduler} />
      ) : sync === 'started' ? (
        <>
          <Notice intent="success">
            {t('signIn.firstSync.started', { calendar: chosen?.name ?? '' })}
          </Notice>
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
      <Actions>
        {leave.map(({ key, icon, run }) => (
          <Button key={key} icon={icon} disabledFocusable={pending !== 'none'} onClick={run}>
            {t(`signIn.${key}`)}
          </Button>
        ))}
        {pending !== 'none' && <Spinner size="tiny" label={t('signIn.working')} />}
      </Actions>
    </Section>
  );
}
