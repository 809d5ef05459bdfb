import {
  Button,
  Checkbox,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Play20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  list: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalL,
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
  },
});

/**
 * SPEC C8: before the first sync, the two ways it can go wrong; "Start sync" waits until the
 * person has acknowledged them.
 */
export function FirstSyncWarning(props: {
  acknowledged: boolean;
  onAcknowledge: (value: boolean) => void;
  starting: boolean;
  canStart: boolean;
  onStart: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t('signIn.firstSync.title')}</MessageBarTitle>
          <ul className={styles.list}>
            <li>{t('signIn.firstSync.duplicates')}</li>
            <li>{t('signIn.firstSync.invitations')}</li>
          </ul>
        </MessageBarBody>
      </MessageBar>
      <Checkbox
        label={t('signIn.firstSync.acknowledge')}
        checked={props.acknowledged}
        onChange={(_event, data) => props.onAcknowledge(data.checked === true)}
      />
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={<Play20Regular />}
          disabled={!props.acknowledged || !props.canStart}
          disabledFocusable={props.starting}
          onClick={props.onStart}
        >
          {t('signIn.firstSync.start')}
        </Button>
        {props.starting && <Spinner size="tiny" label={t('signIn.firstSync.starting')} />}
      </div>
    </div>
  );
}
