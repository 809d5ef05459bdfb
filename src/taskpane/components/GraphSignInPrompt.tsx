import { Button, Spinner } from '@fluentui/react-components';
import { PersonKey20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ErrorDescription, describeError } from '../errors/describeError';
import type { SchedulerSnapshot, SyncController } from '../sync/syncController';
import { Notice } from './kit/Notice';

/** The last run stopped because Microsoft 365 wants the person (issue 11 item 6). */
export function needsGraphSignIn(snapshot: SchedulerSnapshot): boolean {
  const outcome = snapshot.lastOutcome;
  return (
    snapshot.state !== 'stopped' &&
    outcome?.state === 'failed' &&
    outcome.error.code === 'graphSignInNeeded'
  );
}

/**
 * Issue 11 item 6: the sync loop never opens a sign-in window by itself; when a run ended with
 * `graphSignInNeeded` this offers the button that does (popup, else the Office dialog), then syncs.
 */
export function GraphSignInPrompt(props: {
  scheduler: SyncController;
  snapshot: SchedulerSnapshot;
}) {
  const { t } = useTranslation();
  const { scheduler, snapshot } = props;
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<ErrorDescription | null>(null);
  if (!needsGraphSignIn(snapshot)) return null;
  const signIn = async () => {
    setPending(true);
    setFailure(null);
    try {
      await scheduler.signInToMicrosoft();
    } catch (error) {
      setFailure(describeError(error, t));
    } finally {
      setPending(false);
    }
  };
  return (
    <Notice
      intent="warning"
      data-testid="graph-sign-in"
      title={failure?.title ?? t('errors.graphSignInNeeded.message')}
      actions={
        <Button
          appearance="primary"
          icon={pending ? <Spinner size="tiny" /> : <PersonKey20Regular />}
          disabledFocusable={pending}
          onClick={() => void signIn()}
        >
          {t('status.signInMicrosoft')}
        </Button>
      }
    >
      {failure?.remedy ?? t('errors.graphSignInNeeded.remedy')}
    </Notice>
  );
}
