import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';

const useStyles = makeStyles({
  root: { padding: tokens.spacingHorizontalL },
  details: { overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
});

/** Why the pane cannot start (bad configuration, no Outlook), instead of a blank page. */
export function StartupProblem(props: { title: string; body: string }) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <MessageBar intent="error" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{props.title}</MessageBarTitle>
          <div className={styles.details}>{props.body}</div>
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
