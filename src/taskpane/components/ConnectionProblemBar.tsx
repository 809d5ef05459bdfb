import {
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
} from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors/describeError';
import type { ConnectionProblem } from '../hooks/connectionStatus';

// Only the pairing-elsewhere problem (C5) offers it: Fluent's Dialog loads with it (async chunk).
const ForcedRemovalDialog = lazy(() =>
  import(/* webpackChunkName: "forced-removal" */ './ForcedRemovalDialog').then((m) => ({
    default: m.ForcedRemovalDialog,
  })),
);

// Addresses in the mailbox-mismatch message (SPEC C6) are long words: let them wrap at 320 px.
const useStyles = makeStyles({ text: { overflowWrap: 'anywhere' } });

/** A failed step in words (describeError), with the forced removal when it is the way out (C5). */
export function ConnectionProblemBar(props: {
  problem: ConnectionProblem;
  onForcedRemoval: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { title, remedy } = describeError(props.problem.error, t);
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody className={styles.text}>
        <MessageBarTitle>{title}</MessageBarTitle> {remedy}
      </MessageBarBody>
      {props.problem.forcedRemoval && (
        <MessageBarActions>
          <Suspense fallback={null}>
            <ForcedRemovalDialog onConfirm={props.onForcedRemoval} />
          </Suspense>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
