import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwise20Regular, LinkDismiss20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { StatusAction } from '../hooks/useStatus';

const useStyles = makeStyles({
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

/** SPEC E2, E4: try an item again, or stop syncing it. `name` tells the buttons apart. */
export function ItemActions(props: {
  itemKey: string;
  name: string;
  canUnlink: boolean;
  onAct: (action: StatusAction, target: string) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <div className={styles.actions}>
      <Button
        size="small"
        icon={<ArrowClockwise20Regular />}
        aria-label={t('status.item.retryNamed', { name: props.name })}
        onClick={() => props.onAct('retry', props.itemKey)}
      >
        {t('status.item.retry')}
      </Button>
      {props.canUnlink && (
        <Button
          size="small"
          icon={<LinkDismiss20Regular />}
          aria-label={t('status.item.unlinkNamed', { name: props.name })}
          onClick={() => props.onAct('unlink', props.itemKey)}
        >
          {t('status.item.unlink')}
        </Button>
      )}
    </div>
  );
}
