import { Button, Checkbox, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Play20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { Notice } from './kit/Notice';
import { Actions } from './kit/Section';
import { useKitStyles } from './kit/styles';

const useStyles = makeStyles({
  list: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalL,
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
  const styles = { ...useKitStyles(), ...useStyles() };
  return (
    <div className={styles.root}>
      <Notice intent="warning" title={t('signIn.firstSync.title')}>
        <ul className={styles.list}>
          <li>{t('signIn.firstSync.duplicates')}</li>
          <li>{t('signIn.firstSync.invitations')}</li>
        </ul>
      </Notice>
      <Checkbox
        label={t('signIn.firstSync.acknowledge')}
        checked={props.acknowledged}
        onChange={(_event, data) => props.onAcknowledge(data.checked === true)}
      />
      <Actions>
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
      </Actions>
    </div>
  );
}
