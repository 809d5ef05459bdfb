import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Toast,
  ToastTitle,
  Toaster,
  makeStyles,
  tokens,
  useToastController,
} from '@fluentui/react-components';
import { ArrowSyncCircle20Regular } from '@fluentui/react-icons';
import { useCallback, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { statusToasterId, useStatus, type StatusAction } from '../hooks/useStatus';
import type { SyncController } from '../sync/syncController';
import { BrakeQuestion } from './BrakeQuestion';
import { DuplicateFinder } from './DuplicateFinder';
import { needsGraphSignIn } from './GraphSignInPrompt';
import { useConnection } from './ConnectionProvider';
import { RunHistory } from './RunHistory';
import { SetAsideList } from './SetAsideList';
import { SyncFromDialog } from './SyncFromDialog';
import { SyncProgress } from './SyncProgress';
import { SyncStatus } from './SyncStatus';
import { TrashList } from './TrashList';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  block: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

/** SPEC S3, S4, D3: the running loop — state, progress, the manual runs, the brake's question. */
function LoopPanel(props: { scheduler: SyncController }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { scheduler } = props;
  const snapshot = useSyncExternalStore(scheduler.subscribe, scheduler.getSnapshot);
  const blocked = snapshot.state === 'stopped' || snapshot.state === 'signedOut';
  const quarantine = scheduler.quarantined?.() ?? null;
  const asked =
    snapshot.state === 'braked' && snapshot.lastOutcome?.state === 'braked'
      ? snapshot.lastOutcome.asked
      : null;
  return (
    <div className={styles.block}>
      <SyncStatus scheduler={scheduler} />
      <SyncProgress snapshot={snapshot} />
      {asked && (
        <BrakeQuestion
          asked={asked}
          onConfirm={() => scheduler.confirmMassDelete()}
          onDismiss={() => scheduler.dismissBrake()}
        />
      )}
      {/* A Graph sign-in the loop would not open has its own button just above (SyncStatus). */}
      {snapshot.state === 'signedOut' && !needsGraphSignIn(snapshot) && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{t('status.signedOut')}</MessageBarBody>
        </MessageBar>
      )}
      {quarantine && (
        // Issue 18: the service's workers set the mailbox aside; "Sync now" tries it again.
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {t('status.service.quarantined', { count: quarantine.failures })}
          </MessageBarBody>
        </MessageBar>
      )}
      {scheduler.runsOn === 'service' ? (
        // Issue 17: the company's service runs sync; full runs and "from…" are its own business.
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t('status.service.note')}</MessageBarBody>
        </MessageBar>
      ) : (
        <div className={styles.actions}>
          <Button
            icon={<ArrowSyncCircle20Regular />}
            disabledFocusable={blocked}
            onClick={() => scheduler.fullSyncNow()}
          >
            {t('status.actions.full')}
          </Button>
          <SyncFromDialog disabled={blocked} onStart={(date) => scheduler.syncFrom(date)} />
        </div>
      )}
    </div>
  );
}

/** The lists kept in the store of `mailbox`: history, set-aside items, trash. */
function StoreLists(props: {
  mailbox: string;
  scheduler: SyncController | null;
  /** Issue 17: the lists are the company's sync service's (ServiceSites in startPane.ts). */
  onService: boolean;
}) {
  const { t } = useTranslation();
  const { dispatchToast } = useToastController(statusToasterId);
  const { scheduler } = props;
  const syncNow = useCallback(() => scheduler?.syncNow(), [scheduler]);
  const toast = useCallback(
    (action: StatusAction, ok: boolean) =>
      dispatchToast(
        <Toast>
          <ToastTitle>{ok ? t(`status.toast.${action}`) : t('status.toast.failed')}</ToastTitle>
        </Toast>,
        { intent: ok ? 'success' : 'error' },
      ),
    [dispatchToast, t],
  );
  const { overview, act } = useStatus(props.mailbox, scheduler ? syncNow : null, toast);
  const onAct = (action: StatusAction, target: string | number) => void act(action, target);
  if (overview.kind === 'loading') return <Spinner size="tiny" label={t('status.loading')} />;
  if (overview.kind === 'failed') {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{t('status.loadFailed')}</MessageBarBody>
      </MessageBar>
    );
  }
  const { runs, trash, setAside } = overview.value;
  // Issue 17: the service's API offers retry and restore, not unlink.
  const canUnlink = !props.onService;
  const duplicatesDone = (ok: boolean) =>
    dispatchToast(
      <Toast>
        <ToastTitle>{ok ? t('status.duplicates.done') : t('status.toast.failed')}</ToastTitle>
      </Toast>,
      { intent: ok ? 'success' : 'error' },
    );
  return (
    <>
      <RunHistory runs={runs} onAct={onAct} canUnlink={canUnlink} />
      <SetAsideList items={setAside} onAct={onAct} canUnlink={canUnlink} />
      <TrashList rows={trash} onAct={onAct} />
      {scheduler?.duplicates && (
        <DuplicateFinder finder={scheduler.duplicates} onDone={duplicatesDone} />
      )}
    </>
  );
}

/** The Status tab (SPEC S3, S4, D3, D4, E2, E4). */
export function StatusSection() {
  const { t } = useTranslation();
  const styles = useStyles();
  const { status } = useConnection();
  if (status.kind !== 'connected') {
    return (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>{t('status.notConnected')}</MessageBarBody>
      </MessageBar>
    );
  }
  const { scheduler } = status;
  return (
    <div className={styles.root}>
      <Toaster toasterId={statusToasterId} position="bottom" />
      {scheduler ? (
        <LoopPanel scheduler={scheduler} />
      ) : (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t('status.notStarted')}</MessageBarBody>
        </MessageBar>
      )}
      <StoreLists
        mailbox={status.connection.mailbox}
        scheduler={scheduler}
        onService={Boolean(status.connection.syncService)}
      />
    </div>
  );
}
